"""Cursor pagination as an operation's ``x-pagination`` (``style: cursor``) describes it.

MLflow is the one vendor whose lists page by token: the request names ``max_results`` and
``page_token`` (in the query of a GET, in the JSON body otherwise), the answer carries
``next_page_token`` only while more items follow. The token is opaque to clients; the mock makes
it what MLflow's own server makes it, base64 of ``{"offset": N}``, so a token can be read back
without server-side state, and an unreadable one is refused like MLflow does
(``INVALID_PARAMETER_VALUE``). The real server looks ahead: a full last page carries no token
either, so a walk never ends on an empty page.

Both the generic contract-driven lists (``handlers``) and the stateful MLflow searches
(``mlflow_rpc``) page through here, so the two cannot disagree on what a token means.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import orjson

from .faults import Fault
from .validate import Invalid

# MLflow's SEARCH_MAX_RESULTS_DEFAULT: what its searches answer when no max_results is given.
DEFAULT_LIMIT = 1000
# Larger than any list the mock holds, small enough that offset + limit stays a JSON-safe integer.
_LARGEST = 2**31 - 1

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Cursor:
    """One requested page: items ``[offset, offset + limit)``."""

    offset: int
    limit: int


def is_cursor(config: Mapping[str, Any] | None) -> bool:
    return bool(config) and config.get("style") == "cursor"  # type: ignore[union-attr]


def encode(offset: int) -> str:
    return base64.b64encode(orjson.dumps({"offset": offset})).decode()


def read_cursor(config: Mapping[str, Any], source: Any) -> Cursor | Invalid:
    """The page ``source`` (the query, or the JSON body) asks for.

    The contract gives ``max_results`` no bounds, so any value it accepts is served: one that is not
    a positive integer reads as the default (the contract's ``defaultLimit``, else MLflow's), and a
    documented ``maxLimit`` caps it. Only a token this server cannot have issued is refused.
    """
    where = "query" if config.get("in") == "query" else "body"
    limit_name = config.get("limit") or "max_results"
    token_name = config.get("cursor") or "page_token"
    getter = source.get if hasattr(source, "get") else (lambda _name: None)
    limit = _positive(getter(limit_name)) or config.get("defaultLimit") or DEFAULT_LIMIT
    maximum = config.get("maxLimit")
    if isinstance(maximum, int) and limit > maximum:
        limit = maximum
    token = getter(token_name)
    if token is None or token == "":
        return Cursor(0, limit)
    offset = decode(token)
    if offset is None:
        return Invalid(where, f"Invalid page token {str(token)[:80]!r} for parameter {token_name!r}")
    return Cursor(offset, limit)


def decode(token: Any) -> int | None:
    """The offset a token of ours carries; None for anything else."""
    if not isinstance(token, str):
        return None
    try:
        data = orjson.loads(base64.b64decode(token.encode(), validate=True))
    except (binascii.Error, ValueError, orjson.JSONDecodeError):
        return None
    offset = data.get("offset") if isinstance(data, dict) else None
    if not isinstance(offset, int) or isinstance(offset, bool) or not 0 <= offset <= _LARGEST:
        return None
    return offset


def page(items: Sequence[T], cursor: Cursor, fault: Fault) -> tuple[list[T], str | None]:
    """The items of the page and the token of the next one (None when nothing follows).

    The fault hooks of offset paging apply here too (an oversized or overlapping page, a token one
    item too far), so the suite's pagination checks can be proven on cursor lists as well.
    """
    start, stop = fault.page_slice(cursor.offset, cursor.limit)
    chosen = list(items[start:stop])
    following = cursor.offset + cursor.limit if cursor.offset + cursor.limit < len(items) else None
    following = fault.next_offset(following, cursor.offset, cursor.limit)
    return chosen, (encode(following) if following is not None else None)


def _positive(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip()
        if not value.isdigit():
            return None
        value = int(value)
    if isinstance(value, int) and value > 0:
        return min(value, _LARGEST)
    return None
