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
    required parameter or field) is rejected with a 4xx, never a 5xx (``fail``).

    Accepting it is ``fail`` only where the contract says invalid input is refused: the operation
    documents a 400 or 422 and the broken rule is in the body or the path. The docs list the values
    a query parameter takes without saying others are refused, and servers legitimately ignore or
    normalise query values, so accepting those is ``warn``; so is breaking an ``x-inferred`` rule."""
    assert exchange.response is not None
    status = exchange.response.status
    mutation = exchange.meta.get("mutation", "invalid input")
    if 400 <= status < 500:
        return
    where = str(exchange.meta.get("schema_path") or "")
    refused_in_words = any(str(code) in ctx.operation.responses for code in (400, 422))
    in_query = "/parameters/" in where and _parameter_in(ctx, where) in ("query", "header")
    if status >= 500:
        verdict = FAIL
    elif exchange.meta.get("inferred") or in_query or not refused_in_words:
        verdict = WARN
    else:
        verdict = FAIL
    raise CheckFailed(
        f"Received: {status} / Expected: a 4xx for {mutation}",
        verdict=verdict,
        schema_path=where or ctx.pointer("parameters"),
        source=ctx.operation.source,
    )


def _parameter_in(ctx: CheckContext, pointer: str) -> str | None:
    try:
        index = int(pointer.rsplit("/parameters/", 1)[1].split("/", 1)[0])
        return ctx.operation.parameters[index].get("in")
    except (ValueError, IndexError, AttributeError):
        return None
