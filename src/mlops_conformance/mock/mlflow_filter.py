"""The part of MLflow's search filter language the mock understands.

``name = 'x' AND tags.team LIKE 'ml%'``: clauses joined by ``AND``, each an identifier, a comparison
(``=``, ``!=``, ``LIKE``, ``ILIKE``, ``<``, ``<=``, ``>``, ``>=``) and a quoted string or a number.
Which identifiers exist depends on what is searched; the caller passes a ``lookup`` that answers the
value an identifier has on one item (``None``: the item has none, so only ``!=`` holds) or
raises ``KeyError`` for an identifier that search does not know. A filter the mock cannot read is
``INVALID_PARAMETER_VALUE``, as MLflow answers its own parse errors.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from .mlflow_state import INVALID_PARAMETER_VALUE, MlflowError

T = TypeVar("T")
Lookup = Callable[[T, str], Any]

_CLAUSE = re.compile(
    r"""\s*(?P<ident>[A-Za-z_][\w.]*(?:\.`[^`]+`|\."[^"]+")?|`[^`]+`)\s*
        (?P<op>!=|<=|>=|=|<|>|\bILIKE\b|\bLIKE\b)\s*
        (?P<value>'(?:[^']|'')*'|"(?:[^"]|"")*"|-?\d+(?:\.\d+)?)\s*""",
    re.IGNORECASE | re.VERBOSE,
)
_AND = re.compile(r"\s+AND\s+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Clause:
    ident: str
    op: str
    value: Any


def parse(text: str | None) -> list[Clause]:
    """The clauses of a filter; an empty filter has none."""
    if text is None or not str(text).strip():
        return []
    clauses = []
    for part in _split(str(text)):
        match = _CLAUSE.fullmatch(part)
        if match is None:
            raise MlflowError(
                INVALID_PARAMETER_VALUE, f"Invalid filter '{text}': cannot parse '{part.strip()}'"
            )
        raw = match["value"]
        value: Any = raw[1:-1].replace(raw[0] * 2, raw[0]) if raw[0] in "'\"" else float(raw)
        ident = match["ident"].replace("`", "").replace('"', "")
        clauses.append(Clause(ident, match["op"].upper(), value))
    return clauses


def _split(text: str) -> list[str]:
    """The clauses between top-level ``AND``s (an ``AND`` inside quotes is text)."""
    parts, start, quote, index = [], 0, "", 0
    while index < len(text):
        char = text[index]
        found = None if quote else _AND.match(text, index)
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"`":
            quote = char
        elif found is not None:
            parts.append(text[start:index])
            start = index = found.end()
            continue
        index += 1
    parts.append(text[start:])
    return parts


def matches(item: T, clauses: list[Clause], lookup: Lookup[T]) -> bool:
    for clause in clauses:
        try:
            actual = lookup(item, clause.ident)
        except KeyError:
            raise MlflowError(
                INVALID_PARAMETER_VALUE, f"Invalid attribute key '{clause.ident}' specified."
            ) from None
        if actual is None:
            # nothing to compare: only "differs" holds (how MLflow's own clients leave prompts out of
            # model searches: ``tag.`mlflow.prompt.is_prompt` != 'true'`` keeps every untagged model)
            if clause.op != "!=":
                return False
            continue
        if not _holds(actual, clause.op, clause.value):
            return False
    return True


def _holds(actual: Any, op: str, wanted: Any) -> bool:
    if op in ("LIKE", "ILIKE"):
        pattern = "".join(".*" if c == "%" else "." if c == "_" else re.escape(c) for c in str(wanted))
        flags = re.IGNORECASE | re.DOTALL if op == "ILIKE" else re.DOTALL
        return re.fullmatch(pattern, str(actual), flags) is not None
    if isinstance(wanted, float):
        try:
            actual = float(actual)
        except (TypeError, ValueError):
            return False
    else:
        actual = str(actual)
    if op == "=":
        return bool(actual == wanted)
    if op == "!=":
        return bool(actual != wanted)
    try:
        return bool(
            {"<": actual < wanted, "<=": actual <= wanted, ">": actual > wanted, ">=": actual >= wanted}[op]
        )
    except TypeError:
        return False
