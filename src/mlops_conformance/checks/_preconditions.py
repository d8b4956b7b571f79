"""Cross-cutting preconditions as decorators, so each check body stays a few lines long."""

from __future__ import annotations

import functools
from collections.abc import Callable

from ._core import CheckContext, CheckSkipped
from ._exchange import Exchange
from ._responses import DocumentedResponse, documented_response

ExchangeCheck = Callable[[CheckContext, Exchange], None]
DocumentedCheck = Callable[[CheckContext, Exchange, DocumentedResponse], None]


def with_documented_response(func: DocumentedCheck) -> ExchangeCheck:
    """Run the check only when the received status is documented; pass it the documented response.

    An undocumented status is the business of ``schema.status_code_documented`` alone, so the other
    checks stay silent about it instead of reporting the same thing several times.
    """

    @functools.wraps(func)
    def wrapper(ctx: CheckContext, exchange: Exchange) -> None:
        assert exchange.response is not None
        documented = documented_response(ctx.contract, ctx.operation, exchange.response.status, ctx.pointer())
        if documented is None:
            invented = exchange.meta.get("invented") if exchange.response.status == 404 else None
            because = f" ({invented})" if invented else ""
            raise CheckSkipped(f"status {exchange.response.status} is not documented{because}")
        func(ctx, exchange, documented)

    return wrapper


def for_modes(*modes: str) -> Callable[[ExchangeCheck], ExchangeCheck]:
    """Run the check only on exchanges made in one of ``modes`` (``exchange.meta['mode']``)."""

    def decorate(func: ExchangeCheck) -> ExchangeCheck:
        @functools.wraps(func)
        def wrapper(ctx: CheckContext, exchange: Exchange) -> None:
            if exchange.meta.get("mode") not in modes:
                raise CheckSkipped(f"not a {' or '.join(modes)} request")
            func(ctx, exchange)

        return wrapper

    return decorate
