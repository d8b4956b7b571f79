"""``x-pagination`` inferred for a user's document that has none (``run``/``mock --contract``).

The bundled contracts carry ``x-pagination`` read from the docs (``extract/pagination.py``); a user's
OpenAPI document rarely does. Without it a list is neither walked by the runner nor paged by the mock,
so it is inferred here from parameter and member names, and marked ``x-inferred`` with the rule that
fired: every pagination check on it is then a ``warn`` at worst, never a ``fail`` (DESIGN.md: checks on
inferred facts). A GET operation already carrying ``x-pagination`` is left alone.

The list's answer is its first JSON 2xx schema: an object whose items are the array member named
``data``/``items``/``results``/… (else its only array member), or a bare array. Rules, first match:

* ``cursor``: a token parameter (``cursor``, ``page_token``, ``pageToken``, ``next_token``,
  ``continuationToken``, ``after``, ``marker``, …) and a size parameter (``limit``, ``max_results``,
  ``pageSize``, …), and a top-level string member carrying the next token (``next_cursor``,
  ``nextPageToken``, ``next_token``, …; a member named like the token parameter counts too);
* ``offset``: an ``offset``/``skip``/``start`` parameter and a ``limit``/``size``/``count``-like one;
* ``page``: a ``page``/``pageNumber`` parameter and a ``pageSize``/``per_page``/``size``/``limit``
  one; pages count from 1 unless the page parameter's ``minimum`` is 0.

For ``offset`` and ``page`` lists the envelope's ``total`` (an integer ``total``/``totalCount``/
``total_count``/``totalItems``/… member) and ``next``/``previous`` links (string members named
``next``/``nextLink``/``next_url``/… and ``previous``/``prev``/…) are named when present.
``maxLimit`` is the size parameter's ``maximum``, ``defaultLimit`` its ``default``.
"""

from __future__ import annotations

from typing import Any

_ITEMS = ("data", "items", "results", "records", "entries", "values", "content", "elements", "list")
_OFFSET = ("offset", "skip", "start", "startIndex", "start_index", "from")
_LIMIT = ("limit", "size", "count", "max", "maxResults", "max_results", "per_page", "perPage", "top", "first")
_PAGE = ("page", "pageNumber", "page_number", "pageIndex", "page_index", "pageNo")
_PAGE_SIZE = ("pageSize", "page_size", "per_page", "perPage", "size", "limit", "pageLimit")
_CURSOR = (
    "cursor",
    "page_token",
    "pageToken",
    "next_token",
    "nextToken",
    "continuationToken",
    "continuation_token",
    "continuation",
    "after",
    "marker",
    "starting_after",
    "startingAfter",
)
_CURSOR_LIMIT = ("limit", "max_results", "maxResults", "page_size", "pageSize", "size", "per_page", "perPage")
_NEXT_TOKEN = (
    "next_cursor",
    "nextCursor",
    "next_page_token",
    "nextPageToken",
    "next_token",
    "nextToken",
    "continuationToken",
    "continuation_token",
    "next_marker",
    "nextMarker",
    "cursor",
)
_TOTAL = ("totalCount", "total_count", "total", "totalItems", "total_items", "totalResults", "total_results")
_NEXT = ("next", "nextLink", "next_link", "nextUrl", "next_url", "nextPage", "next_page", "next_page_url")
_PREVIOUS = ("previous", "prev", "previousLink", "prevLink", "previous_url", "prev_url", "previousPage")


def _resolve(document: dict[str, Any], node: Any) -> Any:
    """Follow ``$ref``s (local ones; the document was repaired, so they resolve) and merge ``allOf``."""
    for _ in range(32):
        if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
            break
        target: Any = document
        for part in node["$ref"].lstrip("#/").split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            target = target.get(part) if isinstance(target, dict) else None
        node = target
    if isinstance(node, dict) and isinstance(node.get("allOf"), list):
        merged: dict[str, Any] = {k: v for k, v in node.items() if k != "allOf"}
        properties = dict(merged.get("properties") or {})
        for part in node["allOf"]:
            part = _resolve(document, part)
            if isinstance(part, dict):
                properties.update(part.get("properties") or {})
                merged.setdefault("type", part.get("type"))
        merged["properties"] = properties
        return merged
    return node


def _types(schema: Any) -> set[str]:
    kind = schema.get("type") if isinstance(schema, dict) else None
    if isinstance(kind, str):
        return {kind}
    return {str(k) for k in kind} if isinstance(kind, list) else set()


