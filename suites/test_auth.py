"""Authentication: a request without credentials, and one with a wrong token, are refused with
401 or 403 (writes are only tried when writes are allowed)."""

import pytest

pytestmark = pytest.mark.conformance("auth")


def test_auth(conformance_case, conformance):
    sample = conformance.subject(conformance_case)
    conformance.judge(conformance_case, sample)
