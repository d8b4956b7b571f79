"""Running the mock under uvicorn: in the foreground (the CLI) or in a background thread (tests, runs).

The listening socket is bound here, before uvicorn starts, so a busy port is reported as a usage
error and ``port=0`` yields a free port whose number is known before the first request.
"""

from __future__ import annotations

import contextlib
import errno
import socket
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import uvicorn

from ..errors import UsageError
from .app import build_app

_STOP_TIMEOUT_S = 30.0


@dataclass(frozen=True, slots=True)
class RunningMock:
    """A mock serving in the background; ``url`` is its base URL (``http://127.0.0.1:54321``)."""

    url: str
    host: str
    port: int


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on (host, port); a busy or invalid address is a :class:`UsageError`."""
    if not 0 <= port <= 65535:
        raise UsageError(f"--port {port}: expected 0-65535")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise UsageError(f"--host {host}: {exc.strerror}") from None
    family, kind, proto, _name, address = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(f"--port {port}: address already in use on {host}") from None
        raise UsageError(f"--host {host} --port {port}: cannot listen ({exc.strerror})") from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _config(app: object, log_level: str) -> uvicorn.Config:
    return uvicorn.Config(
        app,  # type: ignore[arg-type]
        log_level=log_level,
        access_log=False,
        lifespan="off",
        timeout_keep_alive=30,
        server_header=False,
    )


def serve_forever(app: object, sock: socket.socket, log_level: str = "warning") -> None:
    """Serve ``app`` on ``sock`` until interrupted (Ctrl-C / SIGTERM end it cleanly)."""
    server = uvicorn.Server(_config(app, log_level))
    server.run(sockets=[sock])


@contextlib.contextmanager
def serve_app(app: object, *, host: str = "127.0.0.1", port: int = 0) -> Iterator[RunningMock]:
    """Serve any ASGI ``app`` in a daemon thread for the duration of the ``with`` block."""
    sock = bind(host, port)
    bound_host, bound_port = sock.getsockname()[:2]
    server = uvicorn.Server(_config(app, "warning"))
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="mlops-conformance-mock", daemon=True
    )
    thread.start()
    ticker = threading.Event()
    while thread.is_alive() and not server.started:
        ticker.wait(0.01)
    if not server.started:
        sock.close()
        raise UsageError(f"the mock did not start on {host}:{port}")
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    try:
        yield RunningMock(f"http://{shown}:{bound_port}", bound_host, bound_port)
    finally:
        server.should_exit = True
        thread.join(timeout=_STOP_TIMEOUT_S)
        sock.close()


@contextlib.contextmanager
def serve_in_background(
    vendors: Sequence[str],
    *,
    token: str,
    seed: int = 0,
    fault: str | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
) -> Iterator[RunningMock]:
    """Serve the mock for ``vendors`` in a daemon thread for the duration of the ``with`` block."""
    app = build_app(vendors, token=token, seed=seed, fault=fault)
    with serve_app(app, host=host, port=port) as running:
        yield running
