"""What the run learns from every answer, beyond the rows of its samples.

The session registers ``Observations.observe`` with the client, so it sees every exchange of the
run. Two things are kept, both small (no bodies are stored):

* the side-response verdicts (``checks.side``): answers to discovery, seeding, probing, walking,
  lifecycle and cleanup requests, judged and attributed to the operation that answered;
* the fields seen (``field_coverage``), for documented fields that no response ever carried.

Under pytest-xdist each worker observes its share; ``export`` gives plain data that travels to the
controller, where ``merge`` adds the shares up and ``rows`` turns them into summary rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ..checks import PASS, REGISTRY, SKIP, CheckContext, CheckFailed, CheckSkipped, Exchange, worst
from . import field_coverage, summary
from .judge import Outcome, evidence

if TYPE_CHECKING:
    from ..contract import Contract, Operation
    from .client import Redactor

SIDE_MODES = ("probe", "discovery", "create", "pagination", "lifecycle", "cleanup")
SIDE_CHECK = "schema.side_responses"
FIELDS_CHECK = "schema.fields_seen"


class OperationMatcher:
    """Which documented operation a request went to, by method and path template (most literal first)."""

    def __init__(self, contract: Contract, base_path: str) -> None:
        self.base_path = base_path.rstrip("/")
        ranked = sorted(contract.operations(), key=lambda op: (op.path.count("{"), -len(op.path)))
        self._patterns = [(op, _pattern(op.path)) for op in ranked]

    def match(self, method: str, url: str) -> Operation | None:
        path = urlsplit(url).path
        if self.base_path and path.startswith(self.base_path):
            path = path[len(self.base_path) :] or "/"
        for op, pattern in self._patterns:
            if op.method == method and pattern.fullmatch(path):
                return op
        return None


def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", template)
    return re.compile("".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts))


@dataclass(slots=True)
class _Tally:
    """The side-response outcomes of one operation: counts, and the first outcome of each verdict."""

    counts: dict[str, int] = field(default_factory=dict)
    first: dict[str, dict[str, Any]] = field(default_factory=dict)  # verdict -> finished row


class Observations:
    def __init__(self, contracts: dict[str, Contract], base_url: str, redactor: Redactor) -> None:
        self.contracts = contracts
        self.redactor = redactor
        base_path = urlsplit(base_url).path
        self._matchers = {v: OperationMatcher(c, base_path) for v, c in contracts.items()}
        self._side: dict[tuple[str, str], _Tally] = {}
        self.fields = field_coverage.FieldCoverage(contracts)

    def observe(self, vendor: str, exchange: Exchange) -> None:
        matcher = self._matchers.get(vendor)
        op = matcher.match(exchange.request.method, exchange.request.url) if matcher else None
        if op is None:
            return
        if exchange.meta.get("mode") in SIDE_MODES:
            self._judge_side(vendor, op, exchange)
        if exchange.error is None and exchange.response is not None:
            self.fields.observe(vendor, op, exchange)

    def _judge_side(self, vendor: str, op: Operation, exchange: Exchange) -> None:
        from .session import Case  # the session owns the observations: import at use

        case = Case(vendor, op, REGISTRY.get(SIDE_CHECK))
        outcome = _outcome(case, self.contracts[vendor], exchange)
        if outcome is None:
            return
        tally = self._side.setdefault((vendor, op.id), _Tally())
        tally.counts[outcome.verdict] = tally.counts.get(outcome.verdict, 0) + 1
        if outcome.verdict not in tally.first:
            found = evidence(outcome, case, self.redactor)
            tally.first[outcome.verdict] = summary.row(
                case,
                outcome.verdict,
                reason=self.redactor.text(outcome.reason) if outcome.reason else None,
                evidence=found,
                statuses=[exchange.status] if exchange.status is not None else None,
            )

    def export(self) -> dict[str, Any]:
        """Plain data (for pytest-xdist to carry to the controller)."""
        return {
            "side": [
                {"vendor": v, "operation": o, "counts": t.counts, "first": t.first}
                for (v, o), t in self._side.items()
            ],
            "fields": self.fields.export(),
        }


def _outcome(case: Any, contract: Contract, exchange: Exchange) -> Outcome | None:
    if exchange.error:
        if exchange.meta.get("mode") == "probe":  # schema.operation_served reports it, once
            return None
        return Outcome("error", exchange.error, exchange=exchange)
    ctx = CheckContext(contract, case.operation)
    try:
        case.check(ctx, exchange)
    except CheckSkipped:
        return None
    except CheckFailed as failed:
        mode = exchange.meta.get("mode", "side")
        return Outcome(
            failed.verdict,
            f"[{mode} request] {failed.message}",
            exchange=exchange,
            schema_path=failed.schema_path,
            source=failed.source,
            details=failed.details,
        )
    return Outcome(PASS, exchange=exchange)


def merge(shares: list[dict[str, Any]]) -> dict[str, Any]:
    """The shares of several workers (or one), added up."""
    side: dict[tuple[str, str], _Tally] = {}
    for share in shares:
        for entry in share.get("side", []):
            tally = side.setdefault((entry["vendor"], entry["operation"]), _Tally())
            for verdict, count in entry["counts"].items():
                tally.counts[verdict] = tally.counts.get(verdict, 0) + count
            for verdict, row in entry["first"].items():
                tally.first.setdefault(verdict, row)
    return {
        "side": side,
        "fields": field_coverage.merge([share.get("fields", {}) for share in shares]),
    }


def rows(merged: dict[str, Any], contracts: dict[str, Contract]) -> list[dict[str, Any]]:
    """One side-response row per operation that answered bookkeeping requests, and one fields row
    per operation with a documented success body that the run received."""
    found: list[dict[str, Any]] = []
    for (_vendor, _operation), tally in sorted(merged["side"].items()):
        judged = {v: n for v, n in tally.counts.items() if v != SKIP}
        if not judged:
            continue
        verdict = worst(list(judged))
        row = dict(tally.first[verdict])
        total = sum(judged.values())
        row["evidence"] = {**row.get("evidence", {}), "requests_judged": total}
        if verdict != PASS and total > 1:
            message = row["evidence"].get("message", "")
            row["evidence"]["message"] = f"{message} [{judged[verdict]} of {total} requests]"
        found.append(row)
    found += field_coverage.rows(merged["fields"], contracts, REGISTRY.get(FIELDS_CHECK))
    return found
