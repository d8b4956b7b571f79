"""Scalar Domino models (header ``TypeDescriptionExampleFormat``): enums, maps and an empty block.

The block's blank-line-separated paragraphs are: the base type, the description, the values. When a
single paragraph follows the base type, several lines are values (``GitReferenceTypeV1``: head,
branch, tag, commit) and one line is the description. String values on several lines are an
``enum``, kept in the documented case (errata belong in the overlay). One value line is an example;
``a | b | c`` on it lists alternatives (``EnvironmentRevisionSpecV1``), which go to the description.
An ``object`` base type is a map (``DatasetRwTagsV1``: "A map of tagName -> snapshotId"). An empty
block (``PaginatedMetadataV1``) is an object whose properties the page lost.
"""

from __future__ import annotations

from typing import Any

from ...errors import ExtractionError
from ..model import DocIssue, Example, Source
from . import values
from .sections import Line

BASE_TYPES = ("string", "integer", "number", "boolean", "object", "array")


def scalar_schema(
    path: str, name: str, body: list[Line], issues: list[DocIssue]
) -> tuple[dict[str, Any], Example | None]:
    """The schema and documented example of one scalar block (``body``: the lines after its header)."""
    paragraphs = _paragraphs(body)
    if not paragraphs:
        return {"type": "object", "x-doc-loss": ["properties"]}, None
    base = paragraphs[0]
    if len(base) != 1 or base[0].text not in BASE_TYPES:
        seen = base[0].text[:40]
        raise ExtractionError(
            path,
            base[0].number,
            f"model {name}: expected a base type ({', '.join(BASE_TYPES)}), found {seen!r}",
        )
    kind = base[0].text
    description, value_lines = _description_and_values(paragraphs[1:])
    schema: dict[str, Any] = {"type": kind}
    if description:
        schema["description"] = description
    if kind == "object":
        schema["additionalProperties"] = True
    kept = []
    for line in value_lines:
        if line.text == values.JS_OBJECT:
            issues.append(values.js_object_issue(path, line.number, name))
        else:
            kept.append(line)
    example = None
    if kind == "string" and len(kept) > 1:
        schema["enum"] = [line.text for line in kept]
    elif kept:
        example = _example(path, name, kind, kept[0], schema, description, issues)
    found, default = values.documented_default(description, kind)
    if found:
        schema["default"] = default
    return schema, example


def _paragraphs(body: list[Line]) -> list[list[Line]]:
    paragraphs: list[list[Line]] = [[]]
    for line in body:
        if line.text.strip():
            paragraphs[-1].append(Line(line.number, line.text.strip()))
        elif paragraphs[-1]:
            paragraphs.append([])
    return [p for p in paragraphs if p]


def _description_and_values(rest: list[list[Line]]) -> tuple[str, list[Line]]:
    if not rest:
        return "", []
    if len(rest) == 1:
        return (rest[0][0].text, []) if len(rest[0]) == 1 else ("", rest[0])
    return " ".join(line.text for line in rest[0]), [line for p in rest[1:] for line in p]


def _example(
    path: str,
    name: str,
    kind: str,
    line: Line,
    schema: dict[str, Any],
    description: str,
    issues: list[DocIssue],
) -> Example | None:
    alternatives = [part.strip() for part in line.text.split(" | ") if part.strip()]
    if len(alternatives) > 1:
        schema["description"] = values.with_examples(description, alternatives)
    try:
        return Example(values.typed(alternatives[0], kind), line.number)
    except values.Unparsed:
        message = f"{name}: example {line.text!r} is not a {kind}"
        issues.append(DocIssue(Source(path, line.number), "example-unparsed", message))
        return None
