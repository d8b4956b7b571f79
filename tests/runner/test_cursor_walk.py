"""Walking cursor-paginated lists (``x-pagination`` style ``cursor``) against a tiny real server.

A Starlette app under uvicorn serves token-paginated lists of runs, as MLflow does: ``max_results`` and
``page_token`` in the query of a GET or in the JSON body of a POST search, ``next_page_token`` in the
answer. Each list has a behaviour: ``good``, ``dup`` (the first item of a page repeats the last of the
page before), ``trailing`` (a token on the last page, whose token leads to an empty page), ``loop``
(the same token forever) and ``busy`` (an item is added once the walk has started).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from mlops_conformance.checks import FAIL, WARN, CheckContext, CheckFailed, CheckSkipped, Walk
from mlops_conformance.checks import pagination as checks
from mlops_conformance.contract import Contract
from mlops_conformance.mock.server import serve_app
from mlops_conformance.runner.client import Credential, TargetClient
from mlops_conformance.runner.generate import Generator
from mlops_conformance.runner.resources import Resources, Tracker
from mlops_conformance.runner.walk import walk

KINDS = ("good", "dup", "trailing", "loop", "busy")
CURSOR_CHECKS = (checks.page_size, checks.no_duplicates, checks.no_gaps, checks.last_page_token)
STATE: dict[str, Any] = {"runs": 7, "busy_requests": 0, "bodies": []}


def _runs(count: int) -> list[dict[str, Any]]:
    return [{"run_id": f"r{i}", "name": f"run {i}"} for i in range(1, count + 1)]


def _page(kind: str, limit: int, token: str | None) -> dict[str, Any]:
    listed = _runs(STATE["runs"])
    if kind == "busy":
        STATE["busy_requests"] += 1
        if STATE["busy_requests"] > 2:  # after the reference listing and the first page
            listed = [{"run_id": "r0", "name": "someone else's run"}, *listed]
    start = int(token) if token else 0
    if kind == "dup" and start:
        start -= 1  # overlaps the page before by one item
    found = listed[start : start + limit]
    end = start + len(found)
    body: dict[str, Any] = {"runs": found}
    if kind == "loop" and found:
        body["next_page_token"] = str(limit)  # always the second page
    elif end < len(listed) or (kind == "trailing" and found):
        body["next_page_token"] = str(end)
    return body


def _query_list(request: Request) -> JSONResponse:
    kind = request.path_params["kind"]
    limit = int(request.query_params.get("max_results", "1000"))
    return JSONResponse(_page(kind, limit, request.query_params.get("page_token")))


async def _body_search(request: Request) -> JSONResponse:
    body = await request.json()
    STATE["bodies"].append(body)
    if body.get("experiment_ids") != ["0"]:
        return JSONResponse({"error_code": "INVALID_PARAMETER_VALUE"}, status_code=400)
    return JSONResponse(
        _page(request.path_params["kind"], int(body.get("max_results", 1000)), body.get("page_token"))
    )


def _contract() -> Contract:
    run = {"type": "object", "properties": {"run_id": {"type": "string"}, "name": {"type": "string"}}}
    answer = {
        "200": {
            "description": "OK",
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "runs": {"type": "array", "items": run},
                            "next_page_token": {"type": "string"},
                        },
                    }
                }
            },
        }
    }

    def spec(where: str) -> dict[str, Any]:
        return {
            "style": "cursor",
            "in": where,
            "limit": "max_results",
            "cursor": "page_token",
            "next": "next_page_token",
            "items": "runs",
            "maxLimit": None,
            "defaultLimit": 1000,
        }

    paths: dict[str, Any] = {}
    for kind in KINDS:
        paths[f"/api/{kind}/runs"] = {
            "get": {
                "parameters": [
                    {"name": "max_results", "in": "query", "schema": {"type": "integer", "default": 1000}},
                    {"name": "page_token", "in": "query", "schema": {"type": "string"}},
                ],
                "x-pagination": spec("query"),
                "responses": answer,
            }
        }
        paths[f"/api/{kind}/runs/search"] = {
            "post": {
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["experiment_ids"],
                                "properties": {
                                    "experiment_ids": {
                                        "type": "array",
                                        "items": {"type": "string", "example": "0"},
                                    },
                                    "max_results": {"type": "integer", "default": 1000},
                                    "page_token": {"type": "string"},
                                },
                            }
                        }
                    }
                },
                "x-pagination": spec("body"),
                "responses": answer,
            }
        }
    document = {
        "openapi": "3.1.0",
        "info": {"title": "cursor lists", "version": "1"},
        "security": [],
        "paths": paths,
    }
    return Contract("mini", document)


CONTRACT = _contract()


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    app = Starlette(
        routes=[
            Route("/api/{kind}/runs", _query_list, methods=["GET"]),
            Route("/api/{kind}/runs/search", _body_search, methods=["POST"]),
        ]
    )
    with serve_app(app) as running:
        yield running.url


@pytest.fixture(autouse=True)
def _fresh_state() -> None:
    STATE.update(runs=7, busy_requests=0, bodies=[])


def _resources(url: str, *, writes: bool) -> Resources:
    client = TargetClient(
        url, tokens={"mini": "tok"}, credentials={"mini": Credential()}, timeout_s=5, allow_writes=writes
    )
    return Resources("mini", CONTRACT, client, Generator(CONTRACT, 1, 1), Tracker(client), writes=writes)


def _walk(url: str, method: str, path: str, *, writes: bool = False) -> tuple[Walk, CheckContext, Resources]:
    resources = _resources(url, writes=writes)
    op = CONTRACT.operation(method, path)
    return walk(resources, op), CheckContext(CONTRACT, op), resources


def _judge(ctx: CheckContext, record: Walk) -> dict[str, tuple[str, str]]:
    """``{check name: (verdict, message)}`` for every cursor check ("pass" when the rule holds)."""
    found = {}
    for check in CURSOR_CHECKS:
        try:
            check(ctx, record)
            found[check.__name__] = ("pass", "")
        except CheckFailed as failed:
            found[check.__name__] = (failed.verdict, failed.message)
        except CheckSkipped as skipped:
            found[check.__name__] = ("skip", str(skipped))
    return found


def _tokens(record: Walk) -> list[str | None]:
    return [page.cursor for page in record.pages]


def test_a_query_list_is_walked_by_tokens_in_thirds_and_passes(server):
    record, ctx, _ = _walk(server, "GET", "/api/good/runs")
    assert record.complete and record.aborted is None
    assert record.reference is not None and record.limit == 3
    assert _tokens(record) == [None, "3", "6"]
    urls = [page.exchange.request.url for page in record.pages]
    assert urls[0].endswith("/api/good/runs?max_results=3")
    assert urls[1].endswith("/api/good/runs?max_results=3&page_token=3")
    assert record.beyond is None and record.changed is None
    assert {v for v, _ in _judge(ctx, record).values()} == {"pass"}


def test_a_post_search_sends_the_token_in_its_json_body_when_writes_are_allowed(server):
    record, ctx, _ = _walk(server, "POST", "/api/good/runs/search", writes=True)
    assert record.complete and record.aborted is None
    assert [page.exchange.request.method for page in record.pages] == ["POST"] * 3
    assert [json.loads(page.exchange.request.body or b"{}") for page in record.pages] == [
        {"experiment_ids": ["0"], "max_results": 3},
        {"experiment_ids": ["0"], "max_results": 3, "page_token": "3"},
        {"experiment_ids": ["0"], "max_results": 3, "page_token": "6"},
    ]
    assert {v for v, _ in _judge(ctx, record).values()} == {"pass"}


def test_a_post_search_is_not_walked_in_a_read_only_run(server):
    record, ctx, resources = _walk(server, "POST", "/api/good/runs/search")
    assert record.aborted == "a POST search needs --allow-writes" and record.aborted_verdict == "skip"
    assert resources.client.requests_sent == 0 and STATE["bodies"] == []
    assert {v for v, _ in _judge(ctx, record).values()} == {"skip"}


@pytest.mark.parametrize("method, path", [("GET", "/api/dup/runs"), ("POST", "/api/dup/runs/search")])
def test_an_item_repeated_on_the_next_page_fails_no_duplicates(server, method, path):
    record, ctx, _ = _walk(server, method, path, writes=True)
    verdicts = _judge(ctx, record)
    assert verdicts["no_duplicates"] == (FAIL, "item r3 appears on page 1 and again on page 2")
    assert verdicts["page_size"] == ("pass", "")


@pytest.mark.parametrize(
    "method, path", [("GET", "/api/trailing/runs"), ("POST", "/api/trailing/runs/search")]
)
def test_a_token_on_the_last_page_warns(server, method, path):
    record, ctx, _ = _walk(server, method, path, writes=True)
    assert record.complete and record.reference is not None  # its token led to an empty page
    assert _tokens(record) == [None, "3", "6", "7"]
    verdicts = _judge(ctx, record)
    assert verdicts["last_page_token"] == (
        WARN,
        (
            "page 3 holds 1 of 3 items, the end of the list, and still carries next_page_token='7' "
            "/ Documented: no token on the last page"
        ),
    )
    assert verdicts["no_gaps"] == verdicts["no_duplicates"] == ("pass", "")


def test_a_token_that_loops_stops_the_walk_and_shows_as_duplicates(server):
    record, ctx, _ = _walk(server, "GET", "/api/loop/runs")
    assert not record.complete and _tokens(record) == [None, "3", "3"]
    verdicts = _judge(ctx, record)
    assert verdicts["no_duplicates"] == (FAIL, "item r4 appears on page 2 and again on page 3")


def test_a_list_that_changes_under_the_walk_is_walked_again(server):
    record, ctx, _ = _walk(server, "GET", "/api/busy/runs")
    assert record.changed == "a fresh listing differs from the first (7 -> 8 items)"
    assert record.second is not None and record.second.changed is None and record.second.complete
    verdicts = _judge(ctx, record)
    assert verdicts["no_gaps"][0] == WARN and "a second walk held" in verdicts["no_gaps"][1]
    assert verdicts["no_duplicates"][0] == WARN


def test_max_pages_leaves_the_walk_incomplete(server, monkeypatch):
    monkeypatch.setattr("mlops_conformance.runner.walk.MAX_PAGES", 2)
    record, _, _ = _walk(server, "GET", "/api/good/runs")
    assert len(record.pages) == 2 and not record.complete
