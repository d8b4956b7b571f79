"""Benchmark: the full default conformance run against the embedded mock, next to a bare
``schemathesis run`` of the same contracts with the same number of examples per operation, both
timed in this one process run on this one machine (so the ratio means something; the absolute
figures depend on the machine).

    python benchmarks/bench_run.py [--max-examples N]

Ours:  ``mlops-conformance run`` (every family: schema, errors, examples, pagination, lifecycle,
       auth), as a user runs it; it starts its own embedded mock.
Bare:  ``schemathesis run contracts/<vendor>.openapi.json --url <mock> --max-examples N`` for each
       vendor, against a reference mock started here, with schemathesis' default phases and checks.

Prints both wall times, the ratio (target: ours <= 1.5 x bare), the checks we executed (rows per
family and verdict) and the test cases schemathesis generated.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "bench-token"
HEADERS = {"datarobot": f"Authorization: Bearer {TOKEN}", "domino": f"X-Domino-Api-Key: {TOKEN}"}


def executable(name: str) -> str:
    here = Path(sys.executable).parent / name
    return str(here) if here.exists() else name


def run_ours(max_examples: int, report_dir: Path) -> tuple[float, dict]:
    started = time.perf_counter()
    done = subprocess.run(
        [
            executable("mlops-conformance"),
            "run",
            "--max-examples",
            str(max_examples),
            "--report-dir",
            str(report_dir),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    elapsed = time.perf_counter() - started
    summary_path = report_dir / "summary.json"
    if not summary_path.is_file():
        sys.exit(f"our run wrote no summary (exit {done.returncode}): {done.stderr.strip()[-500:]}")
    return elapsed, json.loads(summary_path.read_text())


def run_bare(max_examples: int) -> tuple[float, int]:
    import logging

    sys.path.insert(0, str(ROOT / "src"))
    from mlops_conformance.mock import serve_in_background

    cases = 0
    started = time.perf_counter()
    with serve_in_background(["datarobot", "domino"], token=TOKEN) as mock:
        # schemathesis finds inputs the mock answers with 500s (reported separately); keep the
        # benchmark's output to the figures (uvicorn sets its loggers up when it starts).
        for name in ("mlops_conformance.mock", "uvicorn.error", "uvicorn.access"):
            logging.getLogger(name).setLevel(logging.CRITICAL)
        for vendor, header in HEADERS.items():
            done = subprocess.run(
                [
                    executable("schemathesis"),
                    "run",
                    str(ROOT / "contracts" / f"{vendor}.openapi.json"),
                    "--url",
                    mock.url,
                    "-H",
                    header,
                    "--max-examples",
                    str(max_examples),
                    "--no-color",
                ],
                capture_output=True,
                text=True,
                check=False,
                cwd=tempfile.gettempdir(),
                env={**os.environ, "NO_COLOR": "1"},
            )
            found = re.search(r"(\d+) generated", done.stdout)
            cases += int(found.group(1)) if found else 0
    return time.perf_counter() - started, cases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--max-examples", type=int, default=None, help="examples per operation (default: the run's default)"
    )
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from mlops_conformance.runner.options import DEFAULT_MAX_EXAMPLES

    examples = args.max_examples or DEFAULT_MAX_EXAMPLES
    with tempfile.TemporaryDirectory() as scratch:
        ours, summary = run_ours(examples, Path(scratch) / "reports")
    bare, cases = run_bare(examples)
    rows = summary["rows"]
    executed = [r for r in rows if r["verdict"] not in ("skip",)]
    print(f"examples per operation: {examples}")
    print(
        f"ours  (mlops-conformance run, embedded mock): {ours:7.1f} s  {len(rows)} rows, {len(executed)} checks executed"
    )
    print(f"bare  (schemathesis run, same contracts):     {bare:7.1f} s  {cases} test cases generated")
    print(f"ratio ours / bare: {ours / bare:.2f}  (target <= 1.50)")
    by_family = Counter(r["family"] for r in executed)
    print(
        "checks executed per family: "
        + ", ".join(f"{family} {count}" for family, count in sorted(by_family.items()))
    )
    print("verdicts: " + ", ".join(f"{v} {n}" for v, n in summary["run"]["counts"].items() if n))


if __name__ == "__main__":
    main()
