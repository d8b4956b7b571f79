"""A tiny HTTP server that misbehaves on purpose: garbage, truncated bodies, 500s, slowness,
dropped connections, echoed credentials, or dying after a few requests."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODES = ("garbage", "truncated", "server-error", "slow", "reset", "echo", "dies")
SLOW_S = 1.0
DIES_AFTER = 3


class _Handler(BaseHTTPRequestHandler):
    server: _Server  # type: ignore[assignment]
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def _answer(self) -> None:
        mode = self.server.mode
        self.server.count += 1
        if mode == "dies" and self.server.count > DIES_AFTER:
            threading.Thread(target=self.server.shutdown, daemon=True).start()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if mode == "reset":
            self.connection.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
            )
            self.close_connection = True
            self.connection.close()
            return
        if mode == "slow":
            time.sleep(SLOW_S)
        status, body = 200, b'{"count": 2, "data": [{"id": "a", "name": "x"'
        if mode == "server-error":
            status, body = 500, b'{"message": "boom"}'
        elif mode == "echo":
            body = json.dumps({"headers": dict(self.headers), "path": self.path}).encode()
        declared = len(body) + (100 if mode == "truncated" else 0)
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(declared))
        if mode == "truncated":
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        if mode == "truncated":
            self.close_connection = True

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = do_HEAD = _answer


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, mode: str) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.mode = mode
        self.count = 0


@contextlib.contextmanager
def misbehaving(mode: str) -> Iterator[str]:
    server = _Server(mode)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
