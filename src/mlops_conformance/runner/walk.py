"""Walking a paginated list page by page, the record ``checks.pagination`` judges.

1. One request for the largest page the docs allow: the *reference* listing (kept only when the
   whole list fits, so the walk can be compared with it item by item).
2. When writes are allowed and the list holds fewer than ``SEED_TARGET`` items, items are created
   first (named ``mlops-conformance-...``, deleted afterwards) so that there are pages to walk.
3. A walk with a limit of about a third of the list, until a short or empty page, a null ``next``,
   ``totalCount`` reached, or ``MAX_PAGES``.
4. One request at an offset past the end.
5. A fresh reference listing: if it differs from the first (items shifted, the total moved), or the
   total moved between pages, other users changed the list under the walk; it is walked once
   more, and the checks believe only what the second walk shows too (``checks.pagination``).
Query parameters other than offset/limit stay the same for every request, so the order is stable.

A cursor-paginated list (``style: cursor``, MLflow's ``max_results``/``page_token``/``next_page_token``)
is walked the same way, by tokens instead of offsets (``_walk_cursor``): the reference listing asks for
``maxLimit`` (else ``DEFAULT_CAP``) items without a token and holds everything when it carries no
token (or a token that leads to an empty page); the walk asks for about a third of that and follows
each ``next`` token (a query parameter for ``in: query``, a JSON body field for ``in: body``, with the
operation's own method) until a page without a token, an empty page, an error or ``MAX_PAGES``; a
token already followed is followed once more and the walk stops there (the repeated page shows as
duplicates). There is no out-of-range request (a token cannot point past the end). Seeding and the
second walk of a list that changed work as above. The client refuses every method but GET without
``--allow-writes``, a POST search included, so an ``in: body`` list is not walked in a read-only run
(``skip``: "a POST search needs --allow-writes").
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..checks import ERROR, BodyNotJSON, Exchange, Page, Walk
from ..checks.pagination import identity, identity_key, items_of
from . import paths
from .client import SAFE_METHODS
from .paths import ok_status as _ok
from .resources import Created, minimal_query, plain_value

if TYPE_CHECKING:
    from ..contract import Operation
    from .resources import Resources

SEED_TARGET = 5
MAX_PAGES = 50
DEFAULT_CAP = 100


def _new_record(resources: Resources, op: Operation) -> Walk:
    """An empty walk of ``op``: its ``x-pagination``, the largest page it allows, whether inferred."""
    spec = dict(op.pagination or {})
    success = resources.contract.resolve(op.responses.get("200", {}))
    inferred = bool(spec.get("x-inferred") or (isinstance(success, dict) and success.get("x-inferred")))
    maximum = spec.get("maxLimit")
    cap = maximum if isinstance(maximum, int) and maximum > 0 else DEFAULT_CAP
    return Walk(spec=spec, limit=cap, inferred=inferred)


def walk(resources: Resources, op: Operation) -> Walk:
    if (op.pagination or {}).get("style") == "cursor":
        return _walk_cursor(resources, op)
    record = _new_record(resources, op)
    spec, contract, cap = record.spec, resources.contract, record.limit
    values, fabricated = resources.existing(op)
    path = paths.fill(op.path, values)
    offset_name, limit_name = spec.get("offset") or "offset", spec.get("limit") or "limit"
    fixed = [(k, v) for k, v in minimal_query(contract, op) if k not in (offset_name, limit_name)]

    def get(offset: int, limit: int) -> Exchange:
        params = [*fixed, (offset_name, offset), (limit_name, limit)]
        return resources.client.send(
            resources.vendor,
            "GET",
            path,
            params=params,
            meta={"mode": "pagination", "fabricated": fabricated},
            path_parameters=values,
        )

    return _seed_and_walk(
        resources,
        op,
        record,
        values,
        fabricated,
        lambda: get(0, cap),
        lambda r, first: _walk_from(r, first, get, cap),
    )


def _seed_and_walk(
    resources: Resources,
    op: Operation,
    record: Walk,
    values: dict[str, Any],
    fabricated: bool,
    first: Callable[[], Exchange],
    walk_from: Callable[[Walk, Exchange], None],
) -> Walk:
    """Steps 1-5 of the module doc, for either paging style: ``first`` asks for the largest first
    page, ``walk_from`` walks the list from such a listing."""
    cap = record.limit  # the largest page; walking sets ``limit`` to the page size it used
    seeded: list[Created] = []
    try:
        reference = first()
        listed = _items(record, reference, fabricated)
        if listed is None:
            return record
        if resources.writes and len(listed) < SEED_TARGET and not fabricated:
            seeded = _seed(resources, op, values, SEED_TARGET - len(listed))
            record.seeded = len(seeded)
            if seeded:
                reference = first()
                listed = _items(record, reference, fabricated)
                if listed is None:
                    return record
        walk_from(record, reference)
        after = first()
        record.changed = _change(record, reference, after)
        if record.changed is not None:
            second = Walk(spec=record.spec, limit=cap, inferred=record.inferred, seeded=record.seeded)
            if _items(second, after, fabricated) is not None:
                walk_from(second, after)
                second.changed = _change(second, after, first())
                record.second = second
    finally:
        if seeded:
            resources.tracker.delete_all(seeded)
    return record


def _walk_from(record: Walk, reference: Exchange, get: Any, cap: int) -> None:
    """Walk the list whose first listing is ``reference``: pages of a third of it, then past the end."""
    listed = _items(record, reference, False) or []
    total = _total(record.spec, reference)
    whole = len(listed) < cap or (total is not None and total <= cap)
    record.reference = reference if whole else None
    count = len(listed) if whole else (total or cap * 3)
    record.limit = limit = max(1, min(cap, math.ceil(count / 3))) if count > 1 else 1
    _walk_pages(record, get, limit, total)
    end = sum(_count(record, p.exchange) for p in record.pages)
    beyond_offset = max(end, total or 0) + limit
    record.beyond = Page(get(beyond_offset, limit), beyond_offset, limit)


def _change(record: Walk, before: Exchange, after: Exchange) -> str | None:
    """How the list changed while it was walked (None when nothing shows it did)."""
    key = record.spec.get("total")
    totals = [_total(record.spec, p.exchange) for p in record.pages if p.exchange.response is not None]
    if key and len({t for t in totals if t is not None}) > 1:
        return f"{key} moved between pages ({totals[0]} -> {totals[-1]})"
    first, second = _total(record.spec, before), _total(record.spec, after)
    if first != second:
        return f"{key} moved from {first} to {second} during the walk"
    if after.error or not _ok(after.status) or after.response is None:
        return None
    old, new = _json(before), _json(after)
    old_items, new_items = items_of(record.spec, old), items_of(record.spec, new)
    if old_items is None or new_items is None:
        return None
    field_name = identity_key(old_items or new_items, snake=record.spec.get("style") == "cursor")
    if [identity(i, field_name) for i in old_items] != [identity(i, field_name) for i in new_items]:
        return f"a fresh listing differs from the first ({len(old_items)} -> {len(new_items)} items)"
    return None


def _walk_pages(record: Walk, get: Any, limit: int, total: int | None) -> None:
    offset = 0
    while len(record.pages) < MAX_PAGES:
        exchange = get(offset, limit)
        page = Page(exchange, offset, limit)
        if exchange.error:
            record.pages.append(page)
            record.aborted = f"page at offset {offset}: {exchange.error}"
            return
        if not _ok(exchange.status):
            record.pages.append(page)
            record.aborted = f"page at offset {offset} answered {exchange.status}"
            return
        record.pages.append(page)
        body = _json(exchange)
        if body is None:
            record.aborted = f"page at offset {offset}: the body is not JSON"
            return
        items = items_of(record.spec, body) or []
        following = (
            body.get(record.spec["next"]) if isinstance(body, dict) and record.spec.get("next") else None
        )
        offset += limit
        if len(items) < limit:
            break
        if total is not None:
            if offset >= total:
                break
            continue  # the total says there is more, whatever the links say (the checks judge those)
        if record.spec.get("next") and following is None:
            break
    else:
        return  # MAX_PAGES reached: the walk is incomplete, not failed
    record.complete = True


def _items(record: Walk, exchange: Exchange, fabricated: bool) -> list[Any] | None:
    if exchange.error:
        record.aborted = f"first page: {exchange.error}"
        return None
    if not _ok(exchange.status):
        record.aborted = f"the list answered {exchange.status}" + (
            " (its parent id was invented)" if fabricated else ""
        )
        record.aborted_verdict = "skip" if fabricated or (exchange.status or 0) < 500 else ERROR
        return None
    body = _json(exchange)
    if body is None:
        record.aborted = "first page: the body is not JSON"
        return None
    return items_of(record.spec, body) or []


def _json(exchange: Exchange) -> Any:
    assert exchange.response is not None
    try:
        return exchange.response.json()
    except BodyNotJSON:
        return None


def _count(record: Walk, exchange: Exchange) -> int:
    body = _json(exchange) if exchange.response is not None and _ok(exchange.status) else None
    return len(items_of(record.spec, body) or []) if body is not None else 0


def _total(spec: dict[str, Any], exchange: Exchange) -> int | None:
    key = spec.get("total")
    body = _json(exchange)
    value = body.get(key) if key and isinstance(body, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _seed(resources: Resources, op: Operation, values: dict[str, Any], count: int) -> list[Created]:
    family = next((f for f in resources.families() if f.list == op), None)
    if family is None:
        return []
    created = []
    for _ in range(count):
        made = resources.create(family, values)
        if made is None:
            break
        created.append(made[0])
    return created


# ---- cursor paging (``style: cursor``) ------------------------------------------------------------


def _walk_cursor(resources: Resources, op: Operation) -> Walk:
    """Walk a token-paginated list; the record has the shape of an offset walk's (see the module doc)."""
    record = _new_record(resources, op)
    spec, contract, cap = record.spec, resources.contract, record.limit
    if op.method.upper() not in SAFE_METHODS and not resources.client.allow_writes:
        record.aborted = f"a {op.method.upper()} search needs --allow-writes"
        record.aborted_verdict = "skip"
        return record
    values, fabricated = resources.existing(op)
    path = paths.fill(op.path, values)
    limit_name, cursor_name = spec.get("limit") or "max_results", spec.get("cursor") or "page_token"
    in_body = spec.get("in") == "body"
    fixed = [(k, v) for k, v in minimal_query(contract, op) if k not in (limit_name, cursor_name)]
    body = {} if not in_body else _minimal_body(contract, op, (limit_name, cursor_name))

    def get(token: str | None, limit: int) -> Exchange:
        cursor = [] if token is None else [(cursor_name, token)]
        if in_body:
            sent = {**body, limit_name: limit, **dict(cursor)}
            return resources.client.send(
                resources.vendor,
                op.method,
                path,
                params=fixed,
                json=sent,
                meta={"mode": "pagination", "fabricated": fabricated},
                path_parameters=values,
            )
        return resources.client.send(
            resources.vendor,
            op.method,
            path,
            params=[*fixed, (limit_name, limit), *cursor],
            meta={"mode": "pagination", "fabricated": fabricated},
            path_parameters=values,
        )

    return _seed_and_walk(
        resources,
        op,
        record,
        values,
        fabricated,
        lambda: get(None, cap),
        lambda r, first: _cursor_walk_from(r, first, get, cap),
    )


