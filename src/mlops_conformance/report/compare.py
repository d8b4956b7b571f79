"""Release comparison: what changed between two runs (release N against N+1, or last night's run).

Rows are matched by ``(vendor, operation, check)``. When a summary holds several rows with the same
key (a check reported once per example, say) they are folded into their most severe verdict, so a
key compares like for like. A *regression* is a row that was fine (pass, warn, drift) and is now
``fail`` or ``error``; a *fix* goes the other way, to ``pass``; every other verdict change is listed
as *changed*.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import ReportError
from .stats import Tally, worst
from .summary import VERDICTS, Row, Summary

GOOD_BEFORE = ("pass", "warn", "drift")
BAD = ("fail", "error")
FIXABLE = ("fail", "error", "xfail")

Key = tuple[str, str, str]


@dataclass(slots=True)
class RowChange:
    key: Key
    old: str | None
    new: str | None
    reason: str = ""

    @property
    def vendor(self) -> str:
        return self.key[0]

    @property
    def operation(self) -> str:
        return self.key[1]

    @property
    def check(self) -> str:
        return self.key[2]


@dataclass(slots=True)
class Comparison:
    old: Summary
    new: Summary
    regressions: list[RowChange] = field(default_factory=list)
    fixes: list[RowChange] = field(default_factory=list)
    changed: list[RowChange] = field(default_factory=list)
    added: list[RowChange] = field(default_factory=list)
    removed: list[RowChange] = field(default_factory=list)
    counts: dict[str, tuple[Tally, Tally]] = field(default_factory=dict)
    unchanged: int = 0

    @property
    def vendors(self) -> list[str]:
        return self.new.vendors

    @property
    def regressed(self) -> bool:
        return bool(self.regressions)


def _fold(rows: list[Row]) -> dict[Key, tuple[str, str]]:
    """Key -> (verdict, reason), the most severe verdict winning when a key repeats."""
    grouped: dict[Key, list[Row]] = {}
    for row in rows:
        grouped.setdefault(row.key, []).append(row)
    folded: dict[Key, tuple[str, str]] = {}
    for key, group in grouped.items():
        verdict = worst(r.verdict for r in group)
        reason = next((r.reason for r in group if r.verdict == verdict and r.reason), "")
        folded[key] = (verdict, reason)
    return folded


def compare(old: Summary, new: Summary) -> Comparison:
    """Compare two summaries of the same vendors; different vendors are a ``ReportError``."""
    if set(old.vendors) != set(new.vendors):
        raise ReportError(
            f"cannot compare runs of different vendors: {old.label} has {', '.join(old.vendors) or 'none'}, "
            f"{new.label} has {', '.join(new.vendors) or 'none'}"
        )
    before, after = _fold(old.rows), _fold(new.rows)
    result = Comparison(old=old, new=new)
    for key in sorted(before.keys() | after.keys()):
        if key not in after:
            result.removed.append(RowChange(key, before[key][0], None, before[key][1]))
            continue
        if key not in before:
            result.added.append(RowChange(key, None, after[key][0], after[key][1]))
            continue
        was, now = before[key][0], after[key][0]
        change = RowChange(key, was, now, after[key][1] or before[key][1])
        if was == now:
            result.unchanged += 1
        elif was in GOOD_BEFORE and now in BAD:
            result.regressions.append(change)
        elif was in FIXABLE and now == "pass":
            result.fixes.append(change)
        else:
            result.changed.append(change)
    for vendor in new.vendors:
        result.counts[vendor] = (
            Tally.of(r for r in old.rows if r.vendor == vendor),
            Tally.of(r for r in new.rows if r.vendor == vendor),
        )
    return result


def count_deltas(comparison: Comparison) -> list[tuple[str, str, int, int]]:
    """``(vendor, verdict, old, new)`` for every verdict whose count changed."""
    deltas = []
    for vendor, (old, new) in comparison.counts.items():
        for verdict in VERDICTS:
            if old.counts[verdict] != new.counts[verdict]:
                deltas.append((vendor, verdict, old.counts[verdict], new.counts[verdict]))
    return deltas
