"""The pagination invariants on hand-built walks of a cursor-paginated list (``style: cursor``)."""

from __future__ import annotations

from typing import Any

import pytest

from mlops_conformance.checks import (
    FAIL,
    REGISTRY,
    WARN,
    CheckContext,
    CheckFailed,
    CheckSkipped,
    Exchange,
    Page,
    Walk,
)
from mlops_conformance.checks import pagination as checks
from mlops_conformance.contract import Contract

from ._build import exchange

SPEC = {
    "style": "cursor",
    "in": "query",
    "limit": "max_results",
    "cursor": "page_token",
    "next": "next_page_token",
    "items": "runs",
    "maxLimit": None,
    "defaultLimit": 100,
}
RUN = {"type": "object", "properties": {"run_id": {"type": "string"}, "name": {"type": "string"}}}
LISTING = {
    "type": "object",
    "properties": {"runs": {"type": "array", "items": RUN}, "next_page_token": {"type": "string"}},
}
DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "cursor", "version": "1"},
    "paths": {
        "/api/runs": {
            "get": {
                "parameters": [
                    {"name": "max_results", "in": "query", "schema": {"type": "integer"}},
                    {"name": "page_token", "in": "query", "schema": {"type": "string"}},
                ],
                "x-pagination": SPEC,
                "responses": {
                    "200": {"description": "OK", "content": {"application/json": {"schema": LISTING}}}
                },
            }
        }
    },
}
OFFSET_ONLY = (
    "pagination.total_count",
    "pagination.links",
    "pagination.out_of_range",
    "pagination.page_count",
)


@pytest.fixture(scope="module")
def ctx() -> CheckContext:
    contract = Contract("cursor", DOCUMENT)
    return CheckContext(contract, contract.operation("GET", "/api/runs"))


def runs(*ids: int) -> list[dict[str, Any]]:
    return [{"run_id": f"r{i}", "name": f"n{i}"} for i in ids]


def page(found: list[Any], token: str | None, *, asked: str | None, limit: int) -> Exchange:
    body: dict[str, Any] = {"runs": found}
    if token is not None:
        body["next_page_token"] = token
    query = f"max_results={limit}" + (f"&page_token={asked}" if asked else "")
    return exchange(200, body, url=f"http://h/api/runs?{query}")


def walk_of(
    pages: list[tuple[list[Any], str | None]],
    *,
    limit: int = 2,
    reference: list[Any] | None = None,
    inferred: bool = False,
) -> Walk:
    """A complete cursor walk over ``pages`` (items, next token), each asked for with the previous token."""
    walk = Walk(spec=dict(SPEC), limit=limit, complete=True, inferred=inferred)
    asked: str | None = None
    position = 0
    for found, token in pages:
        walk.pages.append(Page(page(found, token, asked=asked, limit=limit), position, limit, cursor=asked))
        position += len(found)
        asked = token
    listed = reference if reference is not None else [i for found, _ in pages for i in found]
    walk.reference = page(listed, None, asked=None, limit=100)
    return walk


GOOD = [(runs(1, 2), "t2"), (runs(3, 4), "t4"), (runs(5), None)]


def test_offset_only_checks_do_not_apply_to_a_cursor_list(ctx):
    for check_id in OFFSET_ONLY:
        assert not REGISTRY.get(check_id).applies(ctx.contract, ctx.operation), check_id
    for check_id in (
        "pagination.page_size",
        "pagination.no_duplicates",
        "pagination.no_gaps",
        "pagination.last_page_token",
    ):
        assert REGISTRY.get(check_id).applies(ctx.contract, ctx.operation), check_id


def test_the_last_page_token_check_does_not_apply_to_an_offset_list(context):
    offset = context("GET", "/api/things/")
    assert not REGISTRY.get("pagination.last_page_token").applies(offset.contract, offset.operation)
    for check_id in OFFSET_ONLY[:3]:
        assert REGISTRY.get(check_id).applies(offset.contract, offset.operation), check_id


@pytest.mark.parametrize(
    "check", [checks.page_size, checks.no_duplicates, checks.no_gaps, checks.last_page_token]
)
def test_a_correct_cursor_walk_passes_every_invariant(ctx, check):
    check(ctx, walk_of(GOOD))


