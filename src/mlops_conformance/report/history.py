"""Run history: one compact summary per run under ``DIR/history/``, feeding the trend chart.

Each entry keeps the run metadata, a ``trend`` block with the per-vendor counts and coverage
computed when the run was recorded (the contract may change later; the trend should show what the
run saw), and per row only what ``compare`` needs: vendor, operation, tag, check, family, verdict
and reason, as a table of indices into a list of distinct strings (``compact``; see
``summary.COMPACT_COLUMNS``). ``load_summary`` reads such an entry like any summary, so
``mlops-conformance compare reports/history/<old>.json reports/summary.json`` works on it. Entries
written by earlier versions (full ``rows`` without evidence) stay readable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from ..contract import Contract
from ..errors import ConformanceError, ReportError
from .coverage import OperationCoverage, compute_coverage, coverage_totals
from .fileio import write_atomically
from .stats import Tally
from .summary import COMPACT_COLUMNS, COMPACT_FORMAT, Summary, load_summary, parse_summary

HISTORY_DIR = "history"
DEFAULT_KEEP = 50


@dataclass(slots=True)
class TrendPoint:
    """One run of one vendor, as the trend chart plots it."""

    started: str
    vendor: str
    counts: dict[str, int]
    coverage_exercised: int | None = None
    coverage_documented: int | None = None

    @property
    def conformance(self) -> float | None:
        return Tally.from_counts(dict(self.counts)).conformance

    @property
    def coverage(self) -> float | None:
        if not self.coverage_documented or self.coverage_exercised is None:
            return None
        return 100.0 * self.coverage_exercised / self.coverage_documented


def _file_stamp(started: str) -> str:
    """``2026-12-01T23:50:00Z`` -> ``20261201T235000Z``: sortable, and legal on every file system."""
    try:
        moment = datetime.fromisoformat(started)
    except ValueError:
        moment = datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone(UTC)
    stamp = moment.strftime("%Y%m%dT%H%M%S")
    if moment.microsecond:
        stamp += f".{moment.microsecond:06d}"
    return stamp + "Z"


def trend_block(summary: Summary, coverages: list[OperationCoverage] | None) -> dict[str, Any]:
    """Per-vendor counts and coverage of a run: what a history entry keeps for the chart."""
    block: dict[str, Any] = {}
    for vendor in summary.vendors:
        entry: dict[str, Any] = {"counts": Tally.of(r for r in summary.rows if r.vendor == vendor).counts}
        if coverages is not None and any(c.vendor == vendor for c in coverages):
            totals = coverage_totals(coverages, vendor=vendor)
            entry["coverage"] = {"exercised": totals.exercised, "documented": totals.documented}
        block[vendor] = entry
    return block


def contracts_for(vendors: list[str]) -> tuple[dict[str, Contract], list[str]]:
    """The current contracts of the given vendors, and a note for each that could not be loaded."""
    contracts: dict[str, Contract] = {}
    notes: list[str] = []
    for vendor in vendors:
        try:
            contracts[vendor] = Contract.load(vendor)
        except ConformanceError as exc:
            notes.append(f"{vendor}: contract unavailable, coverage not computed ({exc.one_line()})")
    return contracts, notes


def compact_rows(rows: list[Any]) -> dict[str, Any]:
    """Rows as ``{"format", "columns", "strings", "rows": [[index, ...], ...]}``: each distinct string once.

    ``strings[0]`` is the empty string (no tag, no reason). About 25 bytes a row instead of the
    summary's kilobytes of evidence.
    """
    strings: dict[str, int] = {"": 0}
    table = []
    for row in rows:
        values = (row.vendor, row.operation, row.tag or "", row.check, row.family, row.verdict, row.reason)
        table.append([strings.setdefault(value, len(strings)) for value in values])
    return {
        "format": COMPACT_FORMAT,
        "columns": list(COMPACT_COLUMNS),
        "strings": list(strings),
        "rows": table,
    }


def append_history(
    report_dir: Path,
    summary: dict[str, Any],
    keep: int = DEFAULT_KEEP,
    contracts: dict[str, Contract] | None = None,
) -> Path:
    """Record a run in ``report_dir/history/<started>.json``, keeping only the newest ``keep`` runs.

    Re-recording the same run (same ``started``) replaces its entry instead of duplicating it.
    ``contracts`` (the ones the run used) saves loading them again; by default the installed ones.
    """
    parsed = parse_summary(summary)
    if contracts is None:
        contracts, _ = contracts_for(parsed.vendors)
    coverages = compute_coverage(parsed.rows, contracts) if contracts else None
    entry = {
        "run": parsed.run,
        "trend": trend_block(parsed, coverages),
        "compact": compact_rows(parsed.rows),
    }
    history = Path(report_dir) / HISTORY_DIR
    target = history / f"{_file_stamp(parsed.started)}.json"
    try:
        write_atomically(target, orjson.dumps(entry, option=orjson.OPT_NON_STR_KEYS) + b"\n")
        entries = sorted(p for p in history.glob("*.json") if _STAMP.fullmatch(p.stem))
        for old in entries[: max(0, len(entries) - max(1, keep))]:
            old.unlink(missing_ok=True)
    except OSError as exc:
        raise ReportError(f"{history}: cannot write history: {exc.strerror or exc}") from None
    return target


_STAMP = re.compile(r"\d{8}T\d{6}(\.\d{6})?Z")


def _points_of(started: str, trend: Any) -> list[TrendPoint]:
    points: list[TrendPoint] = []
    if not isinstance(trend, dict):
        return points
    for vendor, entry in sorted(trend.items()):
        if not isinstance(entry, dict) or not isinstance(entry.get("counts"), dict):
            continue
        coverage: dict[str, Any] = entry["coverage"] if isinstance(entry.get("coverage"), dict) else {}
        exercised, documented = coverage.get("exercised"), coverage.get("documented")
        points.append(
            TrendPoint(
                started=started,
                vendor=str(vendor),
                counts=Tally.from_counts(entry["counts"]).counts,
                coverage_exercised=exercised if isinstance(exercised, int) else None,
                coverage_documented=documented if isinstance(documented, int) else None,
            )
        )
    return points


def _read_trend(file: Path) -> tuple[str, dict[str, Any]]:
    """A history entry's start time and trend block; only entries without one are parsed in full.

    Reading just the precomputed block keeps fifty recorded runs of a few thousand rows each cheap.
    """
    try:
        document = orjson.loads(file.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        load_summary(file)  # raises the precise one-line ReportError
        raise ReportError(f"{file}: unreadable") from None
    run = document.get("run") if isinstance(document, dict) else None
    trend = document.get("trend") if isinstance(document, dict) else None
    if isinstance(run, dict) and isinstance(trend, dict):
        started = run.get("started")
        return (started if isinstance(started, str) and started else file.stem), trend
    entry = parse_summary(document, file)
    return entry.started or file.stem, trend_block(entry, None)


def load_trend(
    report_dir: Path, current: Summary, current_trend: dict[str, Any]
) -> tuple[list[TrendPoint], list[str]]:
    """Trend points of every readable history entry, with the current run last if not yet recorded.

    A corrupt history entry is skipped with a note: one bad file must not hide tonight's report.
    """
    history = Path(report_dir) / HISTORY_DIR
    points: list[TrendPoint] = []
    notes: list[str] = []
    seen: set[str] = set()
    for file in sorted(history.glob("*.json")) if history.is_dir() else []:
        try:
            started, trend = _read_trend(file)
        except ReportError as exc:
            notes.append(f"history entry ignored: {exc.one_line()}")
            continue
        points.extend(_points_of(started, trend))
        seen.add(started)
    if current.started not in seen or not current.started:
        points.extend(_points_of(current.started or "current run", current_trend))
    points.sort(key=lambda p: _file_stamp(p.started))
    return points, notes
