"""State over real HTTP: create, read, list, update, delete; sub-collections belong to one parent."""

from __future__ import annotations

import httpx
from _mockkit import response_violations

from mlops_conformance.contract import Contract


def _walk(http: httpx.Client, url: str) -> list[dict]:
    items: list[dict] = []
    page = http.get(url, params={"limit": 2}).json()
    items += page["data"]
    while page["next"] is not None:
        page = http.get(page["next"]).json()
        items += page["data"]
    return items


def test_a_created_widget_can_be_read_listed_updated_and_deleted(
    http: httpx.Client, dr_fixture: Contract
) -> None:
    created = http.post("/api/v2/widgets/", json={"name": "first", "description": "d", "kind": "gear"})
    assert created.status_code == 201
    assert (
        response_violations(dr_fixture, dr_fixture.operation("POST", "/api/v2/widgets/"), 201, created.json())
        == []
    )
    widget = created.json()
    assert (widget["name"], widget["description"], widget["kind"]) == ("first", "d", "gear")

    fetched = http.get(f"/api/v2/widgets/{widget['id']}/")
    assert fetched.status_code == 200 and fetched.json() == widget
    assert widget["id"] in {w["id"] for w in _walk(http, "/api/v2/widgets/")}

    updated = http.patch(f"/api/v2/widgets/{widget['id']}/", json={"name": "renamed", "description": None})
    assert (
        updated.status_code == 200
        and updated.json()["name"] == "renamed"
        and updated.json()["description"] is None
    )
    again = http.get(f"/api/v2/widgets/{widget['id']}/").json()
    assert again["name"] == "renamed" and again["createdAt"] == widget["createdAt"]

    assert http.delete(f"/api/v2/widgets/{widget['id']}/").status_code == 204
    gone = http.get(f"/api/v2/widgets/{widget['id']}/")
    assert gone.status_code == 404 and "not found" in gone.json()["message"]
    assert widget["id"] not in {w["id"] for w in _walk(http, "/api/v2/widgets/")}


def test_a_201_carries_a_location_that_reads_the_new_resource(http: httpx.Client) -> None:
    created = http.post("/api/v2/widgets/", json={"name": "located"})
    location = created.headers["location"]
    assert location.startswith("http://") and http.get(location).json()["id"] == created.json()["id"]


def test_a_sub_collection_lists_only_its_own_parent_s_items(http: httpx.Client) -> None:
    first = http.post("/api/v2/widgets/", json={"name": "a"}).json()["id"]
    second = http.post("/api/v2/widgets/", json={"name": "b"}).json()["id"]
    part = http.post(f"/api/v2/widgets/{first}/parts/", json={"label": "bolt"}).json()
    assert part["widgetId"] == first and part["label"] == "bolt"
    assert [p["id"] for p in _walk(http, f"/api/v2/widgets/{first}/parts/")] == [part["id"]]
    assert _walk(http, f"/api/v2/widgets/{second}/parts/") == []
    assert http.get(f"/api/v2/widgets/{second}/parts/{part['id']}/").status_code == 404
    assert http.get(f"/api/v2/widgets/{first}/parts/{part['id']}/").json()["label"] == "bolt"


def test_an_unknown_parent_or_item_id_is_a_json_404(http: httpx.Client) -> None:
    for url in ("/api/v2/widgets/nope/", "/api/v2/widgets/nope/parts/", "/api/v2/widgets/nope/parts/x/"):
        response = http.get(url)
        assert response.status_code == 404 and response.headers["content-type"] == "application/json"
        assert "nope" in response.json()["message"]
    assert http.post("/api/v2/widgets/nope/projects/e1/").status_code == 404


def test_deleting_a_parent_hides_its_sub_collection(http: httpx.Client) -> None:
    parent = http.post("/api/v2/widgets/", json={"name": "p"}).json()["id"]
    http.post(f"/api/v2/widgets/{parent}/parts/", json={"label": "nut"})
    http.delete(f"/api/v2/widgets/{parent}/")
    assert http.get(f"/api/v2/widgets/{parent}/parts/").status_code == 404


def test_seeded_data_is_the_same_on_every_call(http: httpx.Client) -> None:
    assert http.get("/api/v2/gauges/").json() == http.get("/api/v2/gauges/").json()
    first = http.get("/api/v2/widgets/", params={"limit": 1}).json()["data"][0]
    assert http.get(f"/api/v2/widgets/{first['id']}/").json() == first


def test_an_item_of_an_open_collection_exists_until_deleted(http: httpx.Client) -> None:
    assert http.get("/api/v2/widgets/w/").status_code == 404  # managed: only stored ids exist
    linked = http.get("/api/v2/reports/17/")
    assert linked.status_code == 200 and linked.json()["id"] == "17"


def test_a_domino_envelope_wraps_the_stored_resource(http: httpx.Client) -> None:
    headers = {"X-Domino-Api-Key": "fixture-token", "Authorization": ""}
    created = http.post(
        "/api/gadgets/beta/gadgets", json={"name": "g", "visibility": "Global"}, headers=headers
    )
    assert created.status_code == 200
    gadget = created.json()["gadget"]
    assert (gadget["name"], gadget["visibility"]) == ("g", "Global")
    assert http.get(f"/api/gadgets/v1/gadgets/{gadget['id']}", headers=headers).json()["gadget"] == gadget
    assert http.delete(f"/api/gadgets/v1/gadgets/{gadget['id']}", headers=headers).status_code == 200
    assert http.get(f"/api/gadgets/v1/gadgets/{gadget['id']}", headers=headers).status_code == 404
