"""Negative inputs: invalid requests are answered with 4xx, never 5xx."""

from __future__ import annotations

from ._core import FAIL, WARN, CheckContext, CheckFailed, register
from ._exchange import Exchange
from ._responses import documented_codes


@register("errors.no_server_error", subject="negative")
def no_server_error(ctx: CheckContext, exchange: Exchange) -> None:
    """Property-based invalid input (schemathesis negative mode) never makes the server fail (5xx)."""
    assert exchange.response is not None
    status = exchange.response.status
    if status >= 500:
        raise CheckFailed(
            f"Received: {status} for invalid input / Expected: a 4xx ({documented_codes(ctx.operation)} documented)",
            schema_path=ctx.pointer("responses"),
            source=ctx.operation.source,
        )


@register("errors.invalid_input_rejected", subject="mutations")
def invalid_input_rejected(ctx: CheckContext, exchange: Exchange) -> None:
    """A request made invalid on purpose (an enum value the docs do not list, a wrong type, a missing
    required parameter or field) is rejected with a 4xx. Accepting it breaks the documented rule
    (``fail``), or an inferred one (``warn``) when the mutated rule was marked ``x-inferred``."""
    assert exchange.response is not None
    status = exchange.response.status
    mutation = exchange.meta.get("mutation", "invalid input")
    if 400 <= status < 500:
        return
    verdict = WARN if exchange.meta.get("inferred") and status < 500 else FAIL
    raise CheckFailed(
        f"Received: {status} / Expected: a 4xx for {mutation}",
        verdict=verdict,
        schema_path=exchange.meta.get("schema_path") or ctx.pointer("parameters"),
        source=ctx.operation.source,
    )
