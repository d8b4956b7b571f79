"""Coverage: which documented status codes of which operations a run actually exercised.

Conformance alone flatters a run that skipped most of the API; coverage is its counterweight. For
every operation of the contract and each documented status code (``200``, ``4XX``, ``default``), a
code is *exercised* when some row of the run saw the target answer it. A code that was not
exercised carries the most likely reason, read from the skip and error reasons of that operation's
rows. Status codes the target answered that the contract does not list are collected too.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from ..contract import Contract
from .summary import Row

_REASON_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"read[- ]?only|allow[-_]writes|is a write", re.IGNORECASE), "read-only mode"),
    (re.compile(r"\bno\b[\w ]*\bexamples?\b|without (an? )?example", re.IGNORECASE), "no example"),
    (
        re.compile(
            r"not reachable|unreachable|can(no|')t reach|not reached|no (existing )?parent|no resource to"
            r"|could not be (walked|generated)|no request could be generated",
            re.IGNORECASE,
        ),
        "not reachable",
    ),
)


def classify_reason(reason: str) -> str:
    """Fold a free-text skip reason onto the few causes the coverage table names."""
    for pattern, label in _REASON_PATTERNS:
        if pattern.search(reason):
            return label
    return reason.strip() or "skipped"


def status_matches(documented: str, status: int) -> bool:
    """Whether an answered status falls under a documented response key (``200``, ``4XX``)."""
    key = documented.strip().upper()
    if key.isdigit():
        return int(key) == status
    if len(key) == 3 and key[0].isdigit() and key[1:] == "XX":
        return status // 100 == int(key[0])
    return False


def _documented_for(keys: list[str], status: int) -> str | None:
    """The documented key an answered status counts for; exact codes beat ranges beat ``default``."""
    exact = [k for k in keys if k.isdigit() and int(k) == status]
    if exact:
        return exact[0]
    ranged = [k for k in keys if status_matches(k, status)]
    if ranged:
        return ranged[0]
    return "default" if "default" in keys else None


@dataclass(slots=True)
class StatusCoverage:
    status: str
    exercised: bool
    reason: str | None = None


@dataclass(slots=True)
class OperationCoverage:
    vendor: str
    operation: str
    tag: str
    documented: list[StatusCoverage] = field(default_factory=list)
    undocumented: list[int] = field(default_factory=list)
    ran: bool = False
    in_contract: bool = True

    @property
    def exercised(self) -> int:
        return sum(1 for s in self.documented if s.exercised)

    @property
    def total(self) -> int:
        return len(self.documented)


@dataclass(slots=True)
class CoverageTotals:
    exercised: int = 0
    documented: int = 0

    @property
    def percent(self) -> float | None:
        return 100.0 * self.exercised / self.documented if self.documented else None

    def add(self, op: OperationCoverage) -> None:
        self.exercised += op.exercised
        self.documented += op.total


def _unexercised_reason(rows: list[Row]) -> str:
    if not rows:
        return "not run"
    skipped = sorted({classify_reason(r.reason) for r in rows if r.verdict == "skip"})
    errors = sorted({r.reason or "target error" for r in rows if r.verdict == "error"})
    ran = [r for r in rows if r.verdict not in ("skip", "error")]
    parts: list[str] = []
    if skipped:
        parts.append("; ".join(skipped))
    if errors and not ran:
        parts.append("error: " + "; ".join(errors[:2]))
    if not parts:
        parts.append("not observed by the checks that ran")
    return "; ".join(parts)


def compute_coverage(rows: list[Row], contracts: dict[str, Contract]) -> list[OperationCoverage]:
    """Coverage of every contract operation of the given vendors, plus operations only the rows know."""
    by_op: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for row in rows:
        by_op[(row.vendor, row.operation)].append(row)

    result: list[OperationCoverage] = []
    seen: set[tuple[str, str]] = set()
    for vendor, contract in sorted(contracts.items()):
        for op in contract.operations():
            key = (vendor, op.id)
            seen.add(key)
            op_rows = by_op.get(key, [])
            tag = next((r.tag for r in op_rows if r.tag), None) or op.tag
            result.append(_operation_coverage(vendor, op.id, tag, op.documented_statuses(), op_rows))
    for (vendor, operation), op_rows in sorted(by_op.items()):
        if (vendor, operation) in seen or vendor not in contracts:
            continue
        tag = next((r.tag for r in op_rows if r.tag), None) or "untagged"
        entry = _operation_coverage(vendor, operation, tag, [], op_rows)
        entry.in_contract = False
        result.append(entry)
    return result


def _operation_coverage(
    vendor: str, operation: str, tag: str, documented: list[str], rows: list[Row]
) -> OperationCoverage:
    keys = [str(k) for k in documented]
    answered: set[int] = {s for r in rows for s in r.statuses}
    hit: set[str] = set()
    undocumented: set[int] = set()
    for status in answered:
        key = _documented_for(keys, status)
        if key is None:
            undocumented.add(status)
        else:
            hit.add(key)
    # A drift row on the status check says "undocumented" even if a later contract lists it.
    for row in rows:
        if row.verdict == "drift" and "status" in row.check.lower():
            undocumented.update(row.statuses)
    reason = _unexercised_reason(rows)
    coverage = OperationCoverage(vendor=vendor, operation=operation, tag=tag, ran=bool(rows))
    for key in keys:
        exercised = key in hit
        coverage.documented.append(StatusCoverage(key, exercised, None if exercised else reason))
    coverage.undocumented = sorted(undocumented)
    return coverage


def coverage_totals(
    coverages: list[OperationCoverage], vendor: str | None = None, tag: str | None = None
) -> CoverageTotals:
    totals = CoverageTotals()
    for op in coverages:
        if (vendor is None or op.vendor == vendor) and (tag is None or op.tag == tag):
            totals.add(op)
    return totals
