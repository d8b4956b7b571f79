"""Typing the page's example and default texts to the JSON type of the thing they describe.

The page prints every value as bare text (``2``, ``false``, ``MyTag``); a contract example must be a
JSON value of the declared type, or the writer's example validation reports a documentation bug
that the scrape, not the vendor, introduced.
"""

from __future__ import annotations

import re
from typing import Any

from ..model import DocIssue, Source

_INTEGER = re.compile(r"^-?\d+$")
_NUMBER = re.compile(r"^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$")
_OBJECT_ID = re.compile(r"^(?:[0-9a-f]{24})+$")
#: ``Defaults to 0.``, ``Defaults to "number".``, ``Default is false.``: only literal values count,
#: so prose such as ``Defaults to head commitId for the project`` never becomes a default.
_DEFAULT = re.compile(
    r"\bDefaults? (?:to|is) (?:\"([^\"]*)\"|'([^']*)'|(-?\d+(?:\.\d+)?)(?![\w.]*\w)|(true|false|True|False)\b)"
)

#: Placeholder text of a JavaScript object rendered as a string; it documents nothing.
JS_OBJECT = "[object Object]"


class Unparsed(Exception):
    """The text is not a value of the requested type."""


def typed(text: str, kind: str) -> Any:
    """Convert ``text`` to a value of JSON type ``kind`` ("string", "integer", ...); raise Unparsed."""
    text = text.strip()
    if kind == "integer":
        if _INTEGER.match(text):
            return int(text)
        raise Unparsed(text)
    if kind == "number":
        if _INTEGER.match(text):
            return int(text)
        if _NUMBER.match(text):
            return float(text)
        raise Unparsed(text)
    if kind == "boolean":
        if text.lower() in ("true", "false"):
            return text.lower() == "true"
        raise Unparsed(text)
    if kind == "array":
        return split_object_ids(text)
    if kind == "object":
        raise Unparsed(text)
    return text


def split_object_ids(text: str) -> list[str]:
    """One list example; the page glued list items together, recoverable only for 24-hex object ids.

    ``6231327c7a0af0281c01a69b623132867a0af0281c01a69c`` -> the two ids it is made of.
    """
    if _OBJECT_ID.match(text) and len(text) > 24:
        return [text[i : i + 24] for i in range(0, len(text), 24)]
    return [text]


def js_object_issue(path: str, line: int, where: str) -> DocIssue:
    return DocIssue(Source(path, line), "example-unparsed", f"{where}: '{JS_OBJECT}' dropped")


def with_examples(description: str, texts: list[str]) -> str:
    """List enum-like example values in the description, since the page does not declare them an enum."""
    listing = f"Examples: {', '.join(texts)}."
    return f"{description}\n\n{listing}" if description else listing


def documented_default(description: str, kind: str) -> tuple[bool, Any]:
    """The default a description states as a literal (``Defaults to 10.``), typed; (False, None) if none."""
    match = _DEFAULT.search(description)
    if not match:
        return False, None
    quoted = match.group(1) if match.group(1) is not None else match.group(2)
    if quoted is not None:
        return (True, quoted) if kind == "string" else (False, None)
    literal = match.group(3) or match.group(4)
    if kind == "string":
        return False, None
    try:
        return True, typed(literal, kind)
    except Unparsed:
        return False, None
