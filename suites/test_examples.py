"""Documented examples: every response and request example is valid against the schema it is
documented with (a contradiction is a ``docs`` verdict with its source line, never the target's
fault), and the documented request example, replayed against the target (writes need
``--allow-writes``), gets a documented answer.
"""

import pytest

pytestmark = pytest.mark.conformance("examples")


def test_examples(conformance_case, conformance):
    subject = conformance.subject(conformance_case)
    conformance.judge(conformance_case, subject)
