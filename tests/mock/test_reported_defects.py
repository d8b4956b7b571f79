"""Regressions for defects the conformance suite found in the reference mock.

Each test names the rule the mock broke: a Location header built from raw unicode ids, stored request
fields echoed through response schemas that do not list them, a traceback logged for a client that
went away, and a 202-created resource its item path did not find. A small inline contract keeps
every case in one place and independent of the shared fixtures.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from _mockkit import BEARER, TOKEN, response_violations

from mlops_conformance.contract import Contract
from mlops_conformance.mock import create_app
from mlops_conformance.mock.server import serve_app


def _json(schema: Any) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


_LINK = {
    "type": "object",
    "required": ["linkId", "name"],
    "properties": {
        "linkId": {"type": "string"},
        "name": {"type": "string"},
        "settings": {
            "type": "object",
            "properties": {"mode": {"type": "string"}},
        },
        "steps": {
            "type": "array",
            "items": {"type": "object", "properties": {"label": {"type": "string"}}},
        },
        "labels": {"type": "object", "additionalProperties": {"type": "string"}},
    },
}
_LINK_CREATE = {
    "type": "object",
    "required": ["linkId", "name"],
    "properties": {
        "linkId": {"type": "string"},
        "name": {"type": "string"},
        "settings": {"type": "object"},
        "steps": {"type": "array"},
        "labels": {"type": "object"},
    },
}
_JOB_ACCEPTED = {
    "type": "object",
    "required": ["jobId", "statusId"],
    "properties": {"jobId": {"type": "string"}, "statusId": {"type": "string"}},
}
_JOB = {
    "type": "object",
    "required": ["jobId", "name"],
    "properties": {"jobId": {"type": "string"}, "name": {"type": "string"}},
}
_ITEM_PATH = {"name": "linkId", "in": "path", "required": True, "schema": {"type": "string"}}
_JOB_PATH = {"name": "jobId", "in": "path", "required": True, "schema": {"type": "string"}}

DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "defect regressions", "version": "1"},
    "security": [{"BearerAuth": []}],
    "components": {"securitySchemes": {"BearerAuth": {"type": "http", "scheme": "bearer"}}},
    "paths": {
        "/api/v2/links/": {
            "post": {
                "requestBody": {"required": True, "content": _json(_LINK_CREATE)},
                "responses": {
                    "201": {
                        "description": "created",
                        "content": _json(_LINK),
                        "headers": {"Location": {"schema": {"type": "string", "format": "uri"}}},
                    },
                    "422": {"description": "invalid"},
                },
            }
        },
        "/api/v2/links/{linkId}/": {
            "parameters": [_ITEM_PATH],
            "get": {"responses": {"200": {"description": "one", "content": _json(_LINK)}}},
        },
        "/api/v2/jobs/": {
            "post": {
                "requestBody": {
                    "required": True,
                    "content": _json({"type": "object", "properties": {"name": {"type": "string"}}}),
                },
                "responses": {"202": {"description": "accepted", "content": _json(_JOB_ACCEPTED)}},
            }
        },
        "/api/v2/jobs/{jobId}/": {
            "parameters": [_JOB_PATH],
            "get": {"responses": {"200": {"description": "one", "content": _json(_JOB)}}},
        },
    },
}


@pytest.fixture(scope="module")
def contract() -> Contract:
    return Contract("datarobot", DOCUMENT)


@pytest.fixture(scope="module")
def client(contract: Contract) -> Iterator[httpx.Client]:
    with (
        serve_app(create_app([contract], token=TOKEN, seed=3)) as running,
        httpx.Client(base_url=running.url, headers=BEARER, timeout=10) as http,
    ):
        yield http


def test_a_unicode_id_reaches_the_location_header_percent_encoded(client: httpx.Client) -> None:
    chosen = "ünï cødé/✓\u2028"
    created = client.post("/api/v2/links/", json={"linkId": chosen, "name": "n"})
    assert created.status_code == 201, created.text
    location = created.headers["location"]
    assert location.isascii() and location.endswith(f"/api/v2/links/{quote(chosen, safe='')}/")
    assert client.get(location).json()["linkId"] == chosen


def test_body_fields_the_response_schema_does_not_list_are_not_echoed(
    client: httpx.Client, contract: Contract
) -> None:
    sent = {
        "linkId": "shape-1",
        "name": "n",
        "undocumented": "top",
        "settings": {"mode": "fast", "gitCredentialId": "secret-ish"},
        "steps": [{"label": "a", "extra": 1}],
        "labels": {"free": "form"},  # a map: any key is documented
    }
    created = client.post("/api/v2/links/", json=sent)
    fetched = client.get("/api/v2/links/shape-1/")
    for response, method, path in (
        (created, "POST", "/api/v2/links/"),
        (fetched, "GET", "/api/v2/links/{linkId}/"),
    ):
        body = response.json()
        assert "undocumented" not in body
        assert body["settings"] == {"mode": "fast"}
        assert body["steps"] == [{"label": "a"}]
        assert body["labels"] == {"free": "form"}
        op = contract.operation(method, path)
        assert response_violations(contract, op, response.status_code, body) == []


def test_a_202_created_resource_is_readable_at_its_item_path(client: httpx.Client) -> None:
    accepted = client.post("/api/v2/jobs/", json={"name": "convert"})
    assert accepted.status_code == 202
    job_id = accepted.json()["jobId"]
    fetched = client.get(f"/api/v2/jobs/{quote(job_id, safe='')}/")
    assert fetched.status_code == 200 and fetched.json()["jobId"] == job_id


def test_an_undocumented_id_field_in_a_create_body_does_not_choose_the_id(client: httpx.Client) -> None:
    accepted = client.post("/api/v2/jobs/", json={"name": "convert", "jobId": ".."})
    job_id = accepted.json()["jobId"]
    assert job_id != ".."
    assert client.get(f"/api/v2/jobs/{job_id}/").json()["jobId"] == job_id


def _disconnecting_request(contract: Contract, *, fail_send: bool) -> None:
    """Drive the ASGI app directly: a POST whose client disconnects (or whose socket is gone)."""
    app = create_app([contract], token=TOKEN, seed=3)
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/v2/links/",
        "raw_path": b"/api/v2/links/",
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"127.0.0.1"),
            (b"authorization", f"Bearer {TOKEN}".encode()),
            (b"content-type", b"application/json"),
        ],
        "server": ("127.0.0.1", 80),
        "client": ("127.0.0.1", 5000),
    }
    messages = (
        [{"type": "http.request", "body": b'{"linkId": "d", "name": "n"}', "more_body": False}]
        if fail_send
        else [{"type": "http.disconnect"}]
    )

    async def receive() -> dict[str, Any]:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if fail_send:
            raise OSError("connection reset by peer")
        raise AssertionError(f"nothing should be sent to a client that left: {message}")

    asyncio.run(app(scope, receive, send))


@pytest.mark.parametrize("fail_send", [False, True], ids=["while-reading", "while-answering"])
def test_a_client_that_leaves_costs_at_most_one_debug_line(
    contract: Contract, caplog: pytest.LogCaptureFixture, fail_send: bool
) -> None:
    with caplog.at_level(logging.DEBUG, logger="mlops_conformance.mock"):
        _disconnecting_request(contract, fail_send=fail_send)
    mine = [r for r in caplog.records if r.name.startswith("mlops_conformance.mock")]
    assert len(mine) <= 1
    assert all(r.levelno <= logging.DEBUG and r.exc_info is None for r in mine)
