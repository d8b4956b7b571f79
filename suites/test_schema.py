"""Schema conformance: valid requests, generated property-based by schemathesis from the contract,
get a documented status, a documented content type, a body valid against the documented schema
(required fields, types, enums, formats, nullability, restrictions) and the documented headers.

One sample per operation is shared by all checks of this family; ids that exist on the target are
used for path parameters, and writes address resources the run created itself.
"""

import pytest

pytestmark = pytest.mark.conformance("schema")


def test_schema(conformance_case, conformance):
    sample = conformance.subject(conformance_case)
    conformance.judge(conformance_case, sample)