def test_a_page_larger_than_max_results_fails(ctx):
    pages = [(runs(1, 2, 3), "t3"), (runs(4, 5), None)]
    with pytest.raises(CheckFailed) as failed:
        checks.page_size(ctx, walk_of(pages))
    assert failed.value.message == "Received: 3 items on page 1 / Documented: at most max_results=2"
    assert failed.value.verdict == FAIL


def test_an_item_on_two_pages_is_a_duplicate(ctx):
    pages = [(runs(1, 2), "t2"), (runs(2, 3), "t3"), (runs(4, 5), None)]
    with pytest.raises(CheckFailed) as failed:
        checks.no_duplicates(ctx, walk_of(pages, reference=runs(1, 2, 3, 4, 5)))
    assert failed.value.message == "item r2 appears on page 1 and again on page 2"
    assert failed.value.verdict == FAIL


def test_an_inferred_annotation_only_warns(ctx):
    pages = [(runs(1, 2), "t2"), (runs(2, 3), "t3"), (runs(4, 5), None)]
    with pytest.raises(CheckFailed) as failed:
        checks.no_duplicates(ctx, walk_of(pages, reference=runs(1, 2, 3, 4, 5), inferred=True))
    assert failed.value.verdict == WARN


def test_a_token_missing_before_the_end_leaves_a_gap(ctx):
    pages = [(runs(1, 2), "t2"), (runs(3, 4), None)]
    with pytest.raises(CheckFailed) as failed:
        checks.no_gaps(ctx, walk_of(pages, reference=runs(1, 2, 3, 4, 5)))
    assert "item r5 never appeared" in failed.value.message
    assert failed.value.verdict == FAIL


def test_gaps_are_not_judged_without_a_one_request_reference(ctx):
    walk = walk_of(GOOD)
    walk.reference = None
    with pytest.raises(CheckSkipped):
        checks.no_gaps(ctx, walk)


def test_a_token_on_a_short_last_page_warns(ctx):
    pages = [(runs(1, 2), "t2"), (runs(3, 4), "t4"), (runs(5), "t5"), ([], None)]
    with pytest.raises(CheckFailed) as failed:
        checks.last_page_token(ctx, walk_of(pages))
    assert failed.value.message == (
        "page 3 holds 1 of 2 items, the end of the list, and still carries "
        "next_page_token='t5' / Documented: no token on the last page"
    )
    assert failed.value.verdict == WARN


def test_a_token_on_an_empty_page_warns(ctx):
    pages = [(runs(1, 2), "t2"), ([], "t3")]
    with pytest.raises(CheckFailed) as failed:
        checks.last_page_token(ctx, walk_of(pages, reference=runs(1, 2)))
    assert "page 2 is empty and still carries next_page_token='t3'" in failed.value.message


def test_a_token_on_a_full_page_before_an_empty_one_is_not_judged(ctx):
    """MLflow's SQL store answers a full page with a token, the next one empty: it cannot know."""
    checks.last_page_token(ctx, walk_of([(runs(1, 2), "t2"), (runs(3, 4), "t4"), ([], None)]))


def test_an_empty_token_ends_the_list_like_a_missing_one(ctx):
    checks.last_page_token(ctx, walk_of([(runs(1, 2), "t2"), (runs(3), "")]))


def test_a_failure_on_a_list_that_changed_and_then_held_is_only_a_warning(ctx):
    pages = [(runs(1, 2), "t2"), (runs(2, 3), "t3"), (runs(4, 5), None)]
    walk = walk_of(pages, reference=runs(1, 2, 3, 4, 5))
    walk.changed = "a fresh listing differs from the first (5 -> 5 items)"
    walk.second = walk_of(GOOD)
    with pytest.raises(CheckFailed) as failed:
        checks.no_duplicates(ctx, walk)
    assert failed.value.verdict == WARN
    assert "a second walk held" in failed.value.message


def test_a_post_search_skipped_in_a_read_only_run_skips_every_check(ctx):
    walk = Walk(spec=dict(SPEC, **{"in": "body"}), limit=100)
    walk.aborted, walk.aborted_verdict = "a POST search needs --allow-writes", "skip"
    for check in (checks.page_size, checks.no_duplicates, checks.no_gaps, checks.last_page_token):
        with pytest.raises(CheckSkipped, match="a POST search needs --allow-writes"):
            check(ctx, walk)
