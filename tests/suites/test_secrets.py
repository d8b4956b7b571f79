"""The token never appears in any output: console, junit, allure, summary, HTML, history, logs."""

from __future__ import annotations

from click.testing import CliRunner

from mlops_conformance.cli import cli

from ._run import TOKEN, files_containing, mock_target

SOME = "^[A-Z]+ /api/v2/useCases/(\\{useCaseId\\}/)?$|^[A-Z]+ /api/datasetrw/v1/datasets(/\\{datasetId\\})?$"


def test_a_full_run_with_writes_leaves_the_token_in_no_file_and_no_output(tmp_path, monkeypatch):
    reports = tmp_path / "reports"
    with mock_target(monkeypatch) as url:
        result = CliRunner().invoke(
            cli,
            [
                "run",
                "--target",
                url,
                "--allow-writes",
                "--operations",
                SOME,
                "--max-examples",
                "2",
                "--allure",
                "--report-dir",
                str(reports),
            ],
        )
    assert result.exit_code == 0, result.output
    produced = [p for p in reports.rglob("*") if p.is_file()]
    assert {"summary.json", "junit.xml", "pytest.txt"} <= {p.name for p in produced}
    assert any(p.parent.name == "allure-results" for p in produced)
    assert files_containing(reports, TOKEN) == []
    assert TOKEN not in result.output
    # and the evidence still shows where the credential went, redacted
    assert "[REDACTED]" in (reports / "summary.json").read_text()


def test_the_wrong_token_the_auth_checks_send_is_redacted_too(tmp_path, monkeypatch):
    import orjson

    reports = tmp_path / "reports"
    with mock_target(monkeypatch) as url:
        CliRunner().invoke(
            cli,
            [
                "run",
                "--target",
                url,
                "--operations",
                "^GET /api/v2/useCases/$",
                "--max-examples",
                "1",
                "--report-dir",
                str(reports),
            ],
        )
    rows = orjson.loads((reports / "summary.json").read_bytes())["rows"]
    [wrong] = [r for r in rows if r["check"] == "auth.wrong_token_rejected"]
    assert wrong["evidence"]["request"]["headers"]["authorization"] == "[REDACTED]"
    assert files_containing(reports, "mlops-conformance-wrong-") == []
