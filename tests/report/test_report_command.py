"""`mlops-conformance report [DIR]`: writes DIR/index.html, or says in one line why it cannot."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from mlops_conformance.cli import cli

from .factory import write_summary


def test_report_defaults_to_the_reports_directory(
    tmp_path: Path, summary_doc: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_summary(tmp_path / "reports", summary_doc)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["report"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"wrote {Path('reports') / 'index.html'}"
    assert (tmp_path / "reports" / "index.html").is_file()


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        ("nothing", "no such report directory"),
        ("empty", "summary.json: no such file (run `mlops-conformance run` first)"),
        ("corrupt", "summary.json: not valid JSON"),
        ("wrong", "summary.json: not a summary"),
    ],
)
def test_bad_input_to_report_is_one_error_line(tmp_path: Path, setup: str, expected: str) -> None:
    target = tmp_path / "reports"
    if setup != "nothing":
        target.mkdir()
    if setup == "corrupt":
        (target / "summary.json").write_bytes(b'{"run": {"target": "x"}, "rows": [{"vendor"')
    if setup == "wrong":
        (target / "summary.json").write_text("[1, 2, 3]", encoding="utf-8")
    result = CliRunner().invoke(cli, ["report", str(target)])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and expected in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert not (target / "index.html").exists()
