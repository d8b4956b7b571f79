"""The report as a person sees it: a real run, rendered, opened in headless Chromium, photographed.

The run is ``mlops-conformance run`` against the embedded mock, restricted to a handful of
operations of both vendors and one generated example each so that it takes seconds; everything
after it (summary, history, report, browser) is exactly what a user gets.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlops_conformance.cli import cli

from .browser import DomScan, dump_dom, screenshot

REPO = Path(__file__).resolve().parents[2]
OPERATIONS = r"^[A-Z]+ (/api/v2/useCases/(\{useCaseId\}/)?|/api/cost/v1/.*|/api/datasetrw/v1/datasets)$"


@pytest.fixture(scope="module")
def real_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """A real conformance run against the embedded mock, and its report rendered again by `report`."""
    report_dir = tmp_path_factory.mktemp("reports")
    command = [
        sys.executable, "-c", "from mlops_conformance.cli import main; main()", "run",
        "--report-dir", str(report_dir), "--max-examples", "1", "--operations", OPERATIONS,
    ]  # fmt: skip
    finished = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False, cwd=REPO)
    output = f"{finished.stdout[-3000:]}\n{finished.stderr[-3000:]}"
    summary_file = report_dir / "summary.json"
    assert summary_file.is_file(), f"the run wrote no summary:\n{output}"
    assert (report_dir / "index.html").is_file(), f"the run did not write the HTML report:\n{output}"
    assert len(list((report_dir / "history").glob("*.json"))) == 1, "the run was not recorded in the history"
    result = CliRunner().invoke(cli, ["report", str(report_dir)])
    assert result.exit_code == 0, result.output
    return report_dir / "index.html", json.loads(summary_file.read_text(encoding="utf-8"))


def _rarest_verdict(summary: dict) -> str:
    """The verdict found on the fewest operations: filtering by it must hide some rows."""
    operations: dict[str, set[tuple[str, str]]] = {}
    for row in summary["rows"]:
        operations.setdefault(row["verdict"], set()).add((row["vendor"], row["operation"]))
    return min(operations, key=lambda verdict: (len(operations[verdict]), verdict))


@pytest.fixture(scope="module")
def filtered_dom(real_run: tuple[Path, dict]) -> DomScan:
    """The DOM after the script ran, opened filtered by the rarest verdict and with a cell drilled into."""
    page, summary = real_run
    first = summary["rows"][0]
    return DomScan(dump_dom(page, f"verdict={_rarest_verdict(summary)}&open=0:{first['family']}"))


def test_the_matrix_has_one_row_per_operation_and_the_counts_match_the_summary(
    real_run: tuple[Path, dict], filtered_dom: DomScan
) -> None:
    _, summary = real_run
    dom = filtered_dom
    assert dom.root.get("data-ready") == "1", "the page's script did not finish"
    operations = {(r["vendor"], r["operation"]) for r in summary["rows"]}
    assert {r["vendor"] for r in summary["rows"]} == {"datarobot", "domino"}
    assert {(r["data-vendor"], r["data-operation"]) for r in dom.op_rows} == operations
    assert len(dom.op_rows) == len(operations)
    expected = Counter(r["verdict"] for r in summary["rows"])
    shown = {verdict: int(text.split()[-1]) for verdict, text in dom.button_text.items()}
    assert shown == {v: expected.get(v, 0) for v in shown}
    assert sum(shown.values()) == len(summary["rows"]) == sum(summary["run"]["counts"].values())


def test_filtering_by_verdict_and_opening_a_cell_work_in_the_browser(
    real_run: tuple[Path, dict], filtered_dom: DomScan
) -> None:
    _, summary = real_run
    verdict = _rarest_verdict(summary)
    having = {(r["vendor"], r["operation"]) for r in summary["rows"] if r["verdict"] == verdict}
    assert {(r["data-vendor"], r["data-operation"]) for r in filtered_dom.visible_op_rows} == having
    assert "hidden" not in filtered_dom.drawer
    first_op = filtered_dom.op_rows[0]
    family = summary["rows"][0]["family"]
    checks = {
        r["check"]
        for r in summary["rows"]
        if (r["vendor"], r["operation"]) == (first_op["data-vendor"], first_op["data-operation"])
        and r["family"] == family
    }
    text = " ".join(filtered_dom.drawer_text)
    assert checks and all(check in text for check in checks)


def test_a_screenshot_of_the_report_is_kept_under_reports(real_run: tuple[Path, dict]) -> None:
    page, _ = real_run
    shot = screenshot(page, REPO / "reports" / "report.png")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 20_000  # a blank page compresses to a few kilobytes