def _minimal_body(contract: Any, op: Operation, paging: tuple[str, str]) -> dict[str, Any]:
    """The JSON body of a plain search: every required field with a boring valid value."""
    media = (op.request_body or {}).get("content", {}).get("application/json", {})
    schema = contract.resolve(media.get("schema") or {})
    if not isinstance(schema, dict):
        return {}
    properties = schema.get("properties") or {}
    return {
        name: _json_value(contract, contract.resolve(properties.get(name) or {}))
        for name in schema.get("required") or []
        if name not in paging
    }


def _json_value(contract: Any, schema: Any) -> Any:
    """``plain_value`` typed for JSON: an array of one plain item, a real boolean."""
    kinds = schema.get("type") if isinstance(schema, dict) else None
    kinds = [kinds] if isinstance(kinds, str) else list(kinds or [])
    if "array" in kinds and not ({"default", "example"} & set(schema)):
        return [_json_value(contract, contract.resolve(schema.get("items") or {}))]
    value = plain_value(schema)
    return value == "true" if "boolean" in kinds and isinstance(value, str) else value


def _token(spec: dict[str, Any], exchange: Exchange) -> str | None:
    """The answer's ``next`` token; None when it is missing, null or empty (the list ends there)."""
    key = spec.get("next")
    body = _json(exchange) if exchange.response is not None else None
    value = body.get(key) if key and isinstance(body, dict) else None
    return value if isinstance(value, str) and value else None


