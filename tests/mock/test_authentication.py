"""Credentials as the contracts' security schemes describe them; anything else is a JSON 401."""

from __future__ import annotations

import httpx
import pytest
from _mockkit import TOKEN

GOOD_DATAROBOT = [
    {"Authorization": f"Bearer {TOKEN}"},
    {"Authorization": f"Token {TOKEN}"},
    {"Authorization": f"bearer {TOKEN}"},
]
GOOD_DOMINO = [{"X-Domino-Api-Key": TOKEN}, {"Authorization": f"Bearer {TOKEN}"}]
BAD = [
    {},
    {"Authorization": "Bearer wrong"},
    {"Authorization": TOKEN[:-1]},
    {"Authorization": f"Basic{TOKEN}"},
    {"X-Domino-Api-Key": "wrong"},
]


@pytest.fixture
def anonymous(fixture_mock) -> httpx.Client:
    with httpx.Client(base_url=fixture_mock.url) as client:
        yield client


@pytest.mark.parametrize("headers", GOOD_DATAROBOT)
def test_datarobot_accepts_bearer_and_token_credentials(anonymous: httpx.Client, headers: dict) -> None:
    assert anonymous.get("/api/v2/version/", headers=headers).status_code == 200


@pytest.mark.parametrize("headers", GOOD_DOMINO)
def test_domino_accepts_an_api_key_or_a_bearer_token(anonymous: httpx.Client, headers: dict) -> None:
    assert anonymous.get("/api/gadgets/beta/gadgets", headers=headers).status_code == 200


@pytest.mark.parametrize("headers", BAD)
def test_missing_or_wrong_credentials_get_a_json_401(anonymous: httpx.Client, headers: dict) -> None:
    for url in ("/api/v2/version/", "/api/gadgets/beta/gadgets"):
        response = anonymous.get(url, headers=headers)
        assert response.status_code == 401 and response.json()["message"]


def test_the_datarobot_token_scheme_is_not_a_domino_credential(anonymous: httpx.Client) -> None:
    assert (
        anonymous.get("/api/gadgets/beta/gadgets", headers={"Authorization": f"Token {TOKEN}"}).status_code
        == 401
    )
