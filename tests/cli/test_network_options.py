"""`run`'s network options reach the target and never the reports; bad ones are one line."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from mlops_conformance.cli import cli
from mlops_conformance.mock import serve_in_background

ONE = ["--vendor", "datarobot", "--operations", "^GET /api/v2/useCases/$", "--max-examples", "1"]


def test_an_extra_header_is_sent_and_redacted_in_every_report(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("DATAROBOT_API_TOKEN", "tok-net")
    with serve_in_background(["datarobot"], token="tok-net") as running:
        result = CliRunner().invoke(
            cli,
            ["run", "--target", running.url, *ONE, "-H", "X-Gateway-Key: gw-7d1e-secret", "--rate-limit", "200/s",
             "--report-dir", str(tmp_path)],
        )  # fmt: skip
    assert result.exit_code == 0, result.output
    summary = (tmp_path / "summary.json").read_text()
    assert '"x-gateway-key": "[REDACTED]"' in summary
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert b"gw-7d1e-secret" not in path.read_bytes(), path


def test_bad_network_options_are_one_line_errors(tmp_path: Path):
    for args, message in (
        (["-H", "no-colon"], "error: -H 'no-colon'...: expected 'Name: value'"),
        (["--rate-limit", "fast"], "error: --rate-limit 'fast': expected requests per second"),
        (["--ca-bundle", str(tmp_path / "none.pem")], "error: --ca-bundle"),
    ):
        result = CliRunner().invoke(cli, ["run", *ONE, *args, "--report-dir", str(tmp_path)])
        assert result.exit_code == 2, result.output
        assert message in result.output and "Traceback" not in result.output


def test_insecure_is_warned_about_loudly(tmp_path: Path):
    result = CliRunner().invoke(cli, ["run", *ONE, "--insecure", "--report-dir", str(tmp_path)])
    assert "warning: --insecure: the target's TLS certificate is NOT verified" in result.output
