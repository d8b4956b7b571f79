"""The pagination invariants, judged on hand-built walks of the fixture list."""

from __future__ import annotations

from typing import Any

import pytest

from mlops_conformance.checks import ERROR, FAIL, WARN, CheckFailed, CheckSkipped, Page, Walk
from mlops_conformance.checks import pagination as checks

from ._build import exchange, page_exchange

LIST = ("GET", "/api/things/")
SPEC = {"items": "data", "total": "totalCount", "next": "next", "previous": "previous", "maxLimit": 100}


def items(*ids: int) -> list[dict[str, Any]]:
    return [{"id": f"t{i}", "name": f"n{i}", "status": "active"} for i in ids]


def walk_of(
    pages: list[tuple[int, list[Any]]],
    *,
    limit: int = 2,
    total: int | None = 5,
    reference: list[Any] | None = None,
    **changes: Any,
) -> Walk:
    """A complete walk over ``pages`` (offset, items) with a reference listing of ``reference``."""
    walk = Walk(spec=dict(SPEC), limit=limit, complete=True)
    walk.pages = [
        Page(page_exchange(offset, limit, found, total=total), offset, limit) for offset, found in pages
    ]
    listed = reference if reference is not None else [i for _, found in pages for i in found]
    walk.reference = page_exchange(0, 100, listed, total=total)
    beyond = (total or 0) + limit
    walk.beyond = Page(page_exchange(beyond, limit, [], total=total), beyond, limit)
    for key, value in changes.items():
        setattr(walk, key, value)
    return walk


GOOD = [(0, items(1, 2)), (2, items(3, 4)), (4, items(5))]


@pytest.mark.parametrize(
    "check",
    [
        checks.page_size,
        checks.no_duplicates,
        checks.no_gaps,
        checks.total_count,
        checks.links,
        checks.out_of_range,
    ],
)
def test_a_correct_walk_passes_every_invariant(context, check):
    check(context(*LIST), walk_of(GOOD))


def test_a_page_larger_than_its_limit_fails(context):
    pages = [(0, items(1, 2, 3)), (2, items(3, 4)), (4, items(5))]
    with pytest.raises(CheckFailed) as failed:
        checks.page_size(context(*LIST), walk_of(pages))
    assert failed.value.message == "Received: 3 items at offset 0 / Documented: at most limit=2"


def test_an_item_on_two_pages_is_a_duplicate(context):
    pages = [(0, items(1, 2)), (2, items(2, 3)), (4, items(4, 5))]
    with pytest.raises(CheckFailed) as failed:
        checks.no_duplicates(context(*LIST), walk_of(pages, reference=items(1, 2, 3, 4, 5)))
    assert "t2 appears at offset 0 and again on the page at offset 2" in failed.value.message


def test_an_item_the_walk_never_reached_is_a_gap(context):
    pages = [(0, items(1, 2)), (2, items(4, 5))]
    with pytest.raises(CheckFailed) as failed:
        checks.no_gaps(context(*LIST), walk_of(pages, total=5, reference=items(1, 2, 3, 4, 5)))
    assert "item t3 never appeared" in failed.value.message


def test_gaps_are_not_judged_without_a_one_request_reference(context):
    with pytest.raises(CheckSkipped):
        checks.no_gaps(
            context(*LIST), walk_of(GOOD, reference=None) if False else _without_reference(walk_of(GOOD))
        )


def _without_reference(walk: Walk) -> Walk:
    walk.reference = None
    return walk


def test_a_total_that_disagrees_with_the_items_walked_fails(context):
    with pytest.raises(CheckFailed) as failed:
        checks.total_count(context(*LIST), walk_of(GOOD, total=6))
    assert failed.value.message == "Received: totalCount=6 / Walked: 5 items"


