"""The ASGI application: routing, authentication, validation, dispatch and the wire format.

One Starlette app serves any set of vendors: each contract's operations go into one router (DataRobot
lives under ``/api/v2/...``, Domino under ``/api/<area>/...``). The request path is, in order: route
(unknown path 404, undocumented method 405) -> credentials (401) -> parameters and body (the
documented 4xx) -> handler (state change and body) -> fault hooks -> JSON bytes via ``orjson``.
Every answer, errors included, is a JSON body; nothing a client sends can produce a 5xx.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

import orjson
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Mount
from starlette.types import Receive, Scope, Send

from ..contract import Contract
from ..errors import UsageError
from ..resources import VENDORS
from .faults import FAULTS, NO_FAULT, Fault
from .handlers import Call, Handlers, Reply
from .routing import Router, parameters
from .service import Endpoint, VendorService
from .store import Store
from .validate import ERROR_STATUSES, Invalid

log = logging.getLogger("mlops_conformance.mock")

DEFAULT_TOKEN = "mock-token"
TOKEN_ENV = "MLOPS_CONFORMANCE_MOCK_TOKEN"
MAX_BODY_BYTES = 8 * 1024 * 1024
SEEDED_RECORDS = 3
_JSON = "application/json"
_URL_SAFE = "/%:@!$&'()*+,;=~"  # kept as sent; anything else in a path is percent-encoded
_pause = asyncio.sleep  # the ``slow`` fault's delay; a seam the tests replace


def choose_status(candidates: Sequence[str], documented: Sequence[str]) -> str:
    """The first candidate the operation documents, else the first candidate."""
    for status in candidates:
        if status in documented:
            return status
    return candidates[0]


class MockApplication:
    """The raw ASGI callable; :func:`create_app` wraps it in Starlette (lifespan, error safety)."""

    def __init__(self, services: list[VendorService], fault: Fault, max_body: int = MAX_BODY_BYTES) -> None:
        self.services = services
        self.fault = fault
        self.max_body = max_body
        self.handlers = Handlers(fault)
        self.router: Router[Endpoint] = Router()
        for service in services:
            for endpoint in service.endpoints:
                self.router.add(endpoint.plan.op.method, endpoint.plan.op.path, endpoint)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        request = Request(scope, receive)
        try:
            response = await self.respond(request)
        except ClientDisconnect:  # the client went away (closed, timed out): normal, nobody to answer
            log.debug("client left during %s %s", request.method, request.url.path)
            return
        except Exception:  # a bug in the mock: report it as JSON, never as a traceback on the wire
            log.exception("mock failed on %s %s", request.method, request.url.path)
            response = self._json("500", {"message": "internal error in the reference mock"})
        try:
            await response(scope, receive, send)
        except (ClientDisconnect, OSError):  # gone before the answer was written: as above
            log.debug("client left before the answer to %s %s", request.method, request.url.path)

    async def respond(self, request: Request) -> Response:
        scope = request.scope
        raw_bytes = (scope.get("raw_path") or scope["path"].encode()).split(b"?", 1)[0]
        raw_path = raw_bytes.decode("latin-1")
        match = self.router.match(raw_path, request.method)
        if match is None:
            return self._error(None, "404", f"no documented operation at {raw_path}")
        endpoint = match.methods.get(request.method)
        if endpoint is None:
            allow = ", ".join(sorted(match.methods))
            return self._error(
                None, "405", f"{request.method} is not documented for {match.path}", {"Allow": allow}
            )
        op = endpoint.plan.op
        service = endpoint.service
        if self.fault.checks_auth and not service.auth.allows(
            op, request.headers, request.query_params, request.cookies
        ):
            return self._error(endpoint, "401", "missing or invalid credentials")
        if self.fault.delay_seconds:
            await _pause(self.fault.delay_seconds)
        if self.fault.crashes(endpoint.index):
            return self._error(endpoint, "500", "injected fault: server error")
        params = endpoint.rules.parameters(
            parameters(op.path, match.values), request.query_params, request.headers
        )
        if isinstance(params, Invalid):
            return self._invalid(endpoint, params)
        raw = await self._read_body(request, endpoint)
        if isinstance(raw, Invalid):
            return self._invalid(endpoint, raw)
        body = endpoint.rules.body(request.headers.get("content-type"), raw)
        if isinstance(body, Invalid):
            return self._invalid(endpoint, body)
        host = request.headers.get("host") or "{}:{}".format(*(scope.get("server") or ("127.0.0.1", 80)))
        origin = f"{scope.get('scheme', 'http')}://{host}"
        call = Call(
            values=match.values,
            params=params,
            body=body,
            query=request.query_params,
            query_items=request.query_params.multi_items(),
            url=origin + quote(raw_bytes, safe=_URL_SAFE),  # also a Location value: ASCII only
            origin=origin,
        )
        reply = self.handlers.handle(endpoint, call)
        if reply.error is not None:
            return self._invalid(endpoint, reply.error)
        if reply.missing is not None:
            return self._error(endpoint, "404", reply.missing)
        return self._success(endpoint, reply)

    async def _read_body(self, request: Request, endpoint: Endpoint) -> bytes | Invalid:
        declared = request.headers.get("content-length")
        if declared is not None:
            try:
                if int(declared) > self.max_body:
                    return Invalid("size", f"request body larger than {self.max_body} bytes")
            except ValueError:
                return Invalid("json", "Content-Length is not a number")
        if not endpoint.rules.body_content:
            return b""
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > self.max_body:
                return Invalid("size", f"request body larger than {self.max_body} bytes")
            chunks.append(chunk)
        return b"".join(chunks)

    # -- answers ---------------------------------------------------------------------------------

    def _success(self, endpoint: Endpoint, reply: Reply) -> Response:
        status = self.fault.status(reply.status, endpoint.statuses)
        headers = self.fault.headers({**endpoint.headers, **reply.headers})
        if reply.body is None or status in ("204", "304"):
            return Response(status_code=int(status), headers=headers)
        body = reply.body
        if reply.schema is not None:
            body = self.fault.body(endpoint.service.tools, reply.schema, body)
        if endpoint.success_json or not isinstance(body, str):
            content = orjson.dumps(body)
            media = _JSON if endpoint.success_json else (endpoint.success_media or _JSON)
        else:
            content, media = body.encode(), endpoint.success_media or "text/plain"
        return Response(content, int(status), headers, media_type=self.fault.content_type or media)

    def _invalid(self, endpoint: Endpoint, invalid: Invalid) -> Response:
        status = self.fault.bad_input_status or choose_status(
            ERROR_STATUSES[invalid.where], endpoint.statuses
        )
        return self._error(endpoint, status, invalid.message)

    def _error(
        self, endpoint: Endpoint | None, status: str, message: str, headers: dict[str, str] | None = None
    ) -> Response:
        body: Any = {"message": message}
        if endpoint is not None:
            schema = endpoint.service.contract.response_schema(endpoint.plan.op, status)
            if schema is not None:
                known = {
                    "message": message,
                    "error": message,
                    "detail": message,
                    "errors": [message],
                    "description": message,
                }
                body = endpoint.service.renderer.generated(
                    schema, f"error|{endpoint.plan.op.id}|{status}", known
                )
        return self._json(status, body, headers)

    def _json(self, status: str, body: Any, headers: dict[str, str] | None = None) -> Response:
        media = self.fault.content_type or _JSON
        return Response(orjson.dumps(body), int(status), headers, media_type=media)


def create_app(
    contracts: Sequence[Contract],
    *,
    token: str,
    seed: int = 0,
    fault: str | None = None,
    records: int = SEEDED_RECORDS,
    max_body: int = MAX_BODY_BYTES,
) -> Starlette:
    """The mock for already-loaded contracts (tests use hand-written ones)."""
    if not token:
        raise UsageError("--token: the mock needs a non-empty token")
    if fault is not None and fault not in FAULTS:
        raise UsageError(f"--fault {fault}: unknown fault; see --list-faults")
    store = Store()
    services = [VendorService(c, store, token=token, seed=seed, records=records) for c in contracts]
    mock = MockApplication(services, FAULTS[fault] if fault else NO_FAULT, max_body)
    app = Starlette(routes=[Mount("", app=mock)])
    app.state.mock = mock
    return app


def build_app(
    vendors: Sequence[str],
    *,
    token: str,
    seed: int = 0,
    fault: str | None = None,
    contracts: Sequence[Contract] | None = None,
) -> Starlette:
    """The mock ASGI app for ``vendors`` (``"datarobot"``, ``"domino"``), read from their contracts,
    or for already-loaded ``contracts`` (a user's ``--contract`` documents; ``vendors`` then picks
    among their names, all of them when empty)."""
    if contracts is not None:
        chosen = [c for c in contracts if not vendors or c.vendor in vendors]
        if not chosen:
            raise UsageError("the mock has no contract to serve")
        return create_app(chosen, token=token, seed=seed, fault=fault)
    unknown = [v for v in vendors if v not in VENDORS]
    if unknown or not vendors:
        raise UsageError(f"--vendor {','.join(unknown) or '(none)'}: expected {', '.join(VENDORS)} or all")
    loaded = [Contract.load(vendor) for vendor in dict.fromkeys(vendors)]
    return create_app(loaded, token=token, seed=seed, fault=fault)
