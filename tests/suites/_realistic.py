"""A stand-in for a real vendor server: the reference mock behind an ASGI middleware that does what
real servers legitimately do and the mock never does. Test-only.

Each behaviour is switched on by name (``realistic_target(monkeypatch, "gzip", "slow")``):

``rate_limit``
    every ``rate_limit_every``-th request is answered 429 with ``Retry-After: 0`` (``1`` on every
    ``long_wait_every``-th refusal) and a JSON body, without reaching the mock.
``unavailable``
    every ``unavailable_every``-th request is answered 503 with ``Retry-After``, likewise. Two
    requests in a row are never refused (a client that retries gets through).
``gzip``
    response bodies are gzip-compressed when the request's ``Accept-Encoding`` allows gzip, or is
    absent (RFC 9110: then any coding is acceptable) (``Content-Encoding: gzip``, ``Content-Length``
    of the compressed bytes, ``Vary: Accept-Encoding``).
``extra``
    undocumented response headers (``X-Request-Id``, ``Strict-Transport-Security``, ``Vary``,
    ``X-RateLimit-*``) and undocumented members in JSON objects: at the top level (one that changes
    per request) and in every object of a top-level list (stable ones).
``conditional_headers``
    response headers the contract documents for the answered operation and status without
    ``required: true`` are stripped (``Location`` on a 200 of a GET, ``Content-Disposition``...).
    Framing headers (``Content-Type``, ``Content-Length``) are never stripped.
``other_user``
    while a client walks a paginated list (a GET with an offset > 0 on a documented paginated
    collection), "another user" creates one item in that collection through the mock's own HTTP
    API (with the mock's token), once per walk (a GET at offset 0 starts a new walk).
``slow``
    every ``slow_every``-th request is answered after 0.2-0.5 s (well within any request timeout).
``close``
    every ``close_every``-th answer carries ``Connection: close`` (the server closes that
    connection after it) and idle keep-alive connections are closed after ``keep_alive_s``.

And one that is *not* legitimate, for the opposite direction: ``missing_route=(METHOD, PATH,
STATUS)`` answers 404 (or 405, with ``Allow``) with a JSON body for one documented operation, as a
server that does not serve it would.

``Realistic.stats`` counts what each behaviour did, so a test can tell that it really happened.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import gzip as gzip_module
import re
import socket
import threading
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

import httpx
import orjson
import pytest
import uvicorn

from mlops_conformance.contract import Contract, Operation

from ._run import TOKEN

BEHAVIOURS = (
    "rate_limit",
    "unavailable",
    "gzip",
    "extra",
    "conditional_headers",
    "other_user",
    "slow",
    "close",
)

# Undocumented members the ``extra`` behaviour adds; checked absent from the contracts at start-up.
EXTRA_TOP_LEVEL = "traceToken"  # changes with every answer, as request ids do
EXTRA_ITEM = {"shardRegion": "eu-west-9", "internalRevision": 7}  # stable per item
EXTRA_HEADERS = {
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
    "X-RateLimit-Limit": "600",
    "X-Content-Type-Options": "nosniff",
}
NEVER_STRIPPED = {"content-type", "content-length", "transfer-encoding", "content-encoding"}
SLOW_DELAYS_S = (0.2, 0.3, 0.4, 0.5)

_TEMPLATE = re.compile(r"^\{([^{}/]+)\}$")
_VERSION = re.compile(r"^(v\d+(\.\d+)*|beta|alpha|preview)$")


@dataclass(slots=True)
class Tuning:
    """How often each behaviour strikes (counted over the client's requests, retries included)."""

    rate_limit_every: int = 7
    unavailable_every: int = 11
    long_wait_every: int = 40  # every n-th refusal asks for Retry-After: 1 (the rest: 0)
    slow_every: int = 60
    close_every: int = 3
    keep_alive_s: float = 1.0
    gzip_min_bytes: int = 0


# -- the contract, as the proxy needs it -------------------------------------------------------------


def _segments(path: str) -> list[str]:
    return path.split("/")[1:]


def _collection_key(path: str) -> tuple[str, ...]:
    """The collection a path addresses, templates as ``{}`` and version segments as ``*`` (so that
    Domino's ``/api/datasetrw/v2/datasets`` and ``/api/datasetrw/v1/datasets`` are one collection)."""
    parts = [s for s in _segments(path) if s]
    return tuple("{}" if _TEMPLATE.match(s) else ("*" if _VERSION.match(s) else s) for s in parts)


@dataclass(slots=True)
class _Route:
    vendor: str
    op: Operation
    contract: Contract
    pattern: re.Pattern[str]
    rank: tuple[int, ...]  # literal segments first: 0 literal, 1 template, per segment
    names: list[str]


class Routes:
    """Request path -> documented operation (literal segments beat templates)."""

    def __init__(self, contracts: Iterable[Contract]) -> None:
        self.routes: list[_Route] = []
        self.contracts = list(contracts)
        for contract in self.contracts:
            for op in contract.operations():
                parts = _segments(op.path)
                regex = "/".join("([^/]+)" if _TEMPLATE.match(s) else re.escape(s) for s in parts)
                self.routes.append(
                    _Route(
                        contract.vendor,
                        op,
                        contract,
                        re.compile("^/" + regex + "$"),
                        tuple(1 if _TEMPLATE.match(s) else 0 for s in parts),
                        [m.group(1) for m in (_TEMPLATE.match(s) for s in parts) if m],
                    )
                )

    def match(self, method: str, path: str) -> tuple[_Route, dict[str, str]] | None:
        found = []
        for route in self.routes:
            if route.op.method != method.upper():
                continue
            hit = route.pattern.match(path)
            if hit:
                found.append((route.rank, route, dict(zip(route.names, hit.groups(), strict=False))))
        if not found:
            return None
        found.sort(key=lambda f: f[0])
        return found[0][1], found[0][2]

    def methods_at(self, path: str) -> list[str]:
        return sorted({r.op.method for r in self.routes if r.pattern.match(path)})


@dataclass(slots=True)
class _Creator:
    """How "another user" adds an item to one paginated collection: a POST and valid requests."""

    vendor: str
    post: Operation
    requests: list[Any]  # runner.generate.Request, drawn once (hypothesis stays in the main thread)


_DRAWN: dict[tuple[str, str], list[Any]] = {}


def _creators(contracts: list[Contract]) -> dict[tuple[str, str], _Creator]:
    """(vendor, list path) -> its creator, for every paginated list that has a POST on its collection."""
    from mlops_conformance.runner.generate import GenerationFailed, Generator

    found: dict[tuple[str, str], _Creator] = {}
    for contract in contracts:
        posts: dict[tuple[str, ...], Operation] = {}
        for op in contract.operations():
            named = [s for s in _segments(op.path) if s]
            if op.method == "POST" and named and not _TEMPLATE.match(named[-1]):
                posts.setdefault(_collection_key(op.path), op)
        generator = None
        for op in contract.operations():
            post = posts.get(_collection_key(op.path))
            if op.method != "GET" or not op.pagination or post is None:
                continue
            key = (contract.vendor, post.id)
            if key not in _DRAWN:
                generator = generator or Generator(contract, seed=0, count=3)
                try:
                    _DRAWN[key] = generator.requests(post, negative=False, count=3)
                except GenerationFailed:
                    _DRAWN[key] = []
            if _DRAWN[key]:
                found[(contract.vendor, op.path)] = _Creator(contract.vendor, post, _DRAWN[key])
    return found


def _fill(template: str, values: list[str]) -> str:
    """``template`` with its templates replaced, in order, by ``values`` (already URL-encoded)."""
    queue = list(values)
    parts = []
    for segment in _segments(template):
        parts.append(queue.pop(0) if _TEMPLATE.match(segment) and queue else segment)
    return "/" + "/".join(parts)


# -- the middleware ------------------------------------------------------------------------------


@dataclass(slots=True)
class _Answer:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes

    def header(self, name: str) -> str | None:
        lowered = name.lower().encode()
        for key, value in self.headers:
            if key.lower() == lowered:
                return value.decode("latin-1")
        return None

    def drop(self, name: str) -> None:
        lowered = name.lower().encode()
        self.headers = [(k, v) for k, v in self.headers if k.lower() != lowered]

    def put(self, name: str, value: str) -> None:
        self.drop(name)
        self.headers.append((name.lower().encode(), value.encode("latin-1")))


def _json_answer(status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> _Answer:
    content = orjson.dumps(body)
    answer = _Answer(status, [(b"content-type", b"application/json")], content)
    answer.put("content-length", str(len(content)))
    for name, value in (headers or {}).items():
        answer.put(name, value)
    return answer


def accepts_gzip(header: str | None) -> bool:
    """Whether an ``Accept-Encoding`` value allows gzip (``gzip;q=0`` and ``*;q=0`` forbid it).

    No header at all allows it: "If no Accept-Encoding header field is in the request, any content
    coding is considered acceptable by the user agent" (RFC 9110, section 12.5.3).
    """
    if header is None:
        return True
    if not header.strip():
        return False  # an empty value: only identity
    star = None
    for part in header.split(","):
        token, _, params = part.strip().partition(";")
        token = token.strip().lower()
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if token in ("gzip", "x-gzip"):
            return q > 0
        if token == "*":
            star = q > 0
    return bool(star)


class RealisticProxy:
    """ASGI middleware in front of the mock's ASGI app; see the module docstring."""

    def __init__(
        self,
        inner: Any,
        contracts: list[Contract],
        *,
        token: str,
        behaviours: Iterable[str] = (),
        missing_route: tuple[str, str, int] | None = None,
        tuning: Tuning | None = None,
    ) -> None:
        self.inner = inner
        self.behaviours = frozenset(behaviours)
        unknown = self.behaviours - set(BEHAVIOURS)
        if unknown:
            raise ValueError(f"unknown behaviours {sorted(unknown)}; expected some of {BEHAVIOURS}")
        self.token = token
        self.tuning = tuning or Tuning()
        self.routes = Routes(contracts)
        self.missing_route = missing_route
        if missing_route is not None:
            method, path, status = missing_route
            if self.routes.match(method, path) is None or status not in (404, 405, 503):
                raise ValueError(f"missing_route {missing_route}: not a documented route, or not 404/405/503")
        for contract in contracts:
            text = orjson.dumps(contract.document)
            for name in (EXTRA_TOP_LEVEL, *EXTRA_ITEM):
                assert f'"{name}"'.encode() not in text, f"{name} is documented in {contract.vendor}"
        self.creators = _creators(contracts) if "other_user" in self.behaviours else {}
        self.stats: collections.Counter[str] = collections.Counter()
        self.notes: list[str] = []  # what went wrong inside the proxy (other_user creations refused)
        self.requests = 0
        self.refusals = 0
        self._refused_last = False
        self._walks: dict[tuple[str, str], bool] = {}  # (path, fixed query) -> armed for a creation

    # ---- ASGI ----------------------------------------------------------------------------------
    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.inner(scope, receive, send)
            return
        self.requests += 1
        number = self.requests
        method = scope["method"]
        path = scope.get("raw_path", scope["path"].encode()).split(b"?", 1)[0].decode("latin-1")
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        answer = self._refusal(number)
        if answer is None and self.missing_route is not None:
            answer = self._missing(method, path)
        if answer is not None:
            await _drain(receive)
        else:
            if "slow" in self.behaviours and number % self.tuning.slow_every == 0:
                self.stats["slow"] += 1
                await asyncio.sleep(SLOW_DELAYS_S[(number // self.tuning.slow_every) % len(SLOW_DELAYS_S)])
            if "other_user" in self.behaviours and method == "GET":
                await self._other_user(scope, path, headers)
            answer = await self._forward(scope, receive)
        self._shape(answer, method, path, headers, number)
        await send({"type": "http.response.start", "status": answer.status, "headers": answer.headers})
        await send({"type": "http.response.body", "body": answer.body if method != "HEAD" else b""})

    async def _forward(self, scope: dict[str, Any], receive: Any) -> _Answer:
        started: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def capture(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                started.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.inner(scope, receive, capture)
        if not started:
            return _json_answer(502, {"message": "the upstream gave no answer"})
        return _Answer(started["status"], list(started.get("headers", [])), b"".join(chunks))

    # ---- refusals (never forwarded) ----------------------------------------------------------
    def _refusal(self, number: int) -> _Answer | None:
        if self._refused_last:  # a client that retries at once always gets through
            self._refused_last = False
            return None
        kind = None
        if "rate_limit" in self.behaviours and number % self.tuning.rate_limit_every == 0:
            kind = "rate_limit"
        elif "unavailable" in self.behaviours and number % self.tuning.unavailable_every == 0:
            kind = "unavailable"
        if kind is None:
            return None
        self.refusals += 1
        self._refused_last = True
        self.stats[kind] += 1
        wait = "1" if self.refusals % self.tuning.long_wait_every == 1 else "0"
        if wait == "1":
            self.stats["long_wait"] += 1
        if kind == "rate_limit":
            return _json_answer(
                429,
                {"message": "Too many requests; retry later", "code": "rate_limited"},
                {"Retry-After": wait, "X-RateLimit-Remaining": "0"},
            )
        return _json_answer(
            503, {"message": "Service temporarily unavailable; retry later"}, {"Retry-After": wait}
        )

    def _missing(self, method: str, path: str) -> _Answer | None:
        assert self.missing_route is not None
        wanted_method, wanted_path, status = self.missing_route
        if method.upper() != wanted_method.upper() or path != wanted_path:
            return None
        self.stats["missing_route"] += 1
        if status == 404:
            return _json_answer(404, {"message": "Not Found", "path": path})
        if status == 503:  # a feature switched off on this server (MLflow's workspaces), for good
            return _json_answer(503, {"message": f"Endpoint {path} disabled on this server"})
        allow = [m for m in self.routes.methods_at(path) if m != wanted_method.upper()]
        return _json_answer(405, {"message": "Method Not Allowed"}, {"Allow": ", ".join(allow)})

    # ---- another user, adding to the list a client is walking -------------------------------
    async def _other_user(self, scope: dict[str, Any], path: str, headers: dict[str, str]) -> None:
        matched = self.routes.match("GET", path)
        if matched is None:
            return
        route, _ = matched
        spec = route.op.pagination
        creator = self.creators.get((route.vendor, route.op.path))
        if not spec or creator is None:
            return
        offset_name, limit_name = spec.get("offset") or "offset", spec.get("limit") or "limit"
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        offsets = [v for k, v in query if k == offset_name]
        fixed = "&".join(sorted(f"{k}={v}" for k, v in query if k not in (offset_name, limit_name)))
        walk = (path, fixed)
        try:
            offset = int(offsets[-1]) if offsets else 0
        except ValueError:
            return
        if offset <= 0:
            self._walks[walk] = True  # a new walk starts
            return
        if not self._walks.get(walk, True):
            return  # this walk already saw its creation
        self._walks[walk] = False
        values = [v for v in route.pattern.match(path).groups()]  # type: ignore[union-attr]
        request = creator.requests[self.stats["other_user"] % len(creator.requests)]
        target = _fill(creator.post.path, values)
        origin = f"{scope.get('scheme', 'http')}://{headers.get('host', '127.0.0.1')}"
        transport = httpx.ASGITransport(app=self.inner)
        try:
            async with httpx.AsyncClient(transport=transport, base_url=origin) as client:
                response = await client.request(
                    "POST",
                    target,
                    params=request.params or None,
                    headers={**request.headers, "Authorization": f"Bearer {self.token}"},
                    json=request.json if request.has_json else None,
                    content=request.content if not request.has_json else None,
                    data=request.data,
                )
        except Exception as exc:  # noqa: BLE001 - a bug of the proxy: kept for the test to show
            self.stats["other_user_refused"] += 1
            self.notes.append(f"other_user POST {target}: {type(exc).__name__}: {exc}")
            return
        if 200 <= response.status_code < 300:
            self.stats["other_user"] += 1
        else:
            self.stats["other_user_refused"] += 1
            self.notes.append(f"other_user POST {target}: {response.status_code} {response.text[:200]}")

    # ---- what every answer goes through -----------------------------------------------------
    def _shape(self, answer: _Answer, method: str, path: str, headers: dict[str, str], number: int) -> None:
        is_json = "json" in (answer.header("content-type") or "")
        has_body = bool(answer.body) and method != "HEAD" and answer.status not in (204, 304)
        if "extra" in self.behaviours:
            if is_json and has_body:
                extended = _with_extras(answer.body)
                if extended is not None:
                    answer.body = extended
                    self.stats["extra_fields"] += 1
            for name, value in EXTRA_HEADERS.items():
                answer.put(name, value)
            answer.put("X-Request-Id", str(uuid.uuid4()))
            _vary(answer, "Accept")
            self.stats["extra"] += 1
        if "conditional_headers" in self.behaviours:
            for name in self._optional_headers(method, path, answer.status):
                if answer.header(name) is not None:
                    answer.drop(name)
                    self.stats["conditional_headers"] += 1
        if (
            "gzip" in self.behaviours
            and has_body
            and len(answer.body) >= self.tuning.gzip_min_bytes
            and answer.header("content-encoding") is None
            and accepts_gzip(headers.get("accept-encoding"))
        ):
            answer.body = gzip_module.compress(answer.body, mtime=0)
            answer.put("Content-Encoding", "gzip")
            _vary(answer, "Accept-Encoding")
            self.stats["gzip"] += 1
        if method != "HEAD" and answer.status not in (204, 304):
            answer.put("Content-Length", str(len(answer.body)))
        if "close" in self.behaviours and number % self.tuning.close_every == 0:
            answer.put("Connection", "close")
            self.stats["close"] += 1

    def _optional_headers(self, method: str, path: str, status: int) -> list[str]:
        matched = self.routes.match(method, path)
        if matched is None:
            return []
        route, _ = matched
        response = route.contract.resolve(route.op.responses.get(str(status)) or {})
        documented = response.get("headers") if isinstance(response, dict) else None
        optional = []
        for name, spec in (documented or {}).items():
            spec = route.contract.resolve(spec)
            required = isinstance(spec, dict) and spec.get("required") is True
            if not required and name.lower() not in NEVER_STRIPPED:
                optional.append(name)
        return optional


def _with_extras(body: bytes) -> bytes | None:
    try:
        value = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None

    def items(values: list[Any]) -> None:
        for item in values:
            if isinstance(item, dict):
                for name, extra in EXTRA_ITEM.items():
                    item.setdefault(name, extra)

    if isinstance(value, dict):
        value.setdefault(EXTRA_TOP_LEVEL, uuid.uuid4().hex)
        for member in value.values():
            if isinstance(member, list):
                items(member)
    elif isinstance(value, list):
        items(value)
    else:
        return None
    return orjson.dumps(value)


def _vary(answer: _Answer, name: str) -> None:
    present = [v.strip() for v in (answer.header("vary") or "").split(",") if v.strip()]
    if name.lower() not in {v.lower() for v in present}:
        answer.put("Vary", ", ".join([*present, name]))


async def _drain(receive: Any) -> None:
    while True:
        message = await receive()
        if message["type"] != "http.request" or not message.get("more_body"):
            return


# -- serving -------------------------------------------------------------------------------------


@dataclass(slots=True)
class Realistic:
    """A running stand-in: its base URL and the proxy (``stats``: what each behaviour did)."""

    url: str
    proxy: RealisticProxy

    @property
    def stats(self) -> collections.Counter[str]:
        return self.proxy.stats


@contextlib.contextmanager
def _serve(app: Any, keep_alive_s: float) -> Iterator[str]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(256)
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        lifespan="off",
        timeout_keep_alive=keep_alive_s,  # type: ignore[arg-type]
        server_header=False,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="realistic-proxy", daemon=True
    )
    thread.start()
    waited = threading.Event()
    while thread.is_alive() and not server.started:
        waited.wait(0.01)
    if not server.started:
        sock.close()
        raise RuntimeError("the realistic proxy did not start")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


@contextlib.contextmanager
def realistic_target(
    monkeypatch: pytest.MonkeyPatch,
    *behaviours: str,
    vendors: tuple[str, ...] = ("datarobot", "domino"),
    missing_route: tuple[str, str, int] | None = None,
    tuning: Tuning | None = None,
) -> Iterator[Realistic]:
    """The reference mock behind a :class:`RealisticProxy`, as an external target on a free port,
    with ``TOKEN`` in both vendors' variables (as ``_run.mock_target``)."""
    from mlops_conformance.mock import build_app

    monkeypatch.setenv("DATAROBOT_API_TOKEN", TOKEN)
    monkeypatch.setenv("DOMINO_USER_API_KEY", TOKEN)
    contracts = [Contract.load(v) for v in vendors]
    proxy = RealisticProxy(
        build_app(list(vendors), token=TOKEN),
        contracts,
        token=TOKEN,
        behaviours=behaviours,
        missing_route=missing_route,
        tuning=tuning,
    )
    keep_alive = proxy.tuning.keep_alive_s if "close" in proxy.behaviours else 30.0
    with _serve(proxy, keep_alive) as url:
        yield Realistic(url, proxy)
