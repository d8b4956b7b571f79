"""``mlops-conformance run``: the suites through pytest, a summary table, and honest exit codes."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from mlops_conformance.cli import cli
from mlops_conformance.mock import serve_in_background

TOKEN = "tok-cli-run"


@contextlib.contextmanager
def mock_target(monkeypatch: pytest.MonkeyPatch, *, fault: str | None = None) -> Iterator[str]:
    """The reference mock as an external --target, its token in DataRobot's variable."""
    monkeypatch.setenv("DATAROBOT_API_TOKEN", TOKEN)
    with serve_in_background(["datarobot"], token=TOKEN, fault=fault) as running:
        yield running.url


ONE = ["--vendor", "datarobot", "--operations", "^GET /api/v2/useCases/$", "--max-examples", "1"]


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, ["run", *args])


def test_a_clean_run_exits_zero_and_prints_the_table_per_vendor_and_tag(tmp_path):
    result = invoke(*ONE, "--report-dir", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "datarobot" in result.output and "Use Cases" in result.output
    assert (tmp_path / "summary.json").is_file()


def test_a_failing_target_exits_one_and_lists_the_failures(tmp_path, monkeypatch):
    with mock_target(monkeypatch, fault="no-auth") as url:
        result = invoke("--target", url, *ONE, "--report-dir", str(tmp_path))
    assert result.exit_code == 1
    assert (
        "fail datarobot::GET /api/v2/useCases/::auth.missing_token_rejected: Received: 200 without credentials"
        in result.output
    )


def test_an_undocumented_success_status_fails_the_run_because_success_codes_are_closed(tmp_path, monkeypatch):
    with mock_target(monkeypatch, fault="undocumented-status") as url:
        result = invoke("--target", url, *ONE, "--report-dir", str(tmp_path))
    assert "schema.status_code_documented: Received: 203" in result.output
    assert result.exit_code == 1, result.output


class ExtraField:
    """ASGI middleware: every JSON object answer gains a field the docs never mention."""

    def __init__(self, app: object) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):  # type: ignore[no-untyped-def]
        if scope["type"] != "http":
            return await self.app(scope, receive, send)  # type: ignore[operator]
        started: dict = {}
        chunks: list[bytes] = []

        async def rewrite(message):  # type: ignore[no-untyped-def]
            if message["type"] == "http.response.start":
                started.update(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = b"".join(chunks)
            if body.startswith(b"{") and started["status"] == 200:
                body = b'{"undocumentedExtra":1,' + body[1:]
            headers = [(k, v) for k, v in started["headers"] if k.lower() != b"content-length"]
            await send({**started, "headers": [*headers, (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, rewrite)  # type: ignore[operator]


def test_drift_alone_does_not_fail_the_run(tmp_path, monkeypatch):
    from mlops_conformance.mock import build_app
    from mlops_conformance.mock.server import serve_app

    monkeypatch.setenv("DATAROBOT_API_TOKEN", TOKEN)
    with serve_app(ExtraField(build_app(["datarobot"], token=TOKEN))) as running:
        result = invoke("--target", running.url, *ONE, "--report-dir", str(tmp_path))
    assert "drift" in result.output
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--vendor", "oracle"], "error: --vendor 'oracle': expected one of datarobot, domino, mlflow or all"),
        (["--operations", "("], "error: --operations '(' is not a valid regular expression"),
        (["--max-examples", "0"], "error: --max-examples must be at least 1"),
        (
            ["--target", "http://127.0.0.1:9", "--token-env", "NO_SUCH_TOKEN_VARIABLE"],
            "set NO_SUCH_TOKEN_VARIABLE",
        ),
        (["--operations", "^NOTHING$"], "error: no check selected"),
    ],
)
def test_bad_options_are_one_line_errors_with_exit_code_two(tmp_path, args, message):
    result = invoke(*args, "--report-dir", str(tmp_path))
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_the_html_report_and_history_are_written_after_the_run(tmp_path):
    invoke(*ONE, "--report-dir", str(tmp_path))
    assert (tmp_path / "index.html").is_file()
    assert list((tmp_path / "history").glob("*.json"))


def test_a_summary_left_by_an_earlier_run_is_never_reported_as_this_run(tmp_path):
    stale = {
        "run": {"target": "http://old.example", "vendors": ["datarobot"]},
        "rows": [
            {"vendor": "datarobot", "operation": "GET /x", "check": "c", "verdict": "pass", "evidence": {}}
        ],
    }
    (tmp_path / "summary.json").write_text(__import__("json").dumps(stale))
    result = invoke(*ONE, "--report-dir", str(tmp_path), "--", "--collect-only", "-q")
    assert result.exit_code != 0
    assert "old.example" not in result.output
