"""Split the glued ``<name><description>`` parameter cells and type what the rows say (VENDOR-DOCS §6.1).

The Domino page renders a parameter row as ``asyncModelIdId of Async Modelstringpath``: the type and
location are anchored at the end, but name and description run together. The split:

* **path** parameters: the longest ``{placeholder}`` of the operation's path that prefixes the cell.
* **query/header** parameters, first rule that applies wins:

  1. *Known name*: the longest camelCase identifier that the page mentions on its own elsewhere
     (``... if projectIdsToExclude is and vice versa``) or that is a path placeholder, when it
     prefixes the cell and what follows starts a description (a capital, or a stop word).
  2. *Stop word*: the cell's first token is ``<camelName><stop word>`` with a lower-case stop word
     (``shareIdleif the idle cost…`` -> ``shareIdle``; ``shareNamespaceslist of…``).
  3. *Known word*: the longest suffix of the first token that starts with a capital after a
     lower-case letter and occurs as a whole word in the page's prose (including descriptions
     already split by rule 1: ``projectIdsToIncludeProjectIds to get…`` -> ``projectIdsToInclude``,
     because ``ProjectIds`` opens the description of ``projectIdsToExclude``).
  4. *Capitalised word*: the first token's last capitalised word or acronym (``offsetHow`` ->
     ``offset``; ``projectIdID of…`` -> ``projectId``).

The Example column spills onto the lines after a row. One line is the parameter's example, typed to
its schema type; several lines are an enum-like list, which the docs do not declare an enum: the first
becomes the example and all are listed in the description (``Examples: number, title, …``). Literal
defaults stated in prose (``Defaults to 10.``) become the schema ``default``.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from ...errors import ExtractionError
from ..model import NO_EXAMPLE, DocIssue, Parameter, Source
from . import values
from .endpoints import RawOperation, RawParameter

STOP_WORDS = ("if", "list", "the", "whether", "when", "which")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_CAMEL_NAME = re.compile(r"^[a-z]+[A-Z][A-Za-z0-9]*$")
_PLACEHOLDER = re.compile(r"\{([^}/]+)\}")

_TYPE_SCHEMAS: dict[str, dict[str, Any]] = {
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "boolean": {"type": "boolean"},
    "number": {"type": "number"},
    "object": {"type": "object"},
    "array": {"type": "array", "x-doc-loss": ["items"]},
    "Undefined": {"x-doc-loss": ["type"]},
}


@dataclass(slots=True)
class Vocabulary:
    """What the page's prose says outside the glued first tokens."""

    names: set[str] = field(default_factory=set)  # camelCase identifiers written on their own
    words: set[str] = field(default_factory=set)  # every word written on its own


@dataclass(slots=True)
class Counts:
    parsed: int = 0


def page_vocabulary(operations: list[RawOperation]) -> Vocabulary:
    vocab = Vocabulary()
    for op in operations:
        prose = [op.summary, op.description, op.note]
        prose += [p.cell.split(None, 1)[1] for p in op.parameters if len(p.cell.split(None, 1)) == 2]
        for text in prose:
            for word in _WORD.findall(text):
                vocab.words.add(word)
                if _CAMEL_NAME.match(word):
                    vocab.names.add(word)
        vocab.names.update(_PLACEHOLDER.findall(op.path))
    return vocab


def build_parameters(
    path: str, operations: list[RawOperation], issues: list[DocIssue], counts: Counts
) -> dict[int, list[Parameter]]:
    """Parameters of every operation, keyed by the operation's method line."""
    vocab = page_vocabulary(operations)
    names: dict[tuple[int, int], tuple[str, str]] = {}
    pending: list[tuple[RawOperation, RawParameter]] = []
    for op in operations:  # path parameters and rule 1 first: their descriptions teach rule 3
        for raw in op.parameters:
            split = _path_split(path, op, raw) if raw.location == "path" else _known_name(raw.cell, vocab)
            if split is None:
                pending.append((op, raw))
                continue
            names[(op.line, raw.line)] = split
            vocab.words.update(_WORD.findall(split[1].split(None, 1)[0] if split[1] else ""))
    for op, raw in pending:
        names[(op.line, raw.line)] = _split_by_words(path, raw, vocab)
    out: dict[int, list[Parameter]] = {}
    for op in operations:
        params = out.setdefault(op.line, [])
        for raw in op.parameters:
            name, description = names[(op.line, raw.line)]
            params.append(_parameter(path, raw, name, description, issues, counts))
    return out


def _path_split(path: str, op: RawOperation, raw: RawParameter) -> tuple[str, str]:
    placeholders = sorted(_PLACEHOLDER.findall(op.path), key=len, reverse=True)
    for name in placeholders:
        if raw.cell.startswith(name):
            return name, raw.cell[len(name) :].strip()
    raise ExtractionError(
        path, raw.line, f"path parameter row {raw.cell[:40]!r} names no placeholder of {op.path}"
    )


def _starts_description(rest: str) -> bool:
    if not rest or rest[0].isupper():
        return True
    return any(
        rest.startswith(word) and (len(rest) == len(word) or not rest[len(word)].isalnum())
        for word in STOP_WORDS
    )


def _known_name(cell: str, vocab: Vocabulary) -> tuple[str, str] | None:
    for name in sorted((n for n in vocab.names if cell.startswith(n)), key=len, reverse=True):
        rest = cell[len(name) :]
        if _starts_description(rest):
            return name, rest.strip()
    return None


def _split_by_words(path: str, raw: RawParameter, vocab: Vocabulary) -> tuple[str, str]:
    cell = raw.cell
    first = cell.split(None, 1)[0]
    if " " not in cell and not any(c.isupper() for c in cell[1:]):
        return cell, ""  # a bare name with no description
    for stop in STOP_WORDS:  # rule 2
        stem = first[: -len(stop)]
        if first.endswith(stop) and len(first) > len(stop) + 1 and _CAMEL_NAME.match(stem) and " " in cell:
            return stem, cell[len(stem) :].strip()
    cuts = [
        j
        for j in range(1, len(first))
        if first[j].isupper() and (first[j - 1].islower() or first[j - 1].isdigit())
    ]
    for j in cuts:  # rule 3: longest suffix first
        if first[j:] in vocab.words:
            return cell[:j], cell[j:].strip()
    if cuts:  # rule 4: the last capitalised word (or acronym: ``projectIdID of…``)
        return cell[: cuts[-1]], cell[cuts[-1] :].strip()
    raise ExtractionError(
        path, raw.line, f"cannot tell the parameter name from its description in {cell[:60]!r}"
    )


def _parameter(
    path: str, raw: RawParameter, name: str, description: str, issues: list[DocIssue], counts: Counts
) -> Parameter:
    schema = copy.deepcopy(_TYPE_SCHEMAS[raw.type])
    kind = schema.get("type", "string")
    found, default = values.documented_default(description, kind)
    if found:
        schema["default"] = default
    example: Any = NO_EXAMPLE
    texts = [line.text for line in raw.examples]
    if texts:
        try:
            example = values.typed(texts[0], kind)
            counts.parsed += 1
        except values.Unparsed:
            message = f"example {texts[0]!r} of parameter '{name}' is not a {kind}"
            issues.append(DocIssue(Source(path, raw.examples[0].number), "example-unparsed", message))
        if len(texts) > 1:
            description = values.with_examples(description, texts)
    return Parameter(
        name=name,
        location=raw.location,
        schema=schema,
        required=raw.location == "path",
        description=description,
        example=example,
    )
