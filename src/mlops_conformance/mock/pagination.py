"""Pagination exactly as an operation's ``x-pagination`` says: offset or page style.

``x-pagination`` names the query parameters (``offset``, ``limit``), where the page's items, total and
links live in the envelope (``data``, ``totalCount``, ``next``, ``previous``; a dotted name such as
``metadata.totalCount`` reaches into a nested envelope), and the limit's bounds (``maxLimit``,
``defaultLimit``). ``limit=0`` means "no limit", as DataRobot documents it ("If 0, all results"),
and is refused where the contract gives a maximum. Links are absolute URLs that repeat the request's other query parameters, and are
null at the ends, so a client that follows ``next`` visits every item exactly once.

``style: page`` (``page``/``pageSize`` parameters, numbered from ``firstPage``, 1 unless the
contract's page parameter allows 0) is served through the same :class:`Window` (items ``[offset,
offset + limit)``): page ``n`` of ``pageSize`` items is the window at ``(n - firstPage) * pageSize``,
so the list handler slices, counts and links as for offsets; links name pages (every link starts a
page). Token paging (``style: cursor``) has its own module, ``mlflow_paging``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from .validate import Invalid

FALLBACK_LIMIT = 100


@dataclass(frozen=True, slots=True)
class Window:
    """One requested page: items ``[offset, offset + limit)``."""

    offset: int
    limit: int


def _names(config: dict[str, Any]) -> tuple[str, str]:
    """The query parameters that say where a page starts and how long it is, per style."""
    style = config.get("style")
    if style == "page":
        return config.get("page") or "page", config.get("pageSize") or "pageSize"
    return config.get("offset") or "offset", config.get("limit") or "limit"


def _start(config: dict[str, Any], params: dict[str, Any], query: Any, limit: Any) -> int | Invalid:
    """The offset the request starts at, from an offset or a page number."""
    name = _names(config)[0]
    if config.get("style") == "page":
        first = int(config.get("firstPage", 1))
        page = params.get(name, _raw_int(query, name, first))
        if isinstance(page, Invalid):
            return page
        if not isinstance(page, int) or isinstance(page, bool) or page < first:
            return Invalid("query", f"query parameter {name!r} must be an integer >= {first}")
        if not isinstance(limit, int) or isinstance(limit, bool):
            return 0  # the limit's own error is reported
        return (page - first) * limit
    return params.get(name, _raw_int(query, name, 0))


def window(config: dict[str, Any], params: dict[str, Any], query: Any) -> Window | Invalid:
    """The requested window, validated against the contract's bounds."""
    limit_name = _names(config)[1]
    default = config.get("defaultLimit") or config.get("maxLimit") or FALLBACK_LIMIT
    limit = params.get(limit_name, _raw_int(query, limit_name, default))
    offset = _start(config, params, query, limit)
    offset_name = _names(config)[0]
    if isinstance(offset, Invalid):
        return offset
    if isinstance(limit, Invalid):
        return limit
    if not isinstance(offset, int) or isinstance(offset, bool) or offset < 0:
        return Invalid("query", f"query parameter {offset_name!r} must be an integer >= 0")
    maximum = config.get("maxLimit")
    if (
        not isinstance(limit, int)
        or isinstance(limit, bool)
        or limit < 0
        or (limit == 0 and (maximum is not None or config.get("style") == "page"))
    ):
        lowest = 1 if maximum is not None or config.get("style") == "page" else 0
        return Invalid("query", f"query parameter {limit_name!r} must be an integer >= {lowest}")
    if isinstance(maximum, int) and limit > maximum:
        return Invalid("query", f"query parameter {limit_name!r} must be <= {maximum}")
    return Window(offset, limit)


def _raw_int(query: Any, name: str, default: int) -> int | Invalid:
    text = query.get(name)
    if text is None:
        return default
    try:
        return int(text)
    except ValueError:
        return Invalid("query", f"query parameter {name!r} must be an integer, got {text!r}")


def link(
    win: Window, offset: int, base_url: str, query_items: list[tuple[str, str]], config: dict[str, Any]
) -> str:
    """The absolute URL of the page at ``offset`` (same limit, same other query parameters)."""
    start_name, limit_name = _names(config)
    start = str(offset)
    if config.get("style") == "page":
        start = str(offset // win.limit + int(config.get("firstPage", 1))) if win.limit else start
    kept = [(k, v) for k, v in query_items if k not in (start_name, limit_name)]
    return f"{base_url}?{urlencode([*kept, (start_name, start), (limit_name, str(win.limit))])}"


def next_offset(win: Window, total: int) -> int | None:
    """Where the next page starts; None on the last page (and when ``limit=0`` asked for everything)."""
    if win.limit == 0:
        return None
    return win.offset + win.limit if win.offset + win.limit < total else None


def previous_offset(win: Window) -> int | None:
    """Where the previous page starts; None on the first page."""
    return max(0, win.offset - win.limit) if win.offset > 0 else None


def set_path(envelope: dict[str, Any], dotted: str, value: Any) -> None:
    """``set_path(env, "metadata.totalCount", 3)``; creates intermediate objects when missing."""
    parts = dotted.split(".")
    node = envelope
    for part in parts[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = node[part] = {}
        node = child
    node[parts[-1]] = value


def get_path(envelope: Any, dotted: str) -> Any:
    node = envelope
    for part in dotted.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node
