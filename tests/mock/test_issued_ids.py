"""An id the mock never issued is a 404, unless the contract gives the mock no way to issue it.

A small inline contract holds one case of each rule: a managed collection (list and create), its
sub-collection, a list whose items show the id under another name (``modelVersion`` for
``version``), two aliases (the same parameter elsewhere; a resource created under every parent), a
link (POST on the item URL), job ids the schema wants numeric, a list without item routes, and an
open collection nothing lists or creates.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from _mockkit import BEARER, TOKEN, response_violations

from mlops_conformance.contract import Contract
from mlops_conformance.mock import create_app
from mlops_conformance.mock.resources import plan_operations
from mlops_conformance.mock.schemas import SchemaTools
from mlops_conformance.mock.server import serve_app

_OFFSET = {"name": "offset", "in": "query", "schema": {"type": "integer", "default": 0}}
_LIMIT = {"name": "limit", "in": "query", "schema": {"type": "integer", "default": 20}}
_PAGING = {"style": "offset", "offset": "offset", "limit": "limit", "items": "data", "total": "totalCount"}


def _json(schema: Any) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _path(name: str, kind: str = "string") -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": kind}}


def _page(item: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["data", "totalCount"],
        "properties": {"data": {"type": "array", "items": item}, "totalCount": {"type": "integer"}},
    }


def _ok(schema: Any, status: str = "200") -> dict[str, Any]:
    return {status: {"description": "ok", "content": _json(schema)}, "404": {"description": "not found"}}


def _listing(item: Any) -> dict[str, Any]:
    return {"parameters": [_OFFSET, _LIMIT], "x-pagination": _PAGING, "responses": _ok(_page(item))}


def _create(item: Any) -> dict[str, Any]:
    body = {"type": "object", "properties": {"name": {"type": "string"}}}
    return {"requestBody": {"content": _json(body)}, "responses": _ok(item, "201")}


_DATASET = {
    "type": "object",
    "required": ["id", "name"],
    "properties": {"id": {"type": "string"}, "name": {"type": "string"}},
}
_SNAPSHOT = {
    "type": "object",
    "required": ["id"],
    "properties": {"id": {"type": "string"}, "size": {"type": "integer"}},
}
_VERSION = {
    "type": "object",
    "required": ["modelVersion"],
    "properties": {"modelVersion": {"type": "integer"}, "modelVersionDescription": {"type": "string"}},
}
_JOB = {
    "type": "object",
    "required": ["id", "status"],
    "properties": {"id": {"type": "string", "pattern": "^\\d+$"}, "status": {"type": "string"}},
}
_PROJECT_ROW = {"type": "object", "required": ["projectId"], "properties": {"projectId": {"type": "string"}}}
_REPORT = {"type": "object", "properties": {"id": {"type": "string"}, "title": {"type": "string"}}}
_LINKED = {"type": "object", "properties": {"entityId": {"type": "string"}}}

DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "issued ids", "version": "1"},
    "security": [{"BearerAuth": []}],
    "components": {"securitySchemes": {"BearerAuth": {"type": "http", "scheme": "bearer"}}},
    "paths": {
        "/api/v2/datasets/": {"get": _listing(_DATASET), "post": _create(_DATASET)},
        "/api/v2/datasets/{datasetId}/": {
            "parameters": [_path("datasetId")],
            "get": {"responses": _ok(_DATASET)},
            "patch": {"requestBody": {"content": _json({"type": "object"})}, "responses": _ok(_DATASET)},
            "put": {"requestBody": {"content": _json({"type": "object"})}, "responses": _ok(_DATASET)},
            "delete": {"responses": {"204": {"description": "gone"}, "404": {"description": "not found"}}},
        },
        "/api/v2/datasets/{datasetId}/snapshots/": {
            "parameters": [_path("datasetId")],
            "get": _listing(_SNAPSHOT),
            "post": _create(_SNAPSHOT),
        },
        "/api/v2/datasets/{datasetId}/download/": {
            "parameters": [_path("datasetId")],
            "get": {"responses": _ok({"type": "object", "properties": {"url": {"type": "string"}}})},
        },
        "/api/v2/snapshots/{snapshotId}/": {
            "parameters": [_path("snapshotId")],
            "get": {"responses": _ok(_SNAPSHOT)},
        },
        "/api/v2/datasetsCleanup/{datasetId}/": {
            "parameters": [_path("datasetId")],
            "post": {"responses": {"204": {"description": "purged"}, "404": {"description": "not found"}}},
        },
        "/api/v2/datasets/{datasetId}/versions/": {
            "parameters": [_path("datasetId")],
            "get": _listing(_VERSION),
        },
        "/api/v2/datasets/{datasetId}/versions/{version}/": {
            "parameters": [_path("datasetId"), _path("version", "integer")],
            "get": {"responses": _ok(_VERSION)},
        },
        "/api/v2/datasets/{datasetId}/jobs/": {
            "parameters": [_path("datasetId")],
            "get": {
                "responses": {
                    "200": {"description": "jobs", "content": _json({"type": "array", "items": _JOB})}
                }
            },
        },
        "/api/v2/datasets/{datasetId}/jobs/{jobId}/": {
            "parameters": [_path("datasetId"), _path("jobId")],
            "get": {"responses": _ok(_JOB)},
        },
        "/api/v2/datasets/{datasetId}/projects/": {
            "parameters": [_path("datasetId")],
            "get": _listing(_PROJECT_ROW),
        },
        "/api/v2/datasets/{datasetId}/{referenceType}/{entityId}/": {
            "parameters": [
                _path("datasetId"),
                {
                    "name": "referenceType",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string", "enum": ["projects"]},
                },
                _path("entityId"),
            ],
            "post": {
                "responses": {
                    "201": {"description": "linked"},
                    "409": {"description": "already linked"},
                    "404": {"description": "not found"},
                }
            },
            "patch": {"requestBody": {"content": _json({"type": "object"})}, "responses": _ok(_LINKED)},
            "delete": {
                "responses": {"204": {"description": "unlinked"}, "404": {"description": "not linked"}}
            },
        },
        "/api/v2/reports/{reportId}/": {
            "parameters": [_path("reportId")],
            "get": {"responses": _ok(_REPORT)},
        },
    },
}

UNKNOWN = "0" * 24


@pytest.fixture(scope="module")
def contract() -> Contract:
    return Contract("datarobot", DOCUMENT)


@pytest.fixture(scope="module")
def http(contract: Contract) -> Iterator[httpx.Client]:
    with (
        serve_app(create_app([contract], token=TOKEN, seed=5)) as running,
        httpx.Client(base_url=running.url, headers=BEARER, timeout=10) as client,
    ):
        yield client


def _first(http: httpx.Client, url: str) -> dict[str, Any]:
    answer = http.get(url)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    items = body["data"] if isinstance(body, dict) else body
    assert items, f"{url} lists nothing"
    return items[0]


def test_the_plans_say_which_collections_issue_their_ids(contract: Contract) -> None:
    plans = {(p.op.method, p.op.path): p for p in plan_operations(contract, SchemaTools(contract))}
    assert plans["GET", "/api/v2/datasets/{datasetId}/versions/{version}/"].id_fields == (
        "modelVersion",
        "version",
    )
    assert plans["GET", "/api/v2/datasets/{datasetId}/versions/{version}/"].managed
    assert plans["GET", "/api/v2/snapshots/{snapshotId}/"].alias == (
        "api",
        "*",
        "datasets",
        "{}",
        "snapshots",
    )
    assert plans["POST", "/api/v2/datasetsCleanup/{datasetId}/"].alias == ("api", "*", "datasets")
    assert plans["POST", "/api/v2/datasets/{datasetId}/{referenceType}/{entityId}/"].kind == "link"
    assert plans["GET", "/api/v2/datasets/{datasetId}/projects/"].id_fields == ("projectId", "id")
    report = plans["GET", "/api/v2/reports/{reportId}/"]
    assert not report.managed and report.alias is None  # nothing lists or creates reports: open


@pytest.mark.parametrize("method", ["GET", "PATCH", "PUT", "DELETE"])
def test_an_unknown_item_id_is_a_404_on_every_item_route(http: httpx.Client, method: str) -> None:
    body = {} if method in ("PATCH", "PUT") else None
    answer = http.request(method, f"/api/v2/datasets/{UNKNOWN}/", json=body)
    assert answer.status_code == 404 and UNKNOWN in answer.json()["message"]


@pytest.mark.parametrize("tail", ["snapshots/", "download/", "versions/", "versions/1/", "jobs/", "jobs/1/"])
def test_everything_under_an_unknown_parent_is_a_404(http: httpx.Client, tail: str) -> None:
    assert http.get(f"/api/v2/datasets/{UNKNOWN}/{tail}").status_code == 404


def test_a_list_showing_the_id_under_another_name_issues_those_ids(http: httpx.Client) -> None:
    dataset = _first(http, "/api/v2/datasets/")["id"]
    version = _first(http, f"/api/v2/datasets/{dataset}/versions/")["modelVersion"]
    assert isinstance(version, int)
    read = http.get(f"/api/v2/datasets/{dataset}/versions/{version}/")
    assert read.status_code == 200 and read.json()["modelVersion"] == version
    assert http.get(f"/api/v2/datasets/{dataset}/versions/987654/").status_code == 404


def test_job_ids_follow_the_pattern_of_the_id_the_bodies_show(http: httpx.Client, contract: Contract) -> None:
    dataset = _first(http, "/api/v2/datasets/")["id"]
    jobs = http.get(f"/api/v2/datasets/{dataset}/jobs/").json()
    assert jobs and all(job["id"].isdigit() for job in jobs)
    op = contract.operation("GET", "/api/v2/datasets/{datasetId}/jobs/{jobId}/")
    read = http.get(f"/api/v2/datasets/{dataset}/jobs/{jobs[0]['id']}/")
    assert read.status_code == 200 and read.json()["id"] == jobs[0]["id"]
    assert response_violations(contract, op, 200, read.json()) == []


def test_an_alias_knows_exactly_the_ids_its_collection_issued(http: httpx.Client) -> None:
    dataset = _first(http, "/api/v2/datasets/")["id"]
    listed = _first(http, f"/api/v2/datasets/{dataset}/snapshots/")["id"]
    created = http.post(f"/api/v2/datasets/{dataset}/snapshots/", json={"name": "s"}).json()["id"]
    for snapshot in (listed, created):
        answer = http.get(f"/api/v2/snapshots/{snapshot}/")
        assert answer.status_code == 200 and answer.json()["id"] == snapshot
    assert http.get(f"/api/v2/snapshots/{UNKNOWN}/").status_code == 404
    assert http.post(f"/api/v2/datasetsCleanup/{UNKNOWN}/").status_code == 404
    assert http.post(f"/api/v2/datasetsCleanup/{dataset}/").status_code == 204


def test_a_link_exists_once_posted_and_until_deleted(http: httpx.Client) -> None:
    dataset = _first(http, "/api/v2/datasets/")["id"]
    url = f"/api/v2/datasets/{dataset}/projects/p-linked/"
    assert http.delete(url).status_code == 404  # never linked
    assert http.patch(url, json={}).status_code == 404
    assert http.post(url).status_code == 201
    assert http.post(url).status_code == 409  # already linked, as documented
    assert http.patch(url, json={}).json()["entityId"] == "p-linked"
    assert http.delete(url).status_code == 204
    assert http.delete(url).status_code == 404
    assert http.post(f"/api/v2/datasets/{UNKNOWN}/projects/p-linked/").status_code == 404


def test_a_list_without_item_routes_is_seeded_with_its_ids_pinned(http: httpx.Client) -> None:
    dataset = _first(http, "/api/v2/datasets/")["id"]
    rows = http.get(f"/api/v2/datasets/{dataset}/projects/").json()
    assert rows["totalCount"] == 3 and len({row["projectId"] for row in rows["data"]}) == 3


def test_an_open_collection_answers_any_id_the_contract_gives_no_way_to_learn(http: httpx.Client) -> None:
    answer = http.get("/api/v2/reports/anything/")
    assert answer.status_code == 200 and answer.json()["id"] == "anything"
