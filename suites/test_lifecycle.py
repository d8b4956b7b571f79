"""Lifecycle: for every creatable resource family, create -> read back -> listed -> update ->
update visible -> delete -> 404. Each step is judged on the operation that performed it. Created
resources carry the ``mlops-conformance-`` name prefix and are always deleted (also after a
failure or an interrupt); a failed cleanup is a ``lifecycle.cleanup`` failure.
"""

import pytest

pytestmark = pytest.mark.conformance("lifecycle")


def test_lifecycle(conformance_case, conformance):
    run = conformance.subject(conformance_case)
    conformance.judge(conformance_case, run)
