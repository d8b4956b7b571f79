"""One request per vendor before the suite: a target that cannot be tested at all says so in one line.

Without it an unreachable target runs the whole suite (half a minute, a thousand ``error`` rows)
to say what one request says in a second. Only what makes the whole run pointless stops it: the
connection cannot be made (refused, unknown host, TLS failure) or the credentials are refused
(401/403 to a plain documented GET). Anything else (a 404, a 500, garbage, a reset) is left to the
suite, which reports it row by row, and a target that dies mid-run keeps doing that too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import UsageError
from . import paths
from .client import TargetClient, credential_for

if TYPE_CHECKING:
    from ..contract import Contract, Operation
    from .options import RunOptions

PREFLIGHT_TIMEOUT_S = 10.0


def plain_read(contract: Contract) -> Operation | None:
    """The documented GET least likely to need anything: no path or required query parameters,
    one that asks for credentials first (so they are tested too), a version route first (every
    vendor's cheapest answer), else a short path. A public one still proves the target answers
    (MLflow's server asks for no credentials at all)."""
    candidates = [
        op
        for op in contract.operations()
        if op.method == "GET"
        and not paths.template_names(op.path)
        and not any(p.get("required") for p in op.query_parameters())
    ]
    candidates.sort(key=lambda op: (_public(op), "version" not in op.path.lower(), len(op.path), op.path))
    return candidates[0] if candidates else None


def _public(op: Operation) -> bool:
    return op.spec.get("security") == []


def preflight(
    options: RunOptions, base_url: str, tokens: dict[str, str], contracts: dict[str, Contract]
) -> None:
    """Raise a one-line ``UsageError`` when the target cannot be reached or refuses the credentials."""
    client = TargetClient(
        base_url,
        tokens=tokens,
        credentials={v: credential_for(v, c) for v, c in contracts.items()},
        timeout_s=min(options.request_timeout, PREFLIGHT_TIMEOUT_S),
        allow_writes=False,
        max_retries=1,
        max_wait_s=min(options.max_wait, 5.0),
        network=options.network,
    )
    try:
        for vendor, contract in contracts.items():
            op = plain_read(contract)
            if op is None:
                continue
            exchange = client.send(vendor, "GET", op.path, meta={"mode": "preflight"})
            shown = client.redactor.url(client.url(op.path))
            if exchange.error and exchange.error.startswith("connection failed"):
                raise UsageError(
                    f"--target {client.redactor.url(base_url)} cannot be reached: {exchange.error}"
                )
            if exchange.status in (401, 403) and not _public(op):
                variable = options.token_variable(vendor)
                raise UsageError(
                    f"--target refused the {vendor} credentials: GET {shown} answered {exchange.status} "
                    f"(token from ${variable})"
                )
    finally:
        client.close()
