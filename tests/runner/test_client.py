"""The run's HTTP client: credentials in, secrets out, writes guarded, dead targets given up on."""

from __future__ import annotations

import socket

import pytest

from mlops_conformance.contract import Contract
from mlops_conformance.runner.client import (
    BREAKER_THRESHOLD,
    Credential,
    Redactor,
    TargetClient,
    WritesNotAllowed,
    credential_for,
)

TOKEN = "tok-RECOGNISABLE-1234"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def client(**changes) -> TargetClient:  # type: ignore[no-untyped-def]
    options = {
        "tokens": {"datarobot": TOKEN},
        "credentials": {"datarobot": Credential("Authorization", "Bearer ")},
        "timeout_s": 0.5,
        "allow_writes": False,
    }
    options.update(changes)
    return TargetClient(f"http://127.0.0.1:{free_port()}", **options)


def test_datarobot_sends_a_bearer_token_and_domino_its_api_key_header():
    for vendor, header, prefix in (
        ("datarobot", "authorization", "Bearer "),
        ("domino", "x-domino-api-key", ""),
    ):
        credential = credential_for(vendor, Contract.load(vendor))
        assert (credential.header.lower(), credential.prefix) == (header, prefix)


def test_a_contract_without_security_schemes_falls_back_to_the_vendor_convention():
    bare = Contract("domino", {"paths": {}})
    assert credential_for("domino", bare) == Credential("X-Domino-Api-Key", "")


def test_recorded_requests_carry_no_credentials():
    exchange = client().send("datarobot", "GET", "/api/v2/useCases/", params={"q": TOKEN})
    assert exchange.request.headers["authorization"] == "[REDACTED]"
    assert TOKEN not in exchange.request.url


def test_a_refused_connection_is_recorded_as_an_error_not_raised():
    exchange = client().send("datarobot", "GET", "/api/v2/useCases/")
    assert exchange.response is None
    assert exchange.error.startswith("connection failed")


def test_a_dead_target_is_given_up_on_after_a_few_failures():
    target = client()
    for _ in range(BREAKER_THRESHOLD):
        target.send("datarobot", "GET", "/x")
    sent = target.requests_sent
    exchange = target.send("datarobot", "GET", "/x")
    assert target.requests_sent == sent
    assert exchange.error.startswith("target unreachable")


def test_writes_are_refused_against_a_read_only_target():
    with pytest.raises(WritesNotAllowed):
        client().send("datarobot", "POST", "/api/v2/useCases/", json={"name": "x"})


def test_the_redactor_removes_every_secret_and_url_credentials():
    redactor = Redactor([TOKEN, "other-secret"])
    assert redactor.text(f"Bearer {TOKEN} and other-secret") == "Bearer [REDACTED] and [REDACTED]"
    assert redactor.url("https://user:pw@host.example/api") == "https://[REDACTED]@host.example/api"


def test_requests_carry_the_client_defaults_a_real_server_expects():
    """User-Agent, Accept and Accept-Encoding go out with every request (servers and firewalls
    refuse or misroute requests without them)."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    seen: dict[str, str] = {}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            seen.update({k.lower(): v for k, v in self.headers.items()})
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        client = TargetClient(
            f"http://127.0.0.1:{server.server_address[1]}",
            tokens={"datarobot": "tok-abcdef"},
            credentials={"datarobot": Credential()},
            timeout_s=5,
            allow_writes=False,
        )
        assert client.send("datarobot", "GET", "/x").status == 200
        client.close()
    finally:
        server.shutdown()
    assert seen["user-agent"] == "mlops-conformance"
    assert "application/json" in seen["accept"]
    assert "gzip" in seen["accept-encoding"]
    assert seen["authorization"] == "Bearer tok-abcdef"
