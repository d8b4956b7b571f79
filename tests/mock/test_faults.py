"""Each injectable fault breaks exactly the rule it names, and the judge can see it."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest
from _mockkit import BEARER, TOKEN, fixture_contract, response_violations

from mlops_conformance.contract import Contract
from mlops_conformance.mock import FAULTS, create_app
from mlops_conformance.mock import app as app_module
from mlops_conformance.mock.server import serve_app

DR = fixture_contract("datarobot")
LIST = DR.operation("GET", "/api/v2/widgets/")
ITEM = DR.operation("GET", "/api/v2/widgets/{widgetId}/")


def _client(fault: str) -> Iterator[httpx.Client]:
    app = create_app([DR], token=TOKEN, fault=fault, records=5)
    with serve_app(app) as running, httpx.Client(base_url=running.url, headers=BEARER, timeout=10) as client:
        yield client


def _walk(http: httpx.Client, limit: int) -> tuple[list[str], list[int]]:
    page = http.get("/api/v2/widgets/", params={"limit": limit}).json()
    ids, totals = [w["id"] for w in page["data"]], [page["totalCount"]]
    while page["next"] is not None and len(ids) < 50:
        page = http.get(page["next"]).json()
        ids += [w["id"] for w in page["data"]]
        totals.append(page["totalCount"])
    return ids, totals


def _first_id(http: httpx.Client) -> str:
    return http.get("/api/v2/widgets/", params={"limit": 1}).json()["data"][0]["id"]


def _body_broken(keyword: str) -> Callable[[httpx.Client], None]:
    def check(http: httpx.Client) -> None:
        listed = http.get("/api/v2/widgets/")
        problems = response_violations(DR, LIST, listed.status_code, listed.json())
        assert problems and all(keyword in p for p in problems), problems

    return check


def _status(http: httpx.Client) -> None:
    response = http.get("/api/v2/widgets/")
    assert response.status_code not in (200, 403) and 200 <= response.status_code < 300


def _content_type(http: httpx.Client) -> None:
    assert http.get("/api/v2/widgets/").headers["content-type"].startswith("text/plain")


def _location(http: httpx.Client) -> None:
    created = http.post("/api/v2/widgets/", json={"name": "n"})
    assert created.status_code == 201 and "location" not in created.headers


def _total(http: httpx.Client) -> None:
    ids, totals = _walk(http, 2)
    assert set(totals) == {len(ids) + 1}


def _links(http: httpx.Client) -> None:
    last = http.get("/api/v2/widgets/", params={"offset": 4, "limit": 1}).json()
    assert last["next"] is not None
    assert "offset=2" in http.get("/api/v2/widgets/", params={"limit": 1}).json()["next"]


def _oversized(http: httpx.Client) -> None:
    assert len(http.get("/api/v2/widgets/", params={"limit": 2}).json()["data"]) == 3


def _duplicates(http: httpx.Client) -> None:
    ids, _ = _walk(http, 2)
    assert len(ids) > len(set(ids))


def _server_error(http: httpx.Client) -> None:
    statuses = {
        http.get(op.path.replace("{widgetId}", _first_id(http))).status_code
        for op in DR.operations()
        if op.method == "GET" and "{" not in op.path
    }
    statuses |= {http.get("/api/v2/version/").status_code}
    assert 500 in statuses


def _slow(http: httpx.Client, monkeypatch: pytest.MonkeyPatch) -> None:
    pauses: list[float] = []

    async def record(seconds: float) -> None:
        pauses.append(seconds)

    monkeypatch.setattr(app_module, "_pause", record)
    assert http.get("/api/v2/version/").status_code == 200 and pauses and pauses[0] >= 1


def _no_auth(http: httpx.Client) -> None:
    assert http.get("/api/v2/version/", headers={"Authorization": "Bearer wrong"}).status_code == 200


def _crash(http: httpx.Client) -> None:
    assert http.post("/api/v2/widgets/", json={"name": ""}).status_code == 500


def _not_persisted(http: httpx.Client) -> None:
    created = http.post("/api/v2/widgets/", json={"name": "ghost"})
    assert created.status_code == 201 and http.get(created.headers["location"]).status_code == 404


def _update_ignored(http: httpx.Client) -> None:
    widget = _first_id(http)
    before = http.get(f"/api/v2/widgets/{widget}/").json()["name"]
    assert http.patch(f"/api/v2/widgets/{widget}/", json={"name": "changed"}).json()["name"] == "changed"
    assert http.get(f"/api/v2/widgets/{widget}/").json()["name"] == before


def _delete_ignored(http: httpx.Client) -> None:
    widget = _first_id(http)
    assert http.delete(f"/api/v2/widgets/{widget}/").status_code == 204
    assert http.get(f"/api/v2/widgets/{widget}/").status_code == 200


EXPECTATIONS: dict[str, Callable[..., None]] = {
    "missing-required-field": _body_broken("is a required property"),
    "out-of-enum-value": _body_broken("is not one of"),
    "wrong-type": _body_broken("is not of type"),
    "null-not-nullable": _body_broken("None is not of type"),
    "format-violation": _body_broken("is not a"),
    "restriction-violation": _body_broken("is too long"),
    "undocumented-status": _status,
    "wrong-content-type": _content_type,
    "missing-location": _location,
    "wrong-pagination-total": _total,
    "wrong-pagination-links": _links,
    "page-exceeds-limit": _oversized,
    "duplicate-items": _duplicates,
    "server-error": _server_error,
    "slow": _slow,
    "no-auth": _no_auth,
    "crash-on-bad-input": _crash,
    "create-not-persisted": _not_persisted,
    "update-ignored": _update_ignored,
    "delete-ignored": _delete_ignored,
}


def test_every_fault_has_a_name_a_one_line_description_and_a_test() -> None:
    assert set(FAULTS) == set(EXPECTATIONS)
    for name, fault in FAULTS.items():
        assert fault.name == name and fault.description and "\n" not in fault.description


@pytest.mark.parametrize("name", sorted(EXPECTATIONS))
def test_the_fault_breaks_its_rule(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    check = EXPECTATIONS[name]
    for http in _client(name):
        if name == "slow":
            check(http, monkeypatch)
        else:
            check(http)


def test_without_a_fault_the_same_responses_are_valid(dr_fixture: Contract) -> None:
    for http in _client(None):  # type: ignore[arg-type]
        listed = http.get("/api/v2/widgets/")
        assert response_violations(dr_fixture, LIST, listed.status_code, listed.json()) == []
        item = http.get(f"/api/v2/widgets/{_first_id(http)}/")
        assert response_violations(dr_fixture, ITEM, item.status_code, item.json()) == []
