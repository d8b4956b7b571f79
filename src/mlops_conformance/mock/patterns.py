"""Deterministic strings that match a regular expression (the ``pattern`` keyword).

Walks the parse tree of Python's own regex parser, so the grammar is exactly the one ``re`` accepts;
each choice is drawn from the caller's seeded ``random.Random``, so a seed gives the same string.
Anchors and look-arounds are ignored (JSON Schema patterns are unanchored searches, and a string that
matches the whole pattern also satisfies the search).
"""

from __future__ import annotations

import re
import string
from typing import Any, Protocol

try:  # Python 3.11+
    from re import _constants as _c  # type: ignore[attr-defined]
    from re import _parser as _p  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - older interpreters
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

_CATEGORIES = {
    _c.CATEGORY_DIGIT: string.digits,
    _c.CATEGORY_NOT_DIGIT: string.ascii_letters,
    _c.CATEGORY_SPACE: " ",
    _c.CATEGORY_NOT_SPACE: string.ascii_letters + string.digits,
    _c.CATEGORY_WORD: string.ascii_letters + string.digits + "_",
    _c.CATEGORY_NOT_WORD: "-.",
}
_PRINTABLE = string.ascii_letters + string.digits + "-_."
_MAX_REPEAT = 4


class _Source(Protocol):
    def choice(self, items: Any) -> Any: ...
    def randint(self, low: int, high: int) -> int: ...


class PatternError(ValueError):
    """The pattern uses a construct this generator cannot satisfy."""


def string_matching(pattern: str, rng: _Source) -> str:
    """A string that ``re.search(pattern, s)`` accepts, drawn from ``rng``."""
    try:
        tree = _p.parse(pattern)
    except re.error as exc:
        raise PatternError(str(exc)) from None
    groups: dict[int, str] = {}
    out = _emit(tree, rng, groups)
    if re.search(pattern, out) is None:
        raise PatternError(f"could not satisfy {pattern!r}")
    return out


def _emit(tree: Any, rng: _Source, groups: dict[int, str]) -> str:
    return "".join(_one(op, arg, rng, groups) for op, arg in tree)


def _one(op: Any, arg: Any, rng: _Source, groups: dict[int, str]) -> str:
    if op is _c.LITERAL:
        return chr(arg)
    if op is _c.NOT_LITERAL:
        return next(ch for ch in _PRINTABLE if ord(ch) != arg)
    if op is _c.ANY:
        return rng.choice(string.ascii_lowercase)
    if op is _c.IN:
        return _from_set(arg, rng)
    if op is _c.BRANCH:
        return _emit(rng.choice(arg[1]), rng, groups)
    if op is _c.SUBPATTERN:
        group, _add, _del, sub = arg
        text = _emit(sub, rng, groups)
        if group is not None:
            groups[group] = text
        return text
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
        low, high, sub = arg
        high = low + _MAX_REPEAT if high is _c.MAXREPEAT else high
        count = rng.randint(low, max(low, min(high, low + _MAX_REPEAT)))
        return "".join(_emit(sub, rng, groups) for _ in range(count))
    if op is _c.GROUPREF:
        return groups.get(arg, "")
    if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
        return ""
    if op is _c.CATEGORY:
        return rng.choice(_CATEGORIES.get(arg, _PRINTABLE))
    raise PatternError(f"unsupported regex construct {op}")


def _from_set(items: list[tuple[Any, Any]], rng: _Source) -> str:
    negate = bool(items) and items[0][0] is _c.NEGATE
    chosen: list[str] = []
    for op, arg in items[1:] if negate else items:
        if op is _c.LITERAL:
            chosen.append(chr(arg))
        elif op is _c.RANGE:
            low, high = arg
            chosen.extend(chr(c) for c in range(low, min(high, low + 64) + 1))
        elif op is _c.CATEGORY:
            chosen.extend(_CATEGORIES.get(arg, _PRINTABLE))
    if negate:
        allowed = [ch for ch in _PRINTABLE if ch not in set(chosen)]
        if not allowed:
            raise PatternError("negated set excludes every printable character")
        return rng.choice(allowed)
    if not chosen:
        raise PatternError("empty character set")
    return rng.choice(chosen)