def test_a_total_that_changes_during_the_walk_fails(context):
    walk = walk_of(GOOD)
    walk.pages[1] = Page(page_exchange(2, 2, items(3, 4), total=7), 2, 2)
    with pytest.raises(CheckFailed) as failed:
        checks.total_count(context(*LIST), walk)
    assert "changed during the walk: 5 on the first page, 7 at offset 2" in failed.value.message


def test_a_next_link_on_the_last_page_only_warns_because_only_a_description_says_null(context):
    walk = walk_of(GOOD)
    body = {
        "count": 1,
        "data": items(5),
        "next": "http://h/api/things/?offset=6&limit=2",
        "previous": "http://h/api/things/?offset=2&limit=2",
        "totalCount": 5,
    }
    walk.pages[2] = Page(exchange(200, body), 4, 2)
    with pytest.raises(CheckFailed) as failed:
        checks.links(context(*LIST), walk)
    assert "next should be null here" in failed.value.message
    assert failed.value.verdict == WARN


def test_a_next_link_one_item_too_far_fails(context):
    walk = walk_of(GOOD)
    body = {
        "count": 2,
        "data": items(1, 2),
        "next": "http://h/api/things/?offset=3&limit=2",
        "previous": None,
        "totalCount": 5,
    }
    walk.pages[0] = Page(exchange(200, body), 0, 2)
    with pytest.raises(CheckFailed) as failed:
        checks.links(context(*LIST), walk)
    assert "points at offset=3, limit=2; expected offset=2, limit=2" in failed.value.message
    assert failed.value.verdict == FAIL


def test_a_previous_link_on_the_first_page_fails(context):
    walk = walk_of(GOOD)
    body = {
        "count": 2,
        "data": items(1, 2),
        "next": "http://h/api/things/?offset=2&limit=2",
        "previous": "http://h/api/things/?offset=0&limit=2",
        "totalCount": 5,
    }
    walk.pages[0] = Page(exchange(200, body), 0, 2)
    with pytest.raises(CheckFailed):
        checks.links(context(*LIST), walk)


def test_items_past_the_end_fail(context):
    walk = walk_of(GOOD)
    walk.beyond = Page(page_exchange(7, 2, items(5), total=5), 7, 2)
    with pytest.raises(CheckFailed) as failed:
        checks.out_of_range(context(*LIST), walk)
    assert failed.value.message == "Received: 1 items for offset=7 past the end / Expected: an empty page"


def test_a_documented_4xx_past_the_end_passes_and_an_undocumented_one_is_drift(context):
    walk = walk_of(GOOD)
    walk.beyond = Page(exchange(403, {}), 7, 2)
    checks.out_of_range(context(*LIST), walk)
    walk.beyond = Page(exchange(416, {}), 7, 2)
    with pytest.raises(CheckFailed) as failed:
        checks.out_of_range(context(*LIST), walk)
    assert failed.value.verdict == "drift"


def test_an_inferred_pagination_only_warns(context):
    pages = [(0, items(1, 2, 3)), (2, items(3, 4)), (4, items(5))]
    with pytest.raises(CheckFailed) as failed:
        checks.page_size(context(*LIST), walk_of(pages, inferred=True))
    assert failed.value.verdict == WARN


def test_a_walk_broken_by_the_transport_is_an_error(context):
    walk = walk_of(GOOD)
    walk.complete = False
    walk.aborted = "page at offset 2: timeout: no complete answer within 10 s"
    with pytest.raises(CheckFailed) as failed:
        checks.no_duplicates(context(*LIST), walk)
    assert failed.value.verdict == ERROR


def test_a_list_that_cannot_be_reached_is_skipped_with_its_reason(context):
    walk = Walk(
        spec=dict(SPEC),
        limit=2,
        aborted="the list answered 404 (its parent id was invented)",
        aborted_verdict="skip",
    )
    with pytest.raises(CheckSkipped) as skipped:
        checks.page_size(context(*LIST), walk)
    assert "404" in skipped.value.reason


