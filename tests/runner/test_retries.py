"""Rate limits and transient faults: 429/503 retried with backoff, dropped connections retried once,
every retry in the evidence, and the run never judged on a "not now" answer.

The target is a real HTTP server on loopback (``http.server`` in a thread) that plays a script: one
action per request (an answer with a status and headers, or a dropped connection), then 200s. The
client's ``sleep`` is replaced by a recorder, so no test waits and none asserts on time.
"""

from __future__ import annotations

import collections
import email.utils
import http.server
import threading
import time
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from click.testing import CliRunner

from mlops_conformance.checks import ERROR
from mlops_conformance.cli import cli
from mlops_conformance.runner.client import (
    BREAKER_THRESHOLD,
    Credential,
    TargetClient,
    retry_after_seconds,
)
from mlops_conformance.runner.judge import Outcome, evidence

TOKEN = "tok-RETRIES-5a7e"
DROP = "drop"


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as real targets do
    server: _ScriptedServer

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self.server.seen.append(self.command)
        action = self.server.script.popleft() if self.server.script else (200, {})
        if action == DROP:
            self.close_connection = True  # no answer at all: the client sees the connection go
            return
        status, headers = action
        body = b'{"ok": true}' if status == 200 else b'{"message": "not now"}'
        self.send_response(status)
        for name, value in {"Content-Type": "application/json", **headers}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = _answer

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _ScriptedServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.script: collections.deque[Any] = collections.deque()
        self.seen: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture
