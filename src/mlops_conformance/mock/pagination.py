"""Offset pagination exactly as an operation's ``x-pagination`` says.

``x-pagination`` names the query parameters (``offset``, ``limit``), where the page's items, total and
links live in the envelope (``data``, ``totalCount``, ``next``, ``previous``; a dotted name such as
``metadata.totalCount`` reaches into a nested envelope), and the limit's bounds (``maxLimit``,
``defaultLimit``). ``limit=0`` means "no limit", as DataRobot documents it ("If 0, all results"),
and is refused where the contract gives a maximum. Links are absolute URLs that repeat the request's other query parameters, and are
null at the ends, so a client that follows ``next`` visits every item exactly once.
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


def window(config: dict[str, Any], params: dict[str, Any], query: Any) -> Window | Invalid:
    """The requested window, validated against the contract's bounds."""
    offset_name = config.get("offset") or "offset"
    limit_name = config.get("limit") or "limit"
    offset = params.get(offset_name, _raw_int(query, offset_name, 0))
    default = config.get("defaultLimit") or config.get("maxLimit") or FALLBACK_LIMIT
    limit = params.get(limit_name, _raw_int(query, limit_name, default))
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
        or (limit == 0 and maximum is not None)
    ):
        lowest = 1 if maximum is not None else 0
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
    offset_name = config.get("offset") or "offset"
    limit_name = config.get("limit") or "limit"
    kept = [(k, v) for k, v in query_items if k not in (offset_name, limit_name)]
    return f"{base_url}?{urlencode([*kept, (offset_name, str(offset)), (limit_name, str(win.limit))])}"


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
