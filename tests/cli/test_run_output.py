"""What ``run`` prints without a terminal (CI, a pipe), with -q and -v, and under GitHub Actions."""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from mlops_conformance.cli import cli
from mlops_conformance.cli.run import _LineProgress
from mlops_conformance.mock import serve_in_background

TOKEN = "tok-cli-output"
ONE = ["--vendor", "datarobot", "--operations", "^GET /api/v2/useCases/$", "--max-examples", "1"]
PROGRESS = re.compile(r"^progress: (\d+)/(\d+) \((\d+)%\) \d+ s", re.MULTILINE)
FAILED_LINE = (
    "fail datarobot::GET /api/v2/useCases/::auth.missing_token_rejected: Received: 200 without credentials"
)


@contextlib.contextmanager
def failing_target(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The reference mock as --target, serving without credentials (auth checks fail)."""
    monkeypatch.setenv("DATAROBOT_API_TOKEN", TOKEN)
    with serve_in_background(["datarobot"], token=TOKEN, fault="no-auth") as running:
        yield running.url


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, ["run", *args])


def _closing(output: str, report_dir: Path) -> list[str]:
    return [line for line in output.strip().splitlines() if line.strip()][-2:]


def test_under_a_pipe_run_prints_progress_lines_the_table_and_closing_lines(tmp_path: Path) -> None:
    command = [sys.executable, "-c", "from mlops_conformance.cli import main; main()", "run", *ONE]
    finished = subprocess.run(
        [*command, "--report-dir", str(tmp_path)],
        capture_output=True,  # stdout is a pipe, not a terminal
        text=True,
        timeout=600,
        check=False,
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    progress = PROGRESS.findall(finished.stdout)
    assert len(progress) >= 5, finished.stdout
    done, total, pct = (int(x) for x in progress[-1])
    assert done == total and pct == 100
    assert [int(p[2]) for p in progress] == sorted(int(p[2]) for p in progress)
    assert "┃ vendor" in finished.stdout and finished.stdout.index("progress:") < finished.stdout.index(
        "┃ vendor"
    )
    assert _closing(finished.stdout, tmp_path) == [
        f"html report: {tmp_path / 'index.html'}",
        f"summary: {tmp_path / 'summary.json'}",
    ]
    assert (tmp_path / "index.html").is_file() and (tmp_path / "summary.json").is_file()
    assert "\x1b[" not in finished.stdout  # no terminal, no escape codes


def test_quiet_prints_no_progress_and_no_table_only_totals_and_failures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with failing_target(monkeypatch) as url:
        result = invoke("-q", "--target", url, *ONE, "--report-dir", str(tmp_path))
    assert result.exit_code == 1, result.output
    assert "progress:" not in result.output and "┃" not in result.output
    assert re.search(r"^all: \d+ pass, [1-9]\d* fail, \d+ error", result.output, re.MULTILINE)
    assert FAILED_LINE in result.output
    assert _closing(result.output, tmp_path)[-1] == f"summary: {tmp_path / 'summary.json'}"


def test_verbose_prints_each_failing_row_as_it_happens_and_progress(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with failing_target(monkeypatch) as url:
        result = invoke("-v", "--target", url, *ONE, "--report-dir", str(tmp_path))
    assert result.exit_code == 1, result.output
    table = result.output.index("┃ vendor")
    assert FAILED_LINE in result.output[:table], "the failing row was not printed during the run"
    assert FAILED_LINE in result.output[table:], "the failing row is not listed after the table"
    assert PROGRESS.search(result.output)


def test_github_actions_gets_error_annotations_and_a_step_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    step_summary = tmp_path / "step-summary.md"
    step_summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(step_summary))
    reports = tmp_path / "reports"
    with failing_target(monkeypatch) as url:
        result = invoke("--target", url, *ONE, "--report-dir", str(reports))
    assert result.exit_code == 1, result.output
    annotation = (
        "::error title=auth.missing_token_rejected::datarobot GET /api/v2/useCases/: "
        "Received: 200 without credentials"
    )
    lines = result.output.splitlines()
    assert any(line.startswith(annotation) for line in lines), result.output
    errors = [line for line in lines if line.startswith("::error ")]
    assert 1 <= len(errors) <= 50
    assert all("%0A" not in line.split("::", 2)[1] for line in errors)  # titles are one line
    markdown = step_summary.read_text(encoding="utf-8")
    assert markdown.startswith("earlier step\n"), "the step summary must be appended to, not replaced"
    assert "| vendor | conformance |" in markdown and "| datarobot |" in markdown
    assert "### Failures" in markdown and "`auth.missing_token_rejected`" in markdown
    assert _closing(result.output, reports)[-2:] == [
        f"html report: {reports / 'index.html'}",
        f"summary: {reports / 'summary.json'}",
    ]


def test_without_github_actions_there_are_no_workflow_commands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    with failing_target(monkeypatch) as url:
        result = invoke("--target", url, *ONE, "--report-dir", str(tmp_path))
    assert "::error" not in result.output


class _Report:
    def __init__(self, verdict: str) -> None:
        self.conformance_row = {
            "vendor": "v",
            "operation": "GET /x",
            "check": "c",
            "verdict": verdict,
            "reason": "r",
        }


def _line_progress(every: float) -> tuple[_LineProgress, io.StringIO]:
    out = io.StringIO()
    return _LineProgress(Console(file=out, width=200), every=every), out


def test_a_progress_line_each_tenth_of_the_checks() -> None:
    progress, out = _line_progress(every=3600)
    with progress:
        progress.set_total(200)
        for n in range(200):
            progress.pytest_runtest_logreport(_Report("fail" if n == 7 else "pass"))
    found = PROGRESS.findall(out.getvalue())
    assert [int(p[2]) for p in found] == list(range(10, 101, 10))
    assert "progress: 20/200 (10%)" in out.getvalue() and "(fail 1)" in out.getvalue()


def test_a_progress_line_when_nothing_finished_for_the_interval() -> None:
    progress, out = _line_progress(every=0.2)
    with progress:
        time.sleep(1.5)
        assert "progress: collecting checks" in out.getvalue()
        progress.set_total(1000)
        progress.pytest_runtest_logreport(_Report("pass"))
        time.sleep(1.5)
    assert "progress: 1/1000 (0%)" in out.getvalue()


def test_allure_results_only_with_the_allure_flag(tmp_path: Path) -> None:
    stale = tmp_path / "allure-results"
    stale.mkdir()
    (stale / "old-result.json").write_text("{}", encoding="utf-8")
    result = invoke(*ONE, "--report-dir", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert not stale.exists(), "results of an earlier run were left beside this run's reports"
    assert "allure-results" not in result.output
    result = invoke(*ONE, "--allure", "--report-dir", str(tmp_path))
    assert result.exit_code == 0, result.output
    written = list(stale.glob("*-result.json"))
    assert written and (stale / "environment.properties").is_file()
    assert "allure-results/" in result.output


def test_allures_own_alluredir_is_honoured_when_given(tmp_path: Path) -> None:
    elsewhere = tmp_path / "mine"
    result = invoke(*ONE, "--report-dir", str(tmp_path / "reports"), "--", "--alluredir", str(elsewhere))
    assert result.exit_code == 0, result.output
    assert list(elsewhere.glob("*-result.json"))
    assert not (tmp_path / "reports" / "allure-results").exists()