def server() -> Iterator[_ScriptedServer]:
    running = _ScriptedServer()
    thread = threading.Thread(target=running.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield running
    finally:
        running.shutdown()
        running.server_close()
        thread.join(timeout=5)


class Sleeps(list[float]):
    """Stands for ``time.sleep``: records what the client would have waited."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def make_client(url: str, **changes: Any) -> TargetClient:
    options: dict[str, Any] = {
        "tokens": {"datarobot": TOKEN},
        "credentials": {"datarobot": Credential("Authorization", "Bearer ")},
        "timeout_s": 5,
        "allow_writes": True,
        "sleep": Sleeps(),
    }
    options.update(changes)
    return TargetClient(url, **options)


def test_a_429_then_200_is_the_200_with_one_retry_recorded(server):
    server.script.extend([(429, {})])
    client = make_client(server.url)
    exchange = client.send("datarobot", "GET", "/api/v2/useCases/")
    assert exchange.status == 200 and exchange.error is None
    assert exchange.meta["retries"] == [
        {"status": 429, "error": None, "retry_after": None, "waited_s": client.backoff(0)}
    ]
    assert client.sleep == [client.backoff(0)]
    assert server.seen == ["GET", "GET"]


def test_without_retry_after_the_waits_grow_and_are_capped(server):
    client = make_client(server.url, max_retries=6, max_wait_s=3)
    server.script.extend([(503, {})] * 6)
    exchange = client.send("datarobot", "GET", "/x")
    assert exchange.status == 200
    waits = client.sleep
    assert len(waits) == 6
    assert waits == sorted(waits) and waits[1] == 2 * waits[0]
    assert max(waits) <= 3


def test_retry_after_in_seconds_is_honoured(server):
    server.script.extend([(429, {"Retry-After": "7"})])
    client = make_client(server.url)
    exchange = client.send("datarobot", "GET", "/x")
    assert exchange.status == 200
    assert client.sleep == [7.0]
    assert exchange.meta["retries"][0]["retry_after"] == "7"
    assert exchange.meta["retries"][0]["waited_s"] == 7.0


def test_retry_after_as_an_http_date_is_honoured(server):
    when = email.utils.formatdate(time.time() + 20, usegmt=True)
    server.script.extend([(503, {"Retry-After": when})])
    client = make_client(server.url)
    exchange = client.send("datarobot", "GET", "/x")
    assert exchange.status == 200
    assert len(client.sleep) == 1 and 0 < client.sleep[0] <= 20
    assert exchange.meta["retries"][0]["retry_after"] == when


def test_retry_after_beyond_max_wait_gives_up_at_once_keeping_the_answer(server):
    server.script.extend([(429, {"Retry-After": "120"})])
    client = make_client(server.url, max_wait_s=30)
    exchange = client.send("datarobot", "GET", "/x")
    assert exchange.status == 429  # the last answer is kept as evidence
    assert exchange.error.startswith("rate limited")
    assert "Retry-After 120 s exceeds --max-wait 30" in exchange.error
    assert client.sleep == []
    assert server.seen == ["GET"]
    assert "retries" not in exchange.meta


def test_a_503_that_never_ends_is_an_error_after_max_retries(server):
    server.script.extend([(503, {})] * 10)
    client = make_client(server.url, max_retries=3)
    exchange = client.send("datarobot", "GET", "/x")
    assert exchange.status == 503
    assert exchange.error == "unavailable: 503 after 3 retries"
    assert [r["status"] for r in exchange.meta["retries"]] == [503, 503, 503]
    assert len(server.seen) == 4


def test_a_post_answered_429_is_retried_too(server):
    server.script.extend([(429, {"Retry-After": "0"})])
    client = make_client(server.url)
    exchange = client.send("datarobot", "POST", "/api/v2/useCases/", json={"name": "x"})
    assert exchange.status == 200
    assert server.seen == ["POST", "POST"]


def test_max_retries_zero_sends_once_and_reports_the_429_as_an_error(server):
    server.script.extend([(429, {}), DROP])
    client = make_client(server.url, max_retries=0)
    exchange = client.send("datarobot", "GET", "/x")
    assert exchange.status == 429 and exchange.error.startswith("rate limited")
    assert client.sleep == [] and server.seen == ["GET"]
    dropped = client.send("datarobot", "GET", "/x")
    assert dropped.error.startswith("connection dropped")
    assert server.seen == ["GET", "GET"]


def test_a_dropped_connection_on_a_get_is_retried_once_and_succeeds(server):
    server.script.extend([DROP])
    client = make_client(server.url)
    exchange = client.send("datarobot", "GET", "/x")
    assert exchange.status == 200 and exchange.error is None
    [retry] = exchange.meta["retries"]
    assert retry["status"] is None and retry["error"].startswith("connection dropped")
    assert retry["waited_s"] == 0.0 and client.sleep == []
    assert server.seen == ["GET", "GET"]


def test_a_connection_dropped_twice_is_an_error_after_one_retry(server):
    server.script.extend([DROP, DROP])
    client = make_client(server.url)
    exchange = client.send("datarobot", "DELETE", "/x")
    assert exchange.response is None and exchange.error.startswith("connection dropped")
    assert len(exchange.meta["retries"]) == 1
    assert server.seen == ["DELETE", "DELETE"]


def test_a_dropped_post_is_not_retried(server):
    server.script.extend([DROP])
    client = make_client(server.url)
    exchange = client.send("datarobot", "POST", "/api/v2/useCases/", json={"name": "x"})
    assert exchange.response is None and exchange.error.startswith("connection dropped")
    assert "retries" not in exchange.meta
    assert server.seen == ["POST"]


def test_a_target_that_was_never_reachable_is_not_retried():
    client = make_client("http://127.0.0.1:9")
    exchange = client.send("datarobot", "GET", "/x")
    assert exchange.error.startswith("connection failed")
    assert client.requests_sent == 1 and "retries" not in exchange.meta


def test_a_refused_connection_after_answers_is_retried_once(server):
    client = make_client(server.url)
    # Connection: close, so that the next request needs a new connection, which the target refuses.
    assert client.send("datarobot", "GET", "/x", headers={"Connection": "close"}).status == 200
    server.shutdown()
    server.server_close()  # the target goes away between two requests
    exchange = client.send("datarobot", "GET", "/x")
    assert exchange.error.startswith("connection failed")
    assert [r["error"][:17] for r in exchange.meta["retries"]] == ["connection failed"]
    assert client.send("datarobot", "GET", "/x").meta.get("retries") is None  # known dead: no retry


def test_observers_are_called_once_per_send_with_the_final_exchange(server):
    server.script.extend([(429, {}), (503, {}), DROP])
    client = make_client(server.url)
    seen: list[tuple[str, Any]] = []
    client.observers.append(lambda vendor, exchange: seen.append((vendor, exchange)))
    first = client.send("datarobot", "GET", "/x")
    second = client.send("datarobot", "GET", "/x")
    assert [vendor for vendor, _ in seen] == ["datarobot", "datarobot"]
    assert seen[0][1] is first and seen[1][1] is second
    assert first.status == 200 and [r["status"] for r in first.meta["retries"]] == [429, 503, None]
    assert second.status == 200 and "retries" not in second.meta
    assert len(server.seen) == 5


def test_rate_limiting_never_trips_the_breaker(server):
    server.script.extend([(429, {})] * (BREAKER_THRESHOLD * 2))
    client = make_client(server.url, max_retries=0)
    for _ in range(BREAKER_THRESHOLD * 2):
        assert client.send("datarobot", "GET", "/x").error.startswith("rate limited")
    exchange = client.send("datarobot", "GET", "/x")
    assert exchange.status == 200 and exchange.error is None


def test_retries_are_in_the_row_evidence_and_the_verdict_is_error(server):
    server.script.extend([(429, {"Retry-After": "1"}), (429, {"Retry-After": "999"})])
    client = make_client(server.url)
    exchange = client.send("datarobot", "GET", "/x")
    assert exchange.error.startswith("rate limited: 429 after 1 retry (Retry-After 999 s")
    case = SimpleNamespace(operation=SimpleNamespace(source=None))
    found = evidence(Outcome(ERROR, exchange.error, exchange=exchange), case, client.redactor)  # type: ignore[arg-type]
    assert found["retries"] == [{"status": 429, "error": None, "retry_after": "1", "waited_s": 1.0}]
    assert found["response"]["status"] == 429


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("soon", None),
        ("5", 5.0),
        ("-3", 0.0),
        ("nan", None),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),  # in the past: no wait
    ],
)
def test_retry_after_values(value, expected):
    assert retry_after_seconds(value) == expected


def test_an_http_date_retry_after_is_read_against_the_clock():
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:30 GMT", now=1445412480.0) == 30.0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--max-retries", "-1"], "error: --max-retries must be 0 or more"),
        (["--max-wait", "-0.5"], "error: --max-wait must be 0 or more seconds"),
    ],
)
def test_negative_retry_options_are_one_line_usage_errors(tmp_path, args, message):
    result = CliRunner().invoke(cli, ["run", *args, "--report-dir", str(tmp_path)])
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


def test_the_plugin_refuses_negative_retry_options_and_passes_the_others():
    from mlops_conformance.plugin import _options

    values = {
        "max_examples": 1,
        "request_timeout": 5.0,
        "known_failures": None,
        "target": None,
        "vendor": "datarobot",
        "token_env": None,
        "allow_writes": False,
        "operations": None,
        "tags": None,
        "report_dir": "reports",
        "conformance_seed": 1,
        "max_retries": 5,
        "max_wait": 2.5,
    }

    def config(**changes: Any) -> Any:
        merged = {**values, **changes}
        # Options this test is not about keep pytest's defaults (None, False, []).
        return SimpleNamespace(getoption=lambda name: merged.get(name), getini=lambda name: False)

    options, _ = _options(config())
    assert (options.max_retries, options.max_wait) == (5, 2.5)
    with pytest.raises(pytest.UsageError, match="--max-retries must be 0 or more"):
        _options(config(max_retries=-1))
    with pytest.raises(pytest.UsageError, match="--max-wait must be 0 or more"):
        _options(config(max_wait=-1.0))


def test_a_post_on_a_kept_alive_connection_the_server_closed_idle_is_sent_once_more(server):
    """The idle-timeout race of real servers: the previous answer left the connection open, the
    server closes it as the POST goes out, not a byte comes back. The POST was never read."""
    server.script.extend([(200, {}), DROP])
    client = make_client(server.url)
    assert client.send("datarobot", "GET", "/x").status == 200
    exchange = client.send("datarobot", "POST", "/api/v2/useCases/", json={"name": "x"})
    assert exchange.status == 200 and exchange.error is None
    assert [r["error"][:18] for r in exchange.meta["retries"]] == ["connection dropped"]
    assert server.seen == ["GET", "POST", "POST"]
