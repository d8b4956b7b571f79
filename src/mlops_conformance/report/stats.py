"""Counting verdicts and turning counts into the conformance percentage, defined once.

Conformance is ``pass / tested`` where *tested* is every row that judged the target (pass, fail,
warn, drift, xfail, error). ``skip`` rows were never run and ``docs`` rows judge the documentation,
so neither is in the ratio: a skip can never count as a pass, and the coverage percentage shown
beside conformance says how much of the documented surface the run actually exercised.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from .summary import SEVERITY, TESTED, VERDICTS, Row

CONFORMANCE_RULE = (
    "conformance = pass ÷ rows tested against the target (pass, fail, warn, drift, xfail, error); "
    "skip and docs rows are not tested against the target and never count as a pass"
)


@dataclass(slots=True)
class Tally:
    """Verdict counts of a set of rows."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(VERDICTS, 0))

    @classmethod
    def of(cls, rows: Iterable[Row]) -> Tally:
        counter = Counter(row.verdict for row in rows)
        return cls({verdict: counter.get(verdict, 0) for verdict in VERDICTS})

    @classmethod
    def from_counts(cls, counts: dict[str, object]) -> Tally:
        clean: dict[str, int] = {}
        for verdict in VERDICTS:
            value = counts.get(verdict, 0)
            clean[verdict] = value if isinstance(value, int) and not isinstance(value, bool) else 0
        return cls(clean)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def tested(self) -> int:
        return sum(self.counts[v] for v in TESTED)

    @property
    def conformance(self) -> float | None:
        """Percent of tested rows that passed; ``None`` when nothing was tested."""
        tested = self.tested
        return 100.0 * self.counts["pass"] / tested if tested else None

    def nonzero(self) -> list[tuple[str, int]]:
        return [(v, n) for v, n in self.counts.items() if n]


def worst(verdicts: Iterable[str]) -> str:
    """The verdict that should colour a group of rows: the most severe one present."""
    present = set(verdicts)
    for verdict in SEVERITY:
        if verdict in present:
            return verdict
    return "skip"


def percent(value: float | None) -> str:
    """``97.3%``, or an em dash when there is nothing to divide by."""
    if value is None:
        return "—"
    if value >= 99.95 and value < 100.0:
        return ">99.9%"
    return f"{value:.1f}%"
