"""Bad input never gives a 5xx: it gets the documented 4xx, always with a JSON body."""

from __future__ import annotations

import httpx
import pytest

from mlops_conformance.contract import Contract
from mlops_conformance.mock import create_app
from mlops_conformance.mock.server import serve_app


def _is_json_4xx(response: httpx.Response, *expected: int) -> bool:
    return (
        response.status_code in expected
        and response.headers["content-type"] == "application/json"
        and bool(response.json())
    )


def test_malformed_json_is_rejected_with_a_documented_status(http: httpx.Client) -> None:
    response = http.post(
        "/api/v2/widgets/", content=b'{"name": ', headers={"content-type": "application/json"}
    )
    assert _is_json_4xx(response, 422)  # the operation documents 422 only


def test_a_body_that_breaks_its_schema_is_a_422(http: httpx.Client) -> None:
    for body in ({}, {"name": ""}, {"name": "x", "kind": "wheel"}, {"name": "x", "size": 11}, ["name"]):
        assert _is_json_4xx(http.post("/api/v2/widgets/", json=body), 422), body


def test_a_wrong_content_type_is_refused(http: httpx.Client) -> None:
    response = http.post(
        "/api/v2/widgets/", content=b"name=x", headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert _is_json_4xx(response, 422) and "Content-Type" in response.json()["message"]


def test_a_missing_required_body_is_refused(http: httpx.Client) -> None:
    assert _is_json_4xx(http.post("/api/v2/widgets/"), 422)


def test_an_invalid_query_parameter_prefers_the_documented_400(http: httpx.Client) -> None:
    assert _is_json_4xx(http.get("/api/v2/widgets/", params={"orderBy": "size"}), 400)
    assert _is_json_4xx(http.get("/api/v2/widgets/", params={"kinds": ["gear", "wheel"]}), 400)
    assert http.get("/api/v2/widgets/", params={"kinds": ["gear", "Cog"]}).status_code == 200


def test_an_invalid_path_parameter_is_a_404(http: httpx.Client) -> None:
    widget = http.post("/api/v2/widgets/", json={"name": "w"}).json()["id"]
    assert _is_json_4xx(http.post(f"/api/v2/widgets/{widget}/notebooks/e1/"), 404)
    assert http.post(f"/api/v2/widgets/{widget}/projects/e1/").status_code == 204
    assert _is_json_4xx(http.get("/api/v2/reports/0/"), 404)


def test_unknown_paths_and_methods_are_json_404_and_405(http: httpx.Client) -> None:
    assert _is_json_4xx(http.get("/api/v2/nowhere/"), 404)
    response = http.request("PURGE", "/api/v2/widgets/")
    assert _is_json_4xx(response, 405) and response.headers["allow"] == "GET, POST"


def test_a_huge_body_is_a_413(dr_fixture: Contract) -> None:
    app = create_app([dr_fixture], token="t", max_body=1024)
    with (
        serve_app(app) as running,
        httpx.Client(base_url=running.url, headers={"Authorization": "Bearer t"}) as http,
    ):
        huge = b'{"name": "' + b"x" * 4096 + b'"}'
        assert _is_json_4xx(
            http.post("/api/v2/widgets/", content=huge, headers={"content-type": "application/json"}), 413
        )

        def chunks():
            yield huge  # no Content-Length: the limit is enforced while reading

        streamed = http.post(
            "/api/v2/widgets/", content=chunks(), headers={"content-type": "application/json"}
        )
        assert _is_json_4xx(streamed, 413)


@pytest.mark.parametrize("method", ["GET", "POST", "PATCH", "PUT", "DELETE"])
def test_garbage_on_every_fixture_operation_never_gives_a_5xx(
    http: httpx.Client, dr_fixture: Contract, method: str
) -> None:
    for op in dr_fixture.operations():
        if op.method != method:
            continue
        path = op.path.replace("{", "").replace("}", "")
        response = http.request(
            method,
            path,
            params={"limit": "-", "offset": "x"},
            content=b"\xff\x00{",
            headers={"content-type": "application/json"},
        )
        assert response.status_code < 500 and response.json() is not None
