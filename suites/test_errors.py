"""Negative inputs: invalid requests are answered with a 4xx, never a 5xx.

``errors.no_server_error`` judges schemathesis' negative cases (broad, property-based);
``errors.invalid_input_rejected`` judges one valid request broken one documented rule at a time
(an enum value the docs do not list, a wrong type, a bound crossed, a required input left out).
"""

import pytest

pytestmark = pytest.mark.conformance("errors")


def test_errors(conformance_case, conformance):
    sample = conformance.subject(conformance_case)
    conformance.judge(conformance_case, sample)
