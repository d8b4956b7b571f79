"""Concurrent clients: 8 x 500 creates leave exactly 4000 resources, each listed once by a walk.

The clients use the standard library's ``http.client`` (one keep-alive connection per client
thread): it is light enough that the 4000 requests measure the server, not the client.
"""

from __future__ import annotations

import http.client
import json
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from _mockkit import BEARER, TOKEN

from mlops_conformance.contract import Contract
from mlops_conformance.mock import create_app
from mlops_conformance.mock.server import RunningMock, serve_app

CLIENTS, EACH = 8, 500


def _call(connection: http.client.HTTPConnection, method: str, url: str, body: dict | None = None) -> dict:
    headers = {**BEARER, "Content-Type": "application/json"}
    connection.request(method, url, body=json.dumps(body) if body is not None else None, headers=headers)
    response = connection.getresponse()
    payload = json.loads(response.read())
    assert response.status in (200, 201), payload
    return payload


def _connect(running: RunningMock) -> http.client.HTTPConnection:
    return http.client.HTTPConnection(running.host, running.port, timeout=30)


def test_eight_clients_creating_five_hundred_each_leave_exactly_four_thousand(dr_fixture: Contract) -> None:
    with serve_app(create_app([dr_fixture], token=TOKEN, records=0)) as running:

        def create_many(client_index: int) -> list[str]:
            connection = _connect(running)
            try:
                return [
                    _call(connection, "POST", "/api/v2/widgets/", {"name": f"c{client_index}-{n}"})["id"]
                    for n in range(EACH)
                ]
            finally:
                connection.close()

        with ThreadPoolExecutor(CLIENTS) as pool:
            created = [i for ids in pool.map(create_many, range(CLIENTS)) for i in ids]

        connection = _connect(running)
        page = _call(connection, "GET", "/api/v2/widgets/?limit=100")
        walked, totals = [w["id"] for w in page["data"]], {page["totalCount"]}
        while page["next"] is not None:
            next_url = urlsplit(page["next"])
            page = _call(connection, "GET", f"{next_url.path}?{next_url.query}")
            walked += [w["id"] for w in page["data"]]
            totals.add(page["totalCount"])
        connection.close()

    assert len(created) == len(set(created)) == CLIENTS * EACH
    assert totals == {CLIENTS * EACH}
    assert len(walked) == len(set(walked)) == CLIENTS * EACH
    assert set(walked) == set(created)
