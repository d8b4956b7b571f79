"""Pagination invariants over a walk of a paginated list (``x-pagination``, offset or cursor style).

The runner walks the list page by page (``runner.walk``); these checks only judge the record:
page sizes, duplicates and gaps against a one-request reference listing, ``totalCount`` (stable and
equal to what was walked), ``count`` (the items of this page), ``next``/``previous`` links against
offset/limit, and an offset past the end.

What each rests on (docs/DESIGN.md has the table): the definition of offset paging that
``x-pagination`` records (page size, duplicates, gaps, total, the offset a link points at) is
``fail``; what only a field's description says (``count`` is the number of items on this page, a
link is null at the ends, a link keeps the limit) is ``warn``; an inferred ``x-pagination`` makes
everything ``warn``.

A shared staging changes under a walk: other users create and delete items between two pages.
The runner notices (the total moved, a fresh listing differs from the one it started with) and
walks once more; a rule broken on a list that changed is ``fail`` only when the second, quiet walk
breaks it too, and otherwise ``warn`` with both walks as evidence.

Cursor paging (``style: cursor``: ``max_results``, ``page_token``, ``next_page_token``) is judged by
the rules that do not depend on offsets: page size, duplicates, gaps (same ids, same verdicts), plus
``pagination.last_page_token`` (no token where the list ends: ``warn``). Totals, ``count``, links
and an offset past the end do not exist there, so those checks do not apply to cursor lists.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import orjson

from ._core import DRIFT, ERROR, FAIL, WARN, CheckContext, CheckFailed, CheckSkipped, register
from ._exchange import BodyNotJSON, Exchange
from ._responses import status_key


@dataclass(slots=True)
class Page:
    """One page of a walk: for a cursor walk, ``offset`` is the number of items walked before it and
    ``cursor`` the token it was asked for with (None for the first page)."""

    exchange: Exchange
    offset: int
    limit: int
    cursor: str | None = None


@dataclass(slots=True)
class Walk:
    """A recorded walk: the pages in order, plus the reference listing and the out-of-range probe.

    ``reference`` is one request asking for everything at once (only made when the total fits in one
    page), the truth the walk is compared with. ``aborted`` says why the walk stopped early.
    """

    spec: dict[str, Any]
    limit: int
    pages: list[Page] = field(default_factory=list)
    reference: Exchange | None = None
    beyond: Page | None = None
    seeded: int = 0
    inferred: bool = False
    complete: bool = False  # the walk reached the end of the list
    aborted: str | None = None  # why the walk could not go on (with ``aborted_verdict``)
    aborted_verdict: str = ERROR
    changed: str | None = None  # how the list changed while it was walked (other users)
    second: Walk | None = None  # the walk made again after a change


def tolerates_concurrent_change(func: Any) -> Any:
    """A broken rule on a list that changed mid-walk is ``fail`` only if a second walk breaks it too."""

    @functools.wraps(func)
    def wrapper(ctx: CheckContext, walk: Walk) -> None:
        try:
            func(ctx, walk)
        except CheckFailed as first:
            if walk.changed is None or walk.second is None or first.verdict not in (FAIL, WARN):
                raise
            try:
                func(ctx, walk.second)
            except CheckSkipped:
                pass
            except CheckFailed as again:
                if walk.second.changed is None:
                    again.message = f"{again.message} (again on a second walk, over a list that held still)"
                    again.details = [f"first walk, while {walk.changed}: {first.message}", *again.details]
                    raise again from None
                raise CheckFailed(
                    f"{first.message} (the list changed during both walks: {walk.changed}; "
                    f"{walk.second.changed})",
                    verdict=WARN,
                    exchange=first.exchange,
                    schema_path=first.schema_path,
                    details=[f"second walk: {again.message}"],
                ) from None
            raise CheckFailed(
                f"{first.message} (while {walk.changed}; a second walk held)",
                verdict=WARN,
                exchange=first.exchange,
                schema_path=first.schema_path,
                details=[f"second walk: {len(walk.second.pages)} pages, this rule held"],
            ) from None

    return wrapper


def _paginated(_contract: Any, op: Any) -> bool:
    return bool(op.pagination)


def _cursor(spec: dict[str, Any] | None) -> bool:
    return isinstance(spec, dict) and spec.get("style") == "cursor"


def _offset_paginated(_contract: Any, op: Any) -> bool:
    """Offset paging: the checks of totals, counts, links and offsets (not for cursor lists)."""
    return bool(op.pagination) and not _cursor(op.pagination)


def _where(walk: Walk, page: Page) -> str:
    """``at offset 4``; for a cursor walk ``on page 3`` (its place in the walk)."""
    if not _cursor(walk.spec):
        return f"at offset {page.offset}"
    number = next((n for n, p in enumerate(walk.pages, 1) if p is page), None)
    return f"on page {number}" if number is not None else f"on the page after {page.offset} items"


def _body(exchange: Exchange) -> Any:
    assert exchange.response is not None
    try:
        return exchange.response.json()
    except BodyNotJSON as exc:
        raise CheckFailed(f"{exchange.request.url}: {exc}", verdict=ERROR, exchange=exchange) from None


def items_of(spec: dict[str, Any], body: Any) -> list[Any] | None:
    """The page's items: the envelope's items field, or the body itself when it is a bare list."""
    if isinstance(body, list):
        return body
    key = spec.get("items")
    if key and isinstance(body, dict) and isinstance(body.get(key), list):
        return body[key]
    return None


def identity_key(items: list[Any], *, snake: bool = False) -> str | None:
    """The field that tells items apart: ``id``, else an ``...Id`` field (with ``snake``, also an
    ``..._id`` one: MLflow's ``experiment_id``) every item has, with distinct values; None when
    there is none (then an item is its whole value)."""
    if not items or not all(isinstance(i, dict) for i in items):
        return None
    shared = set.intersection(*(set(i) for i in items))
    suffixes = ("Id", "_id") if snake else ("Id",)
    for key in ["id", *sorted(k for k in shared if k.endswith(suffixes))]:
        values = [items[n].get(key) for n in range(len(items))]
        if (
            key in shared
            and all(isinstance(v, (str, int)) for v in values)
            and len(set(values)) == len(values)
        ):
            return key
    return None


def identity(item: Any, key: str | None = "id") -> str:
    """What makes an item the same item on two pages: its identity field, else its whole value."""
    if key and isinstance(item, dict) and isinstance(item.get(key), (str, int)):
        return str(item[key])
    return orjson.dumps(item, option=orjson.OPT_SORT_KEYS).decode()


def _key(walked: list[tuple[Page, list[Any], Any]], walk: Walk) -> str | None:
    reference = items_of(walk.spec, _body(walk.reference)) if walk.reference is not None else None
    return identity_key(reference or [i for _, items, _ in walked for i in items], snake=_cursor(walk.spec))


def _walked(walk: Walk) -> list[tuple[Page, list[Any], Any]]:
    """``(page, items, body)`` for every page, or a skip/error when there is nothing to judge."""
    if walk.aborted and not walk.pages:
        if walk.aborted_verdict == "skip":
            raise CheckSkipped(walk.aborted)
        raise CheckFailed(walk.aborted, verdict=walk.aborted_verdict)
    if walk.aborted and walk.aborted_verdict == ERROR:
        raise CheckFailed(walk.aborted, verdict=ERROR, exchange=walk.pages[-1].exchange)
    if not walk.pages:
        raise CheckSkipped("the list could not be walked")
    result = []
    for page in walk.pages:
        body = _body(page.exchange)
        items = items_of(walk.spec, body)
        if items is None:
            raise CheckSkipped(
                f"the items of a page are not where x-pagination says ({walk.spec.get('items')!r})"
            )
        result.append((page, items, body))
    return result


def _verdict(walk: Walk) -> str:
    return WARN if walk.inferred else FAIL


@register("pagination.page_size", subject="walk", applies=_paginated)
@tolerates_concurrent_change
def page_size(ctx: CheckContext, walk: Walk) -> None:
    """No page holds more items than the ``limit`` asked for (nor than the documented maximum)."""
    cap = walk.spec.get("maxLimit")
    for page, items, _ in _walked(walk):
        allowed = min(page.limit, cap) if isinstance(cap, int) else page.limit
        if len(items) > allowed:
            raise CheckFailed(
                f"Received: {len(items)} items {_where(walk, page)} / Documented: at most "
                f"{walk.spec.get('limit') or 'limit'}={allowed}"
                if _cursor(walk.spec)
                else f"Received: {len(items)} items at offset {page.offset} / Documented: at most limit={allowed}",
                verdict=_verdict(walk),
                exchange=page.exchange,
                schema_path=ctx.pointer("x-pagination"),
            )


@register("pagination.no_duplicates", subject="walk", applies=_paginated)
@tolerates_concurrent_change
def no_duplicates(ctx: CheckContext, walk: Walk) -> None:
    """No item shows up twice across the pages of one walk."""
    seen: dict[str, Page] = {}
    pages = _walked(walk)
    field_name = _key(pages, walk)
    for page, items, _ in pages:
        for item in items:
            key = identity(item, field_name)
            if key in seen:
                raise CheckFailed(
                    f"item {key[:60]} appears {_where(walk, seen[key])} and again {_where(walk, page)}"
                    if _cursor(walk.spec)
                    else f"item {key[:60]} appears at offset {seen[key].offset} and again on the page at offset {page.offset}",
                    verdict=_verdict(walk),
                    exchange=page.exchange,
                    schema_path=ctx.pointer("x-pagination"),
                )
            seen[key] = page


@register("pagination.no_gaps", subject="walk", applies=_paginated)
@tolerates_concurrent_change
def no_gaps(ctx: CheckContext, walk: Walk) -> None:
    """Walking page by page yields exactly the items of a single request for the whole list, in order."""
    pages = _walked(walk)
    if walk.reference is None:
        raise CheckSkipped("the list does not fit in one page, so there is no one-request reference")
    field_name = _key(pages, walk)
    walked = [identity(item, field_name) for _, items, _ in pages for item in items]
    reference_items = items_of(walk.spec, _body(walk.reference)) or []
    expected = [identity(item, field_name) for item in reference_items]
    if walked == expected:
        return
    missing = [key for key in expected if key not in set(walked)]
    detail = (
        f"item {missing[0][:60]} never appeared" if missing else "the order differs from a single listing"
    )
    raise CheckFailed(
        f"Received: {len(walked)} items over {len(pages)} pages / Expected: the {len(expected)} items of one listing; {detail}",
        verdict=_verdict(walk),
        exchange=walk.reference,
        schema_path=ctx.pointer("x-pagination"),
    )


@register(
    "pagination.total_count",
    subject="walk",
    applies=lambda contract, op: _offset_paginated(contract, op) and bool(op.pagination.get("total")),
)
@tolerates_concurrent_change
def total_count(ctx: CheckContext, walk: Walk) -> None:
    """``totalCount`` is the same on every page and equals the number of items walked."""
    key = walk.spec["total"]
    pages = _walked(walk)
    totals = [body.get(key) if isinstance(body, dict) else None for _, _, body in pages]
    walked = sum(len(items) for _, items, _ in pages)
    first = totals[0]
    for (page, _, _), total in zip(pages, totals, strict=True):
        if total != first:
            raise CheckFailed(
                f"{key} changed during the walk: {first} on the first page, {total} at offset {page.offset}",
                verdict=_verdict(walk),
                exchange=page.exchange,
            )
    if walk.complete and first != walked:
        raise CheckFailed(
            f"Received: {key}={first} / Walked: {walked} items",
            verdict=_verdict(walk),
            exchange=pages[0][0].exchange,
            schema_path=ctx.pointer("x-pagination"),
        )


def _link_position(link: str) -> tuple[int, int | None]:
    query = parse_qs(urlsplit(link).query)
    offset = int(query.get("offset", ["0"])[0])
    limit = int(query["limit"][0]) if "limit" in query else None
    return offset, limit


@register(
    "pagination.links",
    subject="walk",
    applies=lambda contract, op: (
        _offset_paginated(contract, op) and bool(op.pagination.get("next") or op.pagination.get("previous"))
    ),
)
@tolerates_concurrent_change
def links(ctx: CheckContext, walk: Walk) -> None:
    """``next``/``previous`` point at offset±limit (``fail``); they keep the limit, are null at the
    ends and present elsewhere (``warn``: only the fields' descriptions say so)."""
    pages = _walked(walk)
    next_key, previous_key = walk.spec.get("next"), walk.spec.get("previous")
    for index, (page, items, body) in enumerate(pages):
        last = index == len(pages) - 1 and walk.complete
        expectations = []
        if previous_key:
            expectations.append(
                (previous_key, None if page.offset == 0 else max(0, page.offset - page.limit))
            )
        if next_key:
            expectations.append((next_key, None if last else page.offset + page.limit))
        for key, expected in expectations:
            link = body.get(key) if isinstance(body, dict) else None
            problem = _link_problem(link, expected, page.limit)
            if problem:
                text, described_only = problem
                raise CheckFailed(
                    f"page at offset {page.offset}: {key} {text}",
                    verdict=WARN if described_only else _verdict(walk),
                    exchange=page.exchange,
                    schema_path=ctx.pointer("x-pagination"),
                )


def _link_problem(link: Any, expected_offset: int | None, limit: int) -> tuple[str, bool] | None:
    """What is wrong with a link, and whether only a description states the broken rule."""
    if expected_offset is None:
        return None if link is None else (f"should be null here, got {str(link)[:80]!r}", True)
    if not isinstance(link, str) or not link:
        return f"is {link!r}, expected a link to offset {expected_offset}", True
    try:
        offset, link_limit = _link_position(link)
    except ValueError:
        return f"{link[:80]!r} has no readable offset/limit", False
    if offset != expected_offset:
        return (
            f"points at offset={offset}, limit={link_limit}; expected offset={expected_offset}, limit={limit}",
            False,
        )
    if link_limit is not None and link_limit != limit:
        return f"points at offset={offset} with limit={link_limit}; the walk asked for limit={limit}", True
    return None


@register("pagination.out_of_range", subject="walk", applies=_offset_paginated)
@tolerates_concurrent_change
def out_of_range(ctx: CheckContext, walk: Walk) -> None:
    """An offset past the end answers an empty page, or a documented 4xx."""
    _walked(walk)
    if walk.beyond is None:
        raise CheckSkipped("no out-of-range request was made")
    exchange = walk.beyond.exchange
    if exchange.error:
        raise CheckFailed(exchange.error, verdict=ERROR, exchange=exchange)
    assert exchange.response is not None
    status = exchange.response.status
    where = f"offset={walk.beyond.offset}"
    if 400 <= status < 500:
        if status_key(ctx.operation, status) is None:
            raise CheckFailed(
                f"Received: {status} for {where} / Documented: an empty page or a documented 4xx",
                verdict=DRIFT,
                exchange=exchange,
            )
        return
    if status >= 300:
        raise CheckFailed(
            f"Received: {status} for {where} / Documented: an empty page or a documented 4xx",
            exchange=exchange,
        )
    items = items_of(walk.spec, _body(exchange))
    if items:
        raise CheckFailed(
            f"Received: {len(items)} items for {where} past the end / Expected: an empty page",
            verdict=_verdict(walk),
            exchange=exchange,
        )


@register(
    "pagination.page_count",
    subject="walk",
    applies=lambda contract, op: _offset_paginated(contract, op) and bool(op.pagination.get("count")),
)
@tolerates_concurrent_change
def page_count(ctx: CheckContext, walk: Walk) -> None:
    """``count`` equals the number of items on its page (``warn``: only the field's description,
    "Number of items returned on this page", says so)."""
    key = walk.spec["count"]
    for page, items, body in _walked(walk):
        value = body.get(key) if isinstance(body, dict) else None
        if value != len(items):
            raise CheckFailed(
                f"Received: {key}={value!r} on a page of {len(items)} items at offset {page.offset} "
                f"/ Documented: the number of items returned on this page",
                verdict=WARN,
                exchange=page.exchange,
                schema_path=ctx.pointer("x-pagination"),
            )


@register(
    "pagination.last_page_token",
    subject="walk",
    applies=lambda _contract, op: _cursor(op.pagination) and bool(op.pagination.get("next")),
)
@tolerates_concurrent_change
def last_page_token(ctx: CheckContext, walk: Walk) -> None:
    """The page that ends a cursor-paginated list carries no ``next`` token (``warn``: only the
    field's description says the token is absent on the last page).

    Where the list ends is known when the walk shows it: an empty page, or a short page (fewer items
    than ``max_results``) whose token leads to an empty page. A full page whose token leads to an
    empty page is not judged: a server cannot know that nothing follows without looking ahead."""
    pages = _walked(walk)
    key = walk.spec["next"]
    for index, (page, items, body) in enumerate(pages):
        token = body.get(key) if isinstance(body, dict) else None
        if not isinstance(token, str) or not token:
            continue
        following = pages[index + 1][1] if index + 1 < len(pages) else None
        if not items:
            problem = "is empty and still carries"
        elif len(items) < page.limit and following == []:
            problem = f"holds {len(items)} of {page.limit} items, the end of the list, and still carries"
        else:
            continue
        raise CheckFailed(
            f"page {index + 1} {problem} {key}={token[:60]!r} / Documented: no token on the last page",
            verdict=WARN,
            exchange=page.exchange,
            schema_path=ctx.pointer("x-pagination"),
        )