def _success_schema(document: dict[str, Any], spec: dict[str, Any]) -> Any:
    for status, response in sorted((spec.get("responses") or {}).items()):
        if not str(status).startswith("2"):
            continue
        response = _resolve(document, response)
        content = response.get("content") if isinstance(response, dict) else None
        for media, entry in (content or {}).items():
            if (media == "application/json" or media.endswith("+json")) and isinstance(entry, dict):
                return _resolve(document, entry.get("schema"))
    return None


def _query(document: dict[str, Any], item: dict[str, Any], spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for parameter in [*(item.get("parameters") or []), *(spec.get("parameters") or [])]:
        parameter = _resolve(document, parameter)
        if isinstance(parameter, dict) and parameter.get("in") == "query" and parameter.get("name"):
            found[str(parameter["name"])] = parameter
    return found


def _first(names: tuple[str, ...], present: Any) -> str | None:
    return next((name for name in names if name in present), None)


def _bounds(document: dict[str, Any], parameter: dict[str, Any]) -> tuple[int | None, int | None]:
    schema = _resolve(document, parameter.get("schema")) or {}
    maximum, default = schema.get("maximum"), schema.get("default")
    return (
        maximum if isinstance(maximum, int) and not isinstance(maximum, bool) and maximum > 0 else None,
        default if isinstance(default, int) and not isinstance(default, bool) and default > 0 else None,
    )


def _envelope(document: dict[str, Any], schema: Any) -> tuple[str | None, dict[str, Any]] | None:
    """(items member or None for a bare array, the envelope's members); None when not a list."""
    if "array" in _types(schema):
        return None, {}
    properties = schema.get("properties") if isinstance(schema, dict) else None
    if not isinstance(properties, dict):
        return None
    members = {name: _resolve(document, prop) for name, prop in properties.items()}
    arrays = [name for name, prop in members.items() if "array" in _types(prop)]
    items = _first(_ITEMS, arrays) or (arrays[0] if len(arrays) == 1 else None)
    return (items, members) if items else None


def _named(members: dict[str, Any], names: tuple[str, ...], kind: str) -> str | None:
    return next(
        (n for n in names if n in members and (kind in _types(members[n]) or not _types(members[n]))), None
    )


def infer(spec: dict[str, Any], item: dict[str, Any], document: dict[str, Any]) -> dict[str, Any] | None:
    """The inferred ``x-pagination`` of one GET operation (``spec``, in path item ``item``), or None."""
    listing = _envelope(document, _success_schema(document, spec))
    if listing is None:
        return None
    items, members = listing
    query = _query(document, item, spec)
    cursor, size = _first(_CURSOR, query), _first(_CURSOR_LIMIT, query)
    if cursor and size and items:
        token = _named(members, (*_NEXT_TOKEN, cursor), "string")
        if token:
            maximum, default = _bounds(document, query[size])
            return {
                "style": "cursor",
                "in": "query",
                "limit": size,
                "cursor": cursor,
                "next": token,
                "items": items,
                "maxLimit": maximum,
                "defaultLimit": default,
                "x-inferred": f"cursor paging: query parameters {cursor!r} and {size!r}, next token {token!r}",
            }
    start, size = _first(_OFFSET, query), _first(_LIMIT, query)
    rule = "offset paging: query parameters {!r} and {!r}"
    style: dict[str, Any] = {}
    if start and size and start != size:
        style = {"style": "offset", "offset": start, "limit": size}
    else:
        start, size = _first(_PAGE, query), _first(_PAGE_SIZE, query)
        if not (start and size and start != size):
            return None
        page_schema = _resolve(document, query[start].get("schema")) or {}
        first = 0 if page_schema.get("minimum") == 0 else 1
        style = {"style": "page", "page": start, "pageSize": size, "firstPage": first}
        rule = "page paging: query parameters {!r} and {!r}"
    maximum, default = _bounds(document, query[size])
    return {
        **style,
        "items": items,
        "total": _named(members, _TOTAL, "integer"),
        "next": _named(members, _NEXT, "string"),
        "previous": _named(members, _PREVIOUS, "string"),
        "maxLimit": maximum,
        "defaultLimit": default,
        "x-inferred": rule.format(start, size),
    }


def annotate(document: dict[str, Any]) -> int:
    """Give every GET list without ``x-pagination`` the inferred one; the number annotated."""
    count = 0
    for item in (document.get("paths") or {}).values():
        if not isinstance(item, dict):
            continue
        spec = item.get("get")
        if not isinstance(spec, dict) or "x-pagination" in spec:
            continue
        found = infer(spec, item, document)
        if found is not None:
            spec["x-pagination"] = found
            count += 1
    return count
