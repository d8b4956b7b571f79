"""Time the extraction of all five vendor documents (target: under 2 s on this machine).

The machine is noisy (2 shared cores), so besides wall-clock figures the script measures, in the
same run, a baseline that every extractor must pay anyway: reading the five pages and scanning every
line with one compiled regex. The ratio extraction/baseline is the figure to compare across runs.

Usage: python benchmarks/bench_extract.py [--repeat N]
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from pathlib import Path

from mlops_conformance.extract.pipeline import extract, render
from mlops_conformance.extract.sources import PAGES
from mlops_conformance.resources import contracts_dir

_TOKEN = re.compile(r"\S+")


def _baseline(root: Path) -> float:
    started = time.perf_counter()
    tokens = 0
    for page in PAGES:
        for line in (root / "sources" / page.path).read_text(encoding="utf-8").splitlines():
            tokens += len(_TOKEN.findall(line))
    assert tokens > 0
    return time.perf_counter() - started


def _extraction(root: Path) -> float:
    started = time.perf_counter()
    result = extract(root)
    for contract in result.contracts.values():
        render(contract)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    root = contracts_dir()
    _extraction(root)  # warm imports and caches once, as a CLI user pays them only once per process
    baseline = [_baseline(root) for _ in range(args.repeat)]
    extraction = [_extraction(root) for _ in range(args.repeat)]
    b, e = statistics.median(baseline), statistics.median(extraction)
    print(f"baseline (read + tokenise 5 pages): median {b * 1000:8.1f} ms over {args.repeat} runs")
    print(
        f"extraction (parse, merge, overlay, validate examples, render): median {e * 1000:8.1f} ms "
        f"(min {min(extraction) * 1000:.1f}, max {max(extraction) * 1000:.1f})"
    )
    print(f"ratio extraction/baseline: {e / b:6.1f}x")
    print(f"budget: {e / 2.0:6.2f} of the 2 s target ({'within' if e < 2.0 else 'OVER'} target)")


if __name__ == "__main__":
    main()
