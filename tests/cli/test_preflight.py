"""Preflight: a target that cannot be tested at all (unreachable, credentials refused) is one line
and exit 2 within seconds, not a thousand error rows; a target that answers goes on to the suite."""

from __future__ import annotations

import socket

from click.testing import CliRunner

from mlops_conformance.cli import cli
from mlops_conformance.mock import serve_in_background

ONE = ["--vendor", "datarobot", "--operations", "^GET /api/v2/useCases/$", "--max-examples", "1"]


def _closed_port() -> int:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def test_an_unreachable_target_is_one_line_and_exit_two(tmp_path, monkeypatch):
    monkeypatch.setenv("DATAROBOT_API_TOKEN", "tok-preflight")
    url = f"http://127.0.0.1:{_closed_port()}"
    result = CliRunner().invoke(cli, ["run", "--target", url, *ONE, "--report-dir", str(tmp_path)])
    assert result.exit_code == 2, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert errors == [
        f"error: --target {url} cannot be reached: connection failed: [Errno 111] Connection refused"
    ]
    assert "Traceback" not in result.output
    assert not (tmp_path / "summary.json").exists()


def test_refused_credentials_are_one_line_naming_the_variable_never_the_token(tmp_path, monkeypatch):
    monkeypatch.setenv("DATAROBOT_API_TOKEN", "tok-wrong-preflight")
    with serve_in_background(["datarobot"], token="tok-right") as running:
        result = CliRunner().invoke(
            cli, ["run", "--target", running.url, *ONE, "--report-dir", str(tmp_path)]
        )
    assert result.exit_code == 2, result.output
    assert "refused the datarobot credentials" in result.output
    assert "answered 401 (token from $DATAROBOT_API_TOKEN)" in result.output
    assert "tok-wrong-preflight" not in result.output


def test_a_target_that_answers_goes_on_to_the_suite(tmp_path, monkeypatch):
    monkeypatch.setenv("DATAROBOT_API_TOKEN", "tok-right")
    with serve_in_background(["datarobot"], token="tok-right") as running:
        result = CliRunner().invoke(
            cli, ["run", "--target", running.url, *ONE, "--report-dir", str(tmp_path)]
        )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "summary.json").is_file()


def test_a_vendor_without_credentials_is_still_preflighted(tmp_path, monkeypatch):
    """MLflow's contract asks for no credentials: its plain read still proves the target answers."""
    monkeypatch.delenv("MLFLOW_TRACKING_TOKEN", raising=False)
    url = f"http://127.0.0.1:{_closed_port()}"
    args = ["run", "--target", url, "--vendor", "mlflow", "--report-dir", str(tmp_path)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert f"error: --target {url} cannot be reached" in result.output
    assert not (tmp_path / "summary.json").exists()
