"""Pagination: every operation with ``x-pagination`` is walked page by page (items are created
first when the list is nearly empty and writes are allowed): page sizes within the limit, no
duplicates and no gaps against a one-request listing, a stable ``totalCount`` equal to the items
walked, ``next``/``previous`` consistent with offset and limit and null at the ends, and an
out-of-range offset answered with an empty page or a documented 4xx.
"""

import pytest

pytestmark = pytest.mark.conformance("pagination")


def test_pagination(conformance_case, conformance):
    walk = conformance.subject(conformance_case)
    conformance.judge(conformance_case, walk)
