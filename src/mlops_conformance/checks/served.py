"""Documented but not served: an operation the target does not route at all.

A missing route otherwise surfaces as noise in every other family ("404 with a wrong token",
status drift on every sample), never as what it is. So one probe per operation decides it, and
only where the answer is certain:

* 405 (method not allowed) or 501 (not implemented) for a documented method: certain, always;
* 404 where nothing in the request was invented: no path parameters, or only ids the run itself
  has just listed (the runner re-lists and asks again once before it believes it), and no required
  query value made up. A 404 for an invented id is the right answer and proves nothing.

Certain and not served is one ``fail`` row of ``schema.operation_served`` (``warn`` when the docs
themselves list 404 for the operation, since then the 404 may be the documented answer); every
other check of the operation is skipped with that reason, so no auth or schema row is blamed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ._core import ERROR, FAIL, WARN, CheckContext, CheckFailed, CheckSkipped, register
from ._exchange import Exchange
from ._responses import status_key

_ALWAYS_CERTAIN = (405, 501)


@dataclass(slots=True)
class Probe:
    """The request(s) that decide whether the target serves an operation.

    ``invented`` names what was made up in the request (an id no list gave, a required query
    value), which makes a 404 uncertain; ``skipped`` says why no probe could be sent.
    """

    exchanges: list[Exchange] = field(default_factory=list)
    invented: str | None = None
    skipped: str | None = None

    @property
    def last(self) -> Exchange | None:
        return self.exchanges[-1] if self.exchanges else None


def not_served(op: object, probe: Probe) -> tuple[str, str] | None:
    """``(verdict, reason)`` when the probe proves the operation is not served, else None."""
    exchange = probe.last
    if exchange is None or exchange.error or exchange.response is None:
        return None
    status = exchange.response.status
    if status in _ALWAYS_CERTAIN:
        return FAIL, f"the target answers {status} for a documented {exchange.request.method}"
    if status != 404 or probe.invented:
        return None
    retried = " (twice, after listing the ids again)" if len(probe.exchanges) > 1 else ""
    reason = f"the target answers 404 for a documented route{retried}, with nothing in the request invented"
    documented_404 = status_key(op, 404) is not None  # type: ignore[arg-type]
    return (WARN if documented_404 else FAIL), reason


@register("schema.operation_served", subject="probe")
def operation_served(ctx: CheckContext, probe: Probe) -> None:
    """The target serves every documented operation: it does not answer 405/501, nor 404 to a request
    in which nothing was invented. Otherwise this is the operation's one failing row, and its other
    checks are skipped with the reason."""
    if probe.skipped:
        raise CheckSkipped(probe.skipped)
    exchange = probe.last
    if exchange is None:
        raise CheckSkipped("no probe request was made")
    if exchange.error:
        raise CheckFailed(exchange.error, verdict=ERROR, exchange=exchange)
    found = not_served(ctx.operation, probe)
    if found is not None:
        verdict, reason = found
        raise CheckFailed(
            f"Received: {exchange.response.status} / Documented: {ctx.operation.id} "  # type: ignore[union-attr]
            f"exists; {reason}",
            verdict=verdict,
            exchange=exchange,
            schema_path=ctx.pointer(),
            source=ctx.operation.source,
        )
    status = exchange.response.status  # type: ignore[union-attr]
    if status == 404 and probe.invented:
        raise CheckSkipped(f"404, but {probe.invented}: a 404 is then the right answer, and proves nothing")