def _cursor_walk_from(record: Walk, reference: Exchange, get: Any, cap: int) -> None:
    """Walk the list whose first listing is ``reference``: pages of about a third of it, by tokens."""
    listed = _items(record, reference, False) or []
    token = _token(record.spec, reference)
    whole = token is None
    if token is not None and len(listed) < cap:
        # A short page still carrying a token: it holds everything if the token leads nowhere.
        following = get(token, cap)
        whole = following.error is None and _ok(following.status) and _count(record, following) == 0
    record.reference = reference if whole else None
    count = len(listed) if whole else cap * 3
    record.limit = limit = max(1, min(cap, math.ceil(count / 3))) if count > 1 else 1
    _walk_cursor_pages(record, get, limit)


def _walk_cursor_pages(record: Walk, get: Any, limit: int) -> None:
    token: str | None = None
    sent: set[str] = set()
    repeated = False  # the token just sent had been sent before
    position = 0
    while len(record.pages) < MAX_PAGES:
        number = len(record.pages) + 1
        exchange = get(token, limit)
        record.pages.append(Page(exchange, position, limit, cursor=token))
        if exchange.error:
            record.aborted = f"page {number}: {exchange.error}"
            return
        if not _ok(exchange.status):
            record.aborted = f"page {number} answered {exchange.status}"
            return
        body = _json(exchange)
        if body is None:
            record.aborted = f"page {number}: the body is not JSON"
            return
        items = items_of(record.spec, body) or []
        position += len(items)
        following = _token(record.spec, exchange)
        if token is not None:
            sent.add(token)
        if not items or following is None:
            break  # an empty page, or no token: the end of the list
        if repeated:
            return  # the walk loops: a token followed twice (the checks see the repeated page)
        repeated = following in sent
        token = following
    else:
        return  # MAX_PAGES reached: the walk is incomplete, not failed
    record.complete = True
