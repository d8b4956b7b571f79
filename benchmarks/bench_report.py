"""Benchmark: how big the reports of a full default run are, and how fast headless Chromium renders
the HTML report, next to baselines measured in this same run.

    python benchmarks/bench_report.py [--reuse DIR] [--repeat N]

Run:       ``mlops-conformance run --report-dir <tmp>`` (the full default run against the embedded
           mock), unless ``--reuse DIR`` names the report directory of a finished run.
Sizes:     the report directory (every file, and the count), ``index.html``, ``summary.json``, the
           history entry; baselines: the same page rendered the former way (every row's evidence as
           plain JSON, ``render_report(pack=False)``) and the history entry written the former way
           (every row as an object, indented).
Render:    headless Chromium opening ``index.html`` until the page says it is ready (the packed
           evidence inflated): the page's own ``performance.now()`` at that moment (``data-ready-ms``)
           and the wall time of the browser process, median of ``--repeat`` runs; the same for the
           baseline page and for an empty page (the browser's own start-up).

Targets (issue 10): ``reports/`` <= 10 MB, ``index.html`` <= 1.5 MB, rendered in under 2 s.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--virtual-time-budget=10000",
)


def executable(name: str) -> str:
    here = Path(sys.executable).parent / name
    return str(here) if here.exists() else name


def full_run(report_dir: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        [executable("mlops-conformance"), "run", "--report-dir", str(report_dir)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    if not (report_dir / "summary.json").is_file():
        sys.exit(
            f"the run wrote no summary (exit {done.returncode}): {done.stdout[-800:]}{done.stderr[-800:]}"
        )
    return time.perf_counter() - started


def directory_size(path: Path) -> tuple[int, int]:
    files = [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def former_history_entry(summary: dict) -> bytes:
    """A history entry as written before compaction: each row an object without evidence, indented."""
    keys = ("vendor", "operation", "tag", "check", "family", "verdict", "reason", "expires", "statuses")
    rows = [{k: row[k] for k in keys if k in row} for row in summary["rows"]]
    return orjson.dumps({"run": summary["run"], "rows": rows, "trend": {}}, option=orjson.OPT_INDENT_2)


def chromium() -> str:
    for name in CHROMIUM:
        found = shutil.which(name)
        if found:
            return found
    sys.exit(f"no headless Chromium on PATH (looked for {', '.join(CHROMIUM)})")


def render(page: Path, repeat: int) -> tuple[float, float | None]:
    """Median wall seconds of Chromium dumping ``page``'s DOM, and median in-page ms to ready."""
    walls: list[float] = []
    ready: list[float] = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(prefix="bench-chromium-") as profile:
            started = time.perf_counter()
            done = subprocess.run(
                [chromium(), *FLAGS, f"--user-data-dir={profile}", "--dump-dom", page.resolve().as_uri()],
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            walls.append(time.perf_counter() - started)
        found = re.search(r'data-ready-ms="(\d+)"', done.stdout)
        if found:
            ready.append(float(found.group(1)))
    return statistics.median(walls), (statistics.median(ready) if ready else None)


def mb(size: int) -> str:
    return f"{size / 1_000_000:6.2f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reuse", type=Path, help="report directory of a finished run (skip the run)")
    parser.add_argument("--repeat", type=int, default=3, help="Chromium renders per page (median)")
    args = parser.parse_args()

    from mlops_conformance.report import load_summary, render_report

    with tempfile.TemporaryDirectory(prefix="bench-report-") as scratch:
        work = Path(scratch)
        if args.reuse:
            reports, run_s = args.reuse, None
        else:
            reports = work / "reports"
            run_s = full_run(reports)
        summary_raw = (reports / "summary.json").read_bytes()
        summary = orjson.loads(summary_raw)
        index = reports / "index.html"
        history = sorted((reports / "history").glob("*.json"))
        total, count = directory_size(reports)

        baseline = work / "baseline.html"
        started = time.perf_counter()
        baseline.write_text(render_report(load_summary(reports), reports, pack=False), encoding="utf-8")
        baseline_s = time.perf_counter() - started
        started = time.perf_counter()
        packed_html = render_report(load_summary(reports), reports)
        packed_s = time.perf_counter() - started
        blank = work / "blank.html"
        blank.write_text("<!DOCTYPE html><html><body></body></html>", encoding="utf-8")

        print(f"rows: {len(summary['rows'])}" + (f"   full run: {run_s:.1f} s" if run_s is not None else ""))
        print(f"reports/ directory      {mb(total)}  {count} files   (target <= 10 MB)")
        print(f"  summary.json          {mb(len(summary_raw))}")
        if history:
            entry = history[-1].stat().st_size
            former = len(former_history_entry(summary))
            print(
                f"  history entry         {mb(entry)}   former format {mb(former)}   ratio {entry / former:.2f}"
            )
        print(
            f"index.html              {mb(index.stat().st_size)}   former rendering {mb(baseline.stat().st_size)}"
            f"   ratio {index.stat().st_size / baseline.stat().st_size:.2f}   (target <= 1.5 MB)"
        )
        print(
            f"  render in Python      {packed_s:.2f} s   former {baseline_s:.2f} s   (page size {mb(len(packed_html.encode()))})"
        )
        blank_wall, _ = render(blank, args.repeat)
        wall, ready = render(index, args.repeat)
        base_wall, base_ready = render(baseline, args.repeat)
        shown = f"{ready / 1000:.2f} s" if ready is not None else "not ready"
        base_shown = f"{base_ready / 1000:.2f} s" if base_ready is not None else "not ready"
        print(
            f"chromium: ready in page {shown}   former {base_shown}   (target < 2 s)\n"
            f"          process wall  {wall:.2f} s   former {base_wall:.2f} s   empty page {blank_wall:.2f} s"
            f"   (median of {args.repeat})"
        )


if __name__ == "__main__":
    main()
