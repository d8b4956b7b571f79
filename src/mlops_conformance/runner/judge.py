"""From a check and its subject to one outcome: a verdict and the evidence that backs it.

A per-exchange check is run on every exchange of its sample; the row keeps the most severe verdict
(fail > error > warn > docs > drift > pass) and the first exchange that showed it. A transport
failure is an ``error`` for that exchange, never a crash of the run. Evidence is built here, from
already-redacted requests, and scrubbed once more of every secret the run knows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..checks import (
    ERROR,
    PASS,
    SKIP,
    CheckContext,
    CheckFailed,
    CheckSkipped,
    Exchange,
    LifecycleRun,
    Probe,
    Walk,
    worst,
)

if TYPE_CHECKING:
    from ..contract import Contract
    from .client import Redactor
    from .session import Case

EXCERPT_FAILED = 2000
EXCERPT_PASSED = 300


@dataclass(slots=True)
class Outcome:
    verdict: str
    message: str = ""
    exchange: Exchange | None = None
    schema_path: str | None = None
    source: dict[str, Any] | None = None
    details: list[str] = field(default_factory=list)
    judged: int = 0  # exchanges judged (per-exchange checks)
    affected: int = 0  # of which showed this verdict
    statuses: list[int] = field(default_factory=list)  # every status the target answered for it

    @property
    def reason(self) -> str | None:
        return self.message if self.verdict in (SKIP, ERROR) else None


def _from_failure(failure: CheckFailed, exchange: Exchange | None) -> Outcome:
    return Outcome(
        failure.verdict,
        failure.message,
        exchange=failure.exchange or exchange,
        schema_path=failure.schema_path,
        source=failure.source,
        details=failure.details,
    )


def judge(case: Case, contract: Contract, subject: Any) -> Outcome:
    ctx = CheckContext(contract, case.operation)
    if isinstance(subject, list):
        outcome = _judge_each(case, ctx, subject)
    else:
        try:
            case.check(ctx, subject)
            outcome = Outcome(PASS, exchange=_representative(subject))
        except CheckSkipped as skipped:
            outcome = Outcome(SKIP, skipped.reason)
        except CheckFailed as failure:
            outcome = _from_failure(failure, None)
    if outcome.verdict != SKIP:
        outcome.statuses = sorted(
            {e.status for e in _exchanges(subject) if e.status is not None and _own(e, case)}
        )
    return outcome


def _exchanges(subject: Any) -> list[Exchange]:
    """Every exchange behind a subject, for the statuses it saw."""
    if isinstance(subject, list):
        return subject
    if isinstance(subject, Walk):
        return [p.exchange for p in subject.pages] + ([subject.beyond.exchange] if subject.beyond else [])
    if isinstance(subject, LifecycleRun):
        return [s.exchange for s in subject.steps.values() if s.exchange is not None]
    if isinstance(subject, Probe):
        return subject.exchanges
    return []


def _own(exchange: Exchange, case: Case) -> bool:
    """Whether the exchange went to the case's own operation (a lifecycle touches several)."""
    return exchange.request.method == case.operation.method


def _judge_each(case: Case, ctx: CheckContext, exchanges: list[Exchange]) -> Outcome:
    outcomes: list[Outcome] = []
    skipped: list[str] = []
    for exchange in exchanges:
        if exchange.error:
            outcomes.append(Outcome(ERROR, exchange.error, exchange=exchange))
            continue
        try:
            case.check(ctx, exchange)
        except CheckSkipped as skip:
            skipped.append(skip.reason)
            continue
        except CheckFailed as failure:
            outcomes.append(_from_failure(failure, exchange))
            continue
        outcomes.append(Outcome(PASS, exchange=exchange))
    if not outcomes:
        return Outcome(SKIP, skipped[0] if skipped else "nothing to judge")
    verdict = worst([o.verdict for o in outcomes])
    chosen = next(o for o in outcomes if o.verdict == verdict)
    chosen.judged = len(outcomes)
    chosen.affected = sum(1 for o in outcomes if o.verdict == verdict)
    if verdict != PASS and chosen.judged > 1:
        chosen.message = f"{chosen.message} [{chosen.affected} of {chosen.judged} requests]"
    return chosen


def _representative(subject: Any) -> Exchange | None:
    if isinstance(subject, Walk) and subject.pages:
        return subject.pages[0].exchange
    if isinstance(subject, LifecycleRun):
        step = subject.steps.get("create")
        return step.exchange if step else None
    if isinstance(subject, Probe):
        return subject.last
    return None


def evidence(outcome: Outcome, case: Case, redactor: Redactor) -> dict[str, Any]:
    """The row's evidence: request (credentials redacted), response excerpt, schema path, source."""
    found: dict[str, Any] = {}
    exchange = outcome.exchange
    excerpt = EXCERPT_PASSED if outcome.verdict == PASS else EXCERPT_FAILED
    if exchange is not None:
        request = exchange.request
        found["request"] = {
            "method": request.method,
            "url": redactor.url(request.url),
            "headers": redactor.headers(request.headers, {"authorization", "x-domino-api-key", "cookie"}),
            "body": _text(request.body, excerpt, redactor),
        }
        if exchange.response is not None:
            response = exchange.response
            found["response"] = {
                "status": response.status,
                "headers": {k: redactor.text(v) for k, v in response.headers.items()},
                "body_excerpt": _text(response.content, excerpt, redactor),
            }
        if exchange.error:
            found["error"] = redactor.text(exchange.error)
        if exchange.meta.get("mutation"):
            found["mutation"] = exchange.meta["mutation"]
        if exchange.meta.get("retries"):  # already redacted by the client
            found["retries"] = [dict(r) for r in exchange.meta["retries"]]
    if outcome.schema_path:
        found["schema_path"] = outcome.schema_path
    if outcome.message:
        found["message"] = redactor.text(outcome.message)
    if outcome.details:
        found["details"] = [redactor.text(d) for d in outcome.details[:10]]
    source = outcome.source or case.operation.source
    if source:
        found["source"] = dict(source)
    if outcome.judged:
        found["requests_judged"] = outcome.judged
    return found


def _text(content: bytes | None, limit: int, redactor: Redactor) -> str | None:
    if not content:
        return None
    text = content[: limit * 4].decode("utf-8", "replace")
    text = redactor.text(text)
    return text if len(text) <= limit else text[:limit] + "..."
