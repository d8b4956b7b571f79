"""Read the fields of a Domino object model (VENDOR-DOCS.md §6.2).

An object model is a column of lines: for each field, its name, then a *type line* (``String`` and
the description glued to it, a model name, or ``List of <x>`` with the description on the next
line), then example lines. Fields whose type was a link lost their type line entirely, leaving a bare
name (44 fields, all arrays of models). So:

* **anchors** are name lines followed by a type line; they are certain;
* the lines between two anchors are, in order, [the description of a ``List of`` field] [examples of
  the anchored field] [lost-type fields, each optionally followed by its description];
* a bare camelCase line is a **lost-type field** only if it sorts (ASCII) strictly after the previous
  field and strictly before the next anchor — fields are ASCII-sorted in every model — and the field
  it follows cannot own it as an example: a number or model field never has an identifier-like
  example, a Boolean field only ``true``/``false``, and for a String field a plural name wins (lost
  fields are arrays). So ``ProjectResultsSettingsV1`` reads ``branch`` with the examples
  ``isolated`` and ``main``, and ``JobLogsV1.logContent`` after the Boolean ``isComplete`` is a field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import DocIssue, Source
from .sections import Line
from .words import FIELD_NAME, is_field_candidate, is_plural

PRIMITIVES = ("String", "Integer", "Number", "Double", "Boolean", "Object")
LIST_ITEMS = ("string", "object", "integer", "number", "boolean")
_PRIMITIVE_LINE = re.compile(r"^(String|Integer|Number|Double|Boolean|Object)(.*)$")
_LIST_LINE = re.compile(r"^List of (\w+)$")
#: Owners whose identifier-like lines can be examples (strings, lists of strings).
_TEXTUAL = {("primitive", "String"), ("list", "string")}


@dataclass(slots=True)
class FieldRead:
    name: str
    line: int
    kind: str  # "primitive" | "ref" | "list" | "lost"
    type: str = ""  # "String"..., a model name, or a list item type
    description: str = ""
    examples: list[Line] = field(default_factory=list)

    def takes_identifier_examples(self) -> bool:
        return (self.kind, self.type) in _TEXTUAL


class TypeLines:
    """Recognises type lines; model names are tried longest first (``CostAssetsV1Window`` before ``CostAssetsV1``)."""

    def __init__(self, model_names: set[str]) -> None:
        self.names = model_names
        longest_first = sorted(model_names, key=lambda n: (-len(n), n))
        # an alternation is tried left to right, so the first (longest) matching name wins
        self._model = re.compile("|".join(map(re.escape, longest_first))) if longest_first else None

    def parse(self, text: str) -> tuple[str, str, str] | None:
        """(kind, type, inline description) or None when ``text`` is not a type line."""
        listed = _LIST_LINE.match(text)
        if listed:
            item = listed.group(1)
            return ("list", item, "") if item in LIST_ITEMS or item in self.names else None
        if text.startswith("List of "):
            return None
        model = self._model.match(text) if self._model else None
        if model:
            return "ref", model.group(0), text[model.end() :].strip()
        primitive = _PRIMITIVE_LINE.match(text)
        if primitive:
            return "primitive", primitive.group(1), primitive.group(2).strip()
        return None


def read_fields(
    path: str, model: str, body: list[Line], types: TypeLines, issues: list[DocIssue]
) -> list[FieldRead]:
    """The fields of one object model, in page order (``body``: its non-blank lines after the header)."""
    anchors = [
        k
        for k in range(len(body) - 1)
        if FIELD_NAME.match(body[k].text) and types.parse(body[k + 1].text) is not None
    ]
    out: list[FieldRead] = []
    first = anchors[0] if anchors else len(body)
    _read_tail(path, model, None, body[:first], "", _name_at(body, anchors, 0), out, issues)
    for j, k in enumerate(anchors):
        kind, type_, description = types.parse(body[k + 1].text)  # type: ignore[misc]
        owner = FieldRead(body[k].text, body[k].number, kind, type_, description)
        out.append(owner)
        end = anchors[j + 1] if j + 1 < len(anchors) else len(body)
        _read_tail(
            path, model, owner, body[k + 2 : end], owner.name, _name_at(body, anchors, j + 1), out, issues
        )
    return out


def _name_at(body: list[Line], anchors: list[int], j: int) -> str | None:
    return body[anchors[j]].text if j < len(anchors) else None


def _read_tail(
    path: str,
    model: str,
    owner: FieldRead | None,
    tail: list[Line],
    lower: str,
    upper: str | None,
    out: list[FieldRead],
    issues: list[DocIssue],
) -> None:
    """Distribute the lines after a field's type line (or before the first anchor) as in the module doc."""
    current = owner
    i = 0
    if owner is not None and owner.kind == "list" and tail and _is_prose(tail[0].text):
        owner.description = tail[0].text
        i = 1
    while i < len(tail):
        line = tail[i]
        if _is_lost_field(line.text, lower, upper, current):
            lost = FieldRead(line.text, line.number, "lost")
            out.append(lost)
            lower, current = line.text, lost
            if i + 1 < len(tail) and _is_prose(tail[i + 1].text):
                lost.description = tail[i + 1].text
                i += 1
        elif current is not None and current.kind in ("primitive", "list"):
            current.examples.append(line)
        else:
            where = f"field '{current.name}'" if current else "the field list"
            issues.append(
                DocIssue(
                    Source(path, line.number),
                    "unplaced-line",
                    f"{model}: line {line.text[:40]!r} after {where} ignored",
                )
            )
        i += 1


def _is_prose(text: str) -> bool:
    return any(c.isspace() for c in text)


def _is_lost_field(text: str, lower: str, upper: str | None, current: FieldRead | None) -> bool:
    if not is_field_candidate(text) or not (lower < text and (upper is None or text < upper)):
        return False
    if current is None or current.kind == "lost":
        return True
    if (current.kind, current.type) == ("primitive", "Boolean"):
        return text not in ("true", "false")
    return not current.takes_identifier_examples() or is_plural(text)
