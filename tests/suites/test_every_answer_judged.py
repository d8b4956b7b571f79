"""Every answer the run receives is evidence: the probe, the listings that discover ids, pagination
pages, seeding, lifecycle and cleanup requests are judged too, and the row names the operation that
answered. A server that breaks the contract only in one of those answers must not pass."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

import orjson
import pytest

from mlops_conformance.mock import build_app
from mlops_conformance.mock.server import serve_app

from ._run import TOKEN, run_suites

LIST = "/api/v2/useCases/"
OPERATIONS = "^GET /api/v2/useCases/(\\{useCaseId\\}/)?$"


class Tamper:
    """ASGI middleware: rewrites the body of the ``nth`` 200 answer (1-based) to ``GET path``."""

    def __init__(self, app: object, path: str, nth: int, rewrite: Callable[[bytes], bytes]) -> None:
        self.app, self.path, self.nth, self.rewrite = app, path, nth, rewrite
        self.seen = 0

    async def __call__(self, scope, receive, send):  # type: ignore[no-untyped-def]
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"] != self.path:
            return await self.app(scope, receive, send)  # type: ignore[operator]
        started: dict = {}
        chunks: list[bytes] = []

        async def capture(message):  # type: ignore[no-untyped-def]
            if message["type"] == "http.response.start":
                started.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body"):
                    body = b"".join(chunks)
                    if started["status"] == 200:
                        self.seen += 1
                        if self.seen == self.nth:
                            body = self.rewrite(body)
                    headers = [(k, v) for k, v in started["headers"] if k.lower() != b"content-length"]
                    headers.append((b"content-length", str(len(body)).encode()))
                    await send({**started, "headers": headers})
                    await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, capture)  # type: ignore[operator]


@contextlib.contextmanager
def tampered(
    monkeypatch: pytest.MonkeyPatch, nth: int, rewrite: Callable[[bytes], bytes]
) -> Iterator[Tamper]:
    monkeypatch.setenv("DATAROBOT_API_TOKEN", TOKEN)
    app = Tamper(build_app(["datarobot"], token=TOKEN), LIST, nth, rewrite)
    with serve_app(app) as running:
        app.url = running.url  # type: ignore[attr-defined]
        yield app


def _drop_ids(body: bytes) -> bytes:
    page = orjson.loads(body)
    for item in page["data"]:
        item.pop("id", None)
    return orjson.dumps(page)


def _run(tmp_path, app, *extra):  # type: ignore[no-untyped-def]
    return run_suites(
        tmp_path / "reports",
        "--target", app.url, "--vendor", "datarobot", "--operations", OPERATIONS,
        "--max-examples", "2", "--conformance-seed", "3", *extra,
    )  # fmt: skip


@pytest.mark.parametrize("nth", [1, 2])
def test_a_listing_that_drops_a_required_id_once_fails_on_the_list_operation(tmp_path, monkeypatch, nth):
    with tampered(monkeypatch, nth, _drop_ids) as app:
        run = _run(tmp_path, app)
    assert app.seen > nth
    failing = [r for r in run.rows if r["verdict"] == "fail"]
    assert failing, "a listing without its required ids passed"
    assert {r["operation"] for r in failing} == {"GET /api/v2/useCases/"}
    assert any("missing required field" in r["evidence"]["message"] for r in failing)
    assert run.code == 1


def test_a_truncated_second_answer_is_reported_not_lost(tmp_path, monkeypatch):
    with tampered(monkeypatch, 2, lambda body: body[: len(body) // 2]) as app:
        run = _run(tmp_path, app)
    bad = [r for r in run.rows if r["verdict"] in ("fail", "error")]
    assert bad and {r["operation"] for r in bad} == {"GET /api/v2/useCases/"}
    assert any("not valid JSON" in r["evidence"].get("message", "") for r in bad)
    assert run.code == 1


def test_a_clean_server_gives_one_passing_side_row_per_operation_that_answered_them(tmp_path, monkeypatch):
    with tampered(monkeypatch, 10**6, lambda body: body) as app:
        run = _run(tmp_path, app)
    side = {r["operation"]: r for r in run.rows if r["check"] == "schema.side_responses"}
    assert set(side) == {"GET /api/v2/useCases/", "GET /api/v2/useCases/{useCaseId}/"}
    assert {r["verdict"] for r in side.values()} == {"pass"}
    assert all(r["evidence"]["requests_judged"] >= 1 for r in side.values())
    assert run.code == 0
