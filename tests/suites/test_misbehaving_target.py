"""A target that misbehaves gets ``error`` rows (or ``fail`` for its 5xx), and the run still
finishes, writes its reports and exits non-zero."""

from __future__ import annotations

import pytest

from ._misbehaving import misbehaving
from ._run import TOKEN, files_containing, run_suites

ONE_LIST = [
    "--vendor",
    "datarobot",
    "--operations",
    "^GET /api/v2/useCases/$",
    "--max-examples",
    "2",
    "--request-timeout",
    "0.3",
]
SENT = ("schema", "errors", "auth")  # families whose rows all depend on an answer


def run_against(tmp_path, monkeypatch, mode, *extra):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DATAROBOT_API_TOKEN", TOKEN)
    with misbehaving(mode) as url:
        return run_suites(tmp_path / "reports", "--target", url, *ONE_LIST, *extra)


@pytest.mark.parametrize("mode", ["truncated", "slow", "reset"])
def test_a_target_that_cannot_answer_gives_error_rows(tmp_path, monkeypatch, mode):
    run = run_against(tmp_path, monkeypatch, mode)
    assert run.code != 0
    sent = [r for r in run.rows if r["family"] in SENT]
    assert sent and {r["verdict"] for r in sent} == {"error"}
    assert all(r.get("reason") for r in sent)


def test_garbage_json_is_an_error_on_the_body_row(tmp_path, monkeypatch):
    run = run_against(tmp_path, monkeypatch, "garbage")
    assert run.code != 0
    assert run.verdicts("schema.response_body") == {"error"}
    assert run.verdicts("schema.status_code_documented") == {"pass"}
    assert run.verdicts("pagination.page_size") == {"error"}


def test_a_server_error_fails_the_rows_that_judge_it(tmp_path, monkeypatch):
    run = run_against(tmp_path, monkeypatch, "server-error")
    assert run.code != 0
    assert run.verdicts("schema.not_a_server_error") == {"fail"}


def test_a_target_that_dies_mid_run_still_gives_a_finished_run_with_reports(tmp_path, monkeypatch):
    run = run_against(tmp_path, monkeypatch, "dies", "--allure-results")
    assert run.code != 0
    assert "error" in {r["verdict"] for r in run.rows}
    assert (run.report_dir / "junit.xml").is_file() and (run.report_dir / "allure-results").is_dir()


def test_a_target_echoing_credentials_back_leaks_nothing_into_the_reports(tmp_path, monkeypatch):
    run = run_against(tmp_path, monkeypatch, "echo")
    assert run.summary["rows"]
    assert files_containing(run.report_dir, TOKEN) == []
    assert TOKEN not in run.output
