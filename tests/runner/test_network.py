"""Network options a staging needs: extra headers (secret, redacted), a pace, CA and client cert."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from mlops_conformance.errors import UsageError
from mlops_conformance.runner.client import REDACTED, Credential, TargetClient
from mlops_conformance.runner.network import Network, parse_header, parse_rate, readable_file


@pytest.fixture
def echo_server():  # type: ignore[no-untyped-def]
    seen: list[dict[str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            seen.append({k.lower(): v for k, v in self.headers.items()})
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()


def client(url: str, network: Network, slept: list[float] | None = None) -> TargetClient:
    return TargetClient(
        url,
        tokens={"datarobot": "tok-network"},
        credentials={"datarobot": Credential()},
        timeout_s=5,
        allow_writes=False,
        network=network,
        sleep=(slept.append if slept is not None else lambda s: None),
    )


def test_extra_headers_are_sent_and_redacted_like_tokens(echo_server):
    url, seen = echo_server
    target = client(url, Network(headers={"X-Gateway-Key": "gw-secret-123"}))
    exchange = target.send("datarobot", "GET", "/x")
    target.close()
    assert seen[0]["x-gateway-key"] == "gw-secret-123"
    assert exchange.request.headers["x-gateway-key"] == REDACTED
    assert target.redactor.text("echo gw-secret-123") == f"echo {REDACTED}"


def test_a_rate_limit_paces_requests(echo_server):
    url, _ = echo_server
    slept: list[float] = []
    target = client(url, Network(rate_limit=2.0), slept)
    for _ in range(3):
        assert target.send("datarobot", "GET", "/x").status == 200
    target.close()
    # the clock does not move while the injected sleep "waits": slots stack up 0.5 s apart
    assert len(slept) == 2 and 0 < slept[0] <= 0.5 and 0.5 < slept[1] <= 1.0


def test_tls_settings_map_onto_the_client(tmp_path: Path):
    bundle = tmp_path / "ca.pem"
    bundle.write_text("not read here")
    assert Network().verify is True
    assert Network(ca_bundle=bundle).verify == str(bundle)
    assert Network(ca_bundle=bundle, insecure=True).verify is False
    assert Network(cert=bundle, key=bundle).client_cert == (str(bundle), str(bundle))


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: parse_header("no colon"), "-H 'no colon'...: expected 'Name: value'"),
        (lambda: parse_header("X-Empty:"), "-H 'X-Empty'...: expected 'Name: value'"),
        (lambda: parse_rate("fast"), "--rate-limit 'fast': expected requests per second, such as 5/s"),
        (lambda: parse_rate("0/s"), "--rate-limit '0/s': expected requests per second, such as 5/s"),
        (
            lambda: readable_file("--ca-bundle", "/no/such/file.pem"),
            "--ca-bundle /no/such/file.pem: no such file",
        ),
    ],
)
def test_bad_network_options_are_one_line_errors(call, message):
    with pytest.raises(UsageError) as raised:
        call()
    assert str(raised.value) == message


def test_good_network_options_parse():
    assert parse_header("X-Env:  staging ") == ("X-Env", "staging")
    assert parse_rate("5/s") == 5.0 and parse_rate("2.5") == 2.5 and parse_rate(None) is None
