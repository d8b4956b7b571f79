"""Answers to the run's own bookkeeping requests are evidence too.

To address, seed, walk and clean up, the runner sends requests no sample holds: listings that
discover ids, creations that seed a list, the probe, pagination pages, lifecycle steps, deletions.
A server whose discovery answer drops a required ``id``, or whose second answer is truncated JSON,
must not pass because those requests quietly gave up. Each such answer is judged like a sampled
one (no 5xx, a documented success code, the documented content type and body) and the row belongs
to the operation that answered. A 4xx proves nothing here: these requests were never claimed to
be valid (an invented id, a deleted item asked for again, an offset past the end).
"""

from __future__ import annotations

from ._core import CheckContext, CheckFailed, CheckSkipped, register, worst
from ._exchange import Exchange
from .schema import content_type, not_a_server_error, response_body, status_code_documented

_JUDGES = (not_a_server_error, status_code_documented, content_type, response_body)


@register("schema.side_responses", subject="side")
def side_responses(ctx: CheckContext, exchange: Exchange) -> None:
    """Answers to the run's discovery, seeding, probing, walking, lifecycle and cleanup requests keep
    the contract too: no 5xx, a documented success code, the documented content type and body."""
    assert exchange.response is not None
    if 400 <= exchange.response.status < 500:
        raise CheckSkipped("a 4xx to a bookkeeping request proves nothing")
    failures: list[CheckFailed] = []
    for judge in _JUDGES:
        try:
            judge(ctx, exchange)
        except CheckFailed as failed:
            failures.append(failed)
        except CheckSkipped:
            continue
    if failures:
        verdict = worst([f.verdict for f in failures])
        raise next(f for f in failures if f.verdict == verdict)


@register("schema.fields_seen", subject="fields")
def fields_seen(_ctx: CheckContext, _subject: object) -> None:
    """Every documented field of a success response shows up in at least one answer of the run; one
    that never does (and an undocumented field that looks like its rename) is ``drift``."""
    raise CheckSkipped("judged over the whole run (runner.field_coverage)")
