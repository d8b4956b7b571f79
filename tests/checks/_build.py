"""Builders for hand-made exchanges and values of the fixture contract."""

from __future__ import annotations

from typing import Any

import orjson

from mlops_conformance.checks import Exchange, RecordedRequest, RecordedResponse


def exchange(
    status: int,
    body: Any = None,
    *,
    raw: bytes | None = None,
    content_type: str | None = "application/json",
    headers: dict[str, str] | None = None,
    method: str = "GET",
    url: str = "http://127.0.0.1:1/api/things/",
    **meta: Any,
) -> Exchange:
    """A recorded exchange answering ``status`` with ``body`` (JSON) or ``raw`` bytes."""
    content = raw if raw is not None else (b"" if body is None else orjson.dumps(body))
    sent = dict(headers or {})
    if content_type and content:
        sent.setdefault("Content-Type", content_type)
    return Exchange(RecordedRequest(method, url), RecordedResponse(status, sent, content), meta=dict(meta))


def thing(*, drop: tuple[str, ...] = (), **changes: Any) -> dict[str, Any]:
    """A ``Thing`` valid against the fixture contract, with ``changes`` set and ``drop`` removed."""
    value: dict[str, Any] = {
        "id": "t1",
        "name": "one",
        "status": "active",
        "createdAt": "2024-06-11T10:00:00Z",
        "homepage": None,
        "score": 1.5,
        "note": None,
        "size": 3,
        "region": "eu",
    }
    value.update(changes)
    for key in drop:
        value.pop(key, None)
    return value


def page_exchange(
    offset: int, limit: int, items: list[Any], *, total: int | None, base: str = "http://h/api/things/"
) -> Exchange:
    """One page of the fixture list, with links as a correct server writes them."""
    following = (
        f"{base}?offset={offset + limit}&limit={limit}"
        if total is not None and offset + limit < total
        else None
    )
    previous = f"{base}?offset={max(0, offset - limit)}&limit={limit}" if offset > 0 else None
    body = {"count": len(items), "data": items, "next": following, "previous": previous, "totalCount": total}
    return exchange(200, body, url=f"{base}?offset={offset}&limit={limit}")
