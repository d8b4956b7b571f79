"""Authentication: requests without credentials, or with wrong ones, are refused (401/403)."""

from __future__ import annotations

from ._core import FAIL, WARN, CheckContext, CheckFailed, register
from ._exchange import Exchange
from ._preconditions import for_modes

_REFUSED = (401, 403)


def _secured(contract: object, op: object) -> bool:
    """Every operation needs credentials unless the contract says ``security: []`` for it."""
    return getattr(op, "spec", {}).get("security") != []


def _refused(ctx: CheckContext, exchange: Exchange, what: str) -> None:
    """401/403 pass. Serving the request (2xx) or failing on it (5xx) is ``fail``: the contract's
    security requirement says credentials are needed. Another refusal (a 404 that hides what exists
    from an unknown caller, a redirect to a login page) keeps the rule in substance and is ``warn``."""
    assert exchange.response is not None
    status = exchange.response.status
    if status in _REFUSED:
        return
    verdict = FAIL if status < 300 or status >= 500 else WARN
    raise CheckFailed(
        f"Received: {status} {what} / Expected: 401 or 403",
        verdict=verdict,
        schema_path=ctx.pointer("security") if "security" in ctx.operation.spec else "#/security",
        source=ctx.operation.source,
    )


@register("auth.missing_token_rejected", subject="unauthenticated", applies=_secured)
@for_modes("no_token")
def missing_token_rejected(ctx: CheckContext, exchange: Exchange) -> None:
    """A request without any credentials is refused with 401 or 403."""
    _refused(ctx, exchange, "without credentials")


@register("auth.wrong_token_rejected", subject="unauthenticated", applies=_secured)
@for_modes("wrong_token")
def wrong_token_rejected(ctx: CheckContext, exchange: Exchange) -> None:
    """A request with a well-formed but wrong token is refused with 401 or 403."""
    _refused(ctx, exchange, "with a wrong token")