def test_garbage_on_a_page_is_an_error(context):
    walk = walk_of(GOOD)
    walk.pages[1] = Page(exchange(200, raw=b'{"data": [{"id"'), 2, 2)
    with pytest.raises(CheckFailed) as failed:
        checks.no_duplicates(context(*LIST), walk)
    assert failed.value.verdict == ERROR


def test_only_paginated_operations_have_pagination_rows(contract):
    assert checks.page_size.__name__
    from mlops_conformance.checks import REGISTRY

    check = REGISTRY.get("pagination.page_size")
    assert check.applies(contract, contract.operation(*LIST))
    assert not check.applies(contract, contract.operation("GET", "/api/things/{thingId}/"))
    assert FAIL == "fail"


def test_items_without_an_id_are_told_apart_by_their_own_id_field(context):
    def model(n: int, category: str = "combined") -> dict[str, Any]:
        return {"combinedModelId": f"c{n}", "modelCategory": category}

    pages = [(0, [model(1, "changed"), model(2)]), (2, [model(3)])]
    walk = walk_of(pages, total=3, reference=[model(1), model(2), model(3)])
    checks.no_gaps(context(*LIST), walk)
    checks.no_duplicates(context(*LIST), walk)


SPEC_WITH_COUNT = {**SPEC, "count": "count"}


def test_a_count_that_disagrees_with_its_page_only_warns(context):
    walk = walk_of(GOOD)
    walk.spec = dict(SPEC_WITH_COUNT)
    checks.page_count(context(*LIST), walk)
    body = {
        "count": 3,
        "data": items(1, 2),
        "next": "http://h/api/things/?offset=2&limit=2",
        "previous": None,
    }
    walk.pages[0] = Page(exchange(200, {**body, "totalCount": 5}), 0, 2)
    with pytest.raises(CheckFailed) as failed:
        checks.page_count(context(*LIST), walk)
    assert failed.value.verdict == WARN
    assert failed.value.message.startswith("Received: count=3 on a page of 2 items at offset 0")


def _busy_walk() -> Walk:
    """Another user created t0 at the front after the first page was read: t2 shows up twice."""
    walk = walk_of([(0, items(1, 2)), (2, items(2, 3)), (4, items(4, 5))], total=5)
    walk.changed = "a fresh listing differs from the first (5 -> 6 items)"
    return walk


def test_a_duplicate_on_a_list_that_changed_mid_walk_only_warns_when_a_second_walk_holds(context):
    walk = _busy_walk()
    walk.second = walk_of(GOOD)
    with pytest.raises(CheckFailed) as failed:
        checks.no_duplicates(context(*LIST), walk)
    assert failed.value.verdict == WARN
    assert "a second walk held" in failed.value.message
    assert "a fresh listing differs" in failed.value.message


def test_a_duplicate_that_reproduces_on_a_quiet_second_walk_fails(context):
    walk = _busy_walk()
    walk.second = walk_of([(0, items(1, 2)), (2, items(2, 3)), (4, items(4, 5))], total=5)
    with pytest.raises(CheckFailed) as failed:
        checks.no_duplicates(context(*LIST), walk)
    assert failed.value.verdict == FAIL
    assert "again on a second walk" in failed.value.message
    assert failed.value.details[0].startswith("first walk, while a fresh listing differs")


def test_a_list_that_changes_during_both_walks_cannot_be_judged_and_warns(context):
    walk = _busy_walk()
    walk.second = _busy_walk()
    with pytest.raises(CheckFailed) as failed:
        checks.no_duplicates(context(*LIST), walk)
    assert failed.value.verdict == WARN
    assert "changed during both walks" in failed.value.message


def test_without_a_change_a_broken_rule_fails_at_once(context):
    walk = walk_of([(0, items(1, 2)), (2, items(2, 3)), (4, items(4, 5))], total=5)
    walk.second = walk_of(GOOD)  # never consulted: nothing showed the list changed
    with pytest.raises(CheckFailed) as failed:
        checks.no_duplicates(context(*LIST), walk)
    assert failed.value.verdict == FAIL
