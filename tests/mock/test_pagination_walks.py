"""Pagination as ``x-pagination`` says: windows, totals, absolute links, bounds."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest


@pytest.fixture
def parts_url(http: httpx.Client) -> str:
    """A fresh widget with seven parts (a new parent starts with an empty sub-collection)."""
    widget = http.post("/api/v2/widgets/", json={"name": "paged"}).json()["id"]
    for index in range(7):
        http.post(f"/api/v2/widgets/{widget}/parts/", json={"label": f"p{index}"})
    return f"/api/v2/widgets/{widget}/parts/"


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_a_walk_by_next_visits_every_item_once_with_a_stable_total(
    http: httpx.Client, parts_url: str
) -> None:
    page = http.get(parts_url, params={"limit": 3}).json()
    seen, totals = [], set()
    while True:
        assert len(page["data"]) <= 3
        seen += [p["label"] for p in page["data"]]
        totals.add(page["totalCount"])
        if page["next"] is None:
            break
        page = http.get(page["next"]).json()
    assert seen == [f"p{i}" for i in range(7)] and totals == {7}


def test_links_are_absolute_consistent_with_offset_and_limit_and_null_at_the_ends(
    http: httpx.Client, parts_url: str, fixture_mock
) -> None:
    first = http.get(parts_url, params={"limit": 3}).json()
    assert first["previous"] is None
    assert first["next"].startswith(fixture_mock.url + parts_url)
    assert _query(first["next"]) == {"offset": ["3"], "limit": ["3"]}
    middle = http.get(parts_url, params={"offset": 3, "limit": 3}).json()
    assert _query(middle["previous"]) == {"offset": ["0"], "limit": ["3"]}
    assert _query(middle["next"]) == {"offset": ["6"], "limit": ["3"]}
    last = http.get(parts_url, params={"offset": 6, "limit": 3}).json()
    assert last["next"] is None and [p["label"] for p in last["data"]] == ["p6"]


def test_links_keep_the_other_query_parameters(http: httpx.Client) -> None:
    page = http.get("/api/v2/widgets/", params={"limit": 1, "search": "x y"}).json()
    assert _query(page["next"])["search"] == ["x y"]


def test_an_offset_past_the_end_gives_an_empty_page(http: httpx.Client, parts_url: str) -> None:
    page = http.get(parts_url, params={"offset": 50, "limit": 3}).json()
    assert page["data"] == [] and page["next"] is None and page["totalCount"] == 7
    assert _query(page["previous"]) == {"offset": ["47"], "limit": ["3"]}


@pytest.mark.parametrize(
    "params", [{"limit": 0}, {"limit": 101}, {"limit": "ten"}, {"offset": -1}, {"offset": "1.5"}]
)
def test_a_window_outside_the_documented_bounds_is_a_4xx_with_a_json_body(
    http: httpx.Client, params: dict
) -> None:
    response = http.get("/api/v2/widgets/", params=params)
    assert 400 <= response.status_code < 500 and response.json()["message"]


def test_the_default_limit_applies_when_none_is_sent(http: httpx.Client) -> None:
    page = http.get("/api/v2/widgets/").json()
    assert page["next"] is None or _query(page["next"])["limit"] == ["100"]


def test_domino_pagination_fills_the_metadata_envelope(http: httpx.Client) -> None:
    headers = {"X-Domino-Api-Key": "fixture-token"}
    for index in range(3):
        http.post("/api/gadgets/beta/gadgets", json={"name": f"g{index}"}, headers=headers)
    total = http.get("/api/gadgets/beta/gadgets", headers=headers).json()["metadata"]["totalCount"]
    page = http.get("/api/gadgets/beta/gadgets", params={"offset": 1, "limit": 2}, headers=headers).json()
    assert len(page["gadgets"]) == 2
    assert page["metadata"] == {"offset": 1, "limit": 2, "totalCount": total}
    default = http.get("/api/gadgets/beta/gadgets", headers=headers).json()
    assert len(default["gadgets"]) == min(total, 10)
