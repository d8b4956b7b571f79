"""The ``Models`` section: model blocks -> JSON Schema components (VENDOR-DOCS.md §6.2).

A block is a name line followed by one of two headers. ``Field NameRequiredTypeDescriptionExample``
opens an object model (its fields: see ``fields``; lost item models: see ``items``);
``TypeDescriptionExampleFormat`` opens a scalar model (see ``scalars``).

Nothing is ever ``required``: the Required column is empty in all 533 fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from ...errors import ExtractionError
from ..model import DocIssue, SchemaDef, Source
from . import values
from .fields import FieldRead, TypeLines, read_fields
from .items import guess_item
from .scalars import scalar_schema
from .sections import MODEL_HEADERS, OBJECT_HEADER, Line
from .words import IDENTIFIER

REF = "#/components/schemas/"
_PRIMITIVE_SCHEMAS: dict[str, dict[str, Any]] = {
    "String": {"type": "string"},
    "Integer": {"type": "integer"},
    "Number": {"type": "number"},
    "Double": {"type": "number", "format": "double"},
    "Boolean": {"type": "boolean"},
    "Object": {"type": "object"},
}


@dataclass(slots=True)
class ModelBlock:
    name: str
    line: int
    header: str
    body: list[Line]  # every line after the header, blanks included, up to the next block


@dataclass(slots=True)
class ModelsRead:
    schemas: list[SchemaDef]
    referenced: set[str]  # models named as a field type (documented, not guessed)
    examples_parsed: int = 0


def model_blocks(path: str, lines: list[Line], last_line: int) -> list[ModelBlock]:
    text = [i for i, line in enumerate(lines) if line.text.strip()]
    starts = [
        (i, j)
        for i, j in pairwise(text)
        if lines[j].text.strip() in MODEL_HEADERS and IDENTIFIER.match(lines[i].text.strip())
    ]
    if not starts:
        raise ExtractionError(path, last_line, "the Models section holds no model: the page is truncated")
    if text[0] != starts[0][0]:
        first = lines[text[0]]
        raise ExtractionError(path, first.number, f"expected a model name, found {first.text.strip()[:60]!r}")
    blocks = []
    for n, (name_at, header_at) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        blocks.append(
            ModelBlock(
                lines[name_at].text.strip(),
                lines[name_at].number,
                lines[header_at].text.strip(),
                lines[header_at + 1 : end],
            )
        )
    _check_not_truncated(path, blocks[-1], last_line)
    return blocks


def _check_not_truncated(path: str, block: ModelBlock, last_line: int) -> None:
    """The last block must be whole: an object model has fields and no blank line inside them.

    Object blocks never contain a blank line; text after one in the last block is the next model's
    name, cut off before its table header. (An empty scalar block is legitimate: ``PaginatedMetadataV1``.)
    """
    if block.header != OBJECT_HEADER:
        return
    seen_content = seen_gap = False
    for line in block.body:
        if not line.text.strip():
            seen_gap = seen_content
        elif seen_gap:
            raise ExtractionError(
                path, line.number, f"the page ends after {line.text.strip()[:40]!r} without its model table"
            )
        else:
            seen_content = True
    if not seen_content:
        raise ExtractionError(path, last_line, f"the page ends inside model {block.name} (line {block.line})")


def read_models(path: str, blocks: list[ModelBlock], issues: list[DocIssue]) -> ModelsRead:
    names = {b.name for b in blocks}
    duplicates = sorted({b.name for b in blocks if [c.name for c in blocks].count(b.name) > 1})
    if duplicates:
        dup = next(b for b in blocks if b.name == duplicates[0])
        raise ExtractionError(path, dup.line, f"model {duplicates[0]} is defined twice")
    types = TypeLines(names)
    result = ModelsRead([], set())
    for block in blocks:
        source = Source(path, block.line)
        if block.header == OBJECT_HEADER:
            body = [Line(line.number, line.text.strip()) for line in block.body if line.text.strip()]
            fields = read_fields(path, block.name, body, types, issues)
            schema = _object_schema(path, block.name, fields, names, result, issues)
            result.schemas.append(SchemaDef(block.name, schema, source))
        else:
            schema, example = scalar_schema(path, block.name, block.body, issues)
            result.examples_parsed += example is not None
            result.schemas.append(SchemaDef(block.name, schema, source, example=example))
    return result


def _object_schema(
    path: str,
    model: str,
    fields: list[FieldRead],
    names: set[str],
    result: ModelsRead,
    issues: list[DocIssue],
) -> dict[str, Any]:
    lost = sum(1 for f in fields if f.kind == "lost")
    properties: dict[str, Any] = {}
    for f in fields:
        if f.name in properties:
            raise ExtractionError(path, f.line, f"field '{f.name}' appears twice in model {model}")
        prop = _field_type(model, f, lost, names, result)
        _describe(path, model, f, prop, result, issues)
        properties[f.name] = prop
    return {"type": "object", "properties": properties}


def _field_type(model: str, f: FieldRead, lost: int, names: set[str], result: ModelsRead) -> dict[str, Any]:
    if f.kind == "primitive":
        return dict(_PRIMITIVE_SCHEMAS[f.type])
    if f.kind == "ref":
        result.referenced.add(f.type)
        return {"$ref": REF + f.type}
    if f.kind == "list":
        if f.type in names:
            result.referenced.add(f.type)
            return {"type": "array", "items": {"$ref": REF + f.type}}
        return {"type": "array", "items": {"type": f.type}}
    guess = guess_item(model, f.name, lost, names)
    if guess:
        return {"type": "array", "items": {"$ref": REF + guess[0]}, "x-inferred": guess[1]}
    return {"type": "array", "x-doc-loss": ["items"]}


def _describe(
    path: str, model: str, f: FieldRead, prop: dict[str, Any], result: ModelsRead, issues: list[DocIssue]
) -> None:
    """Attach description, literal default and example(s) to a property schema."""
    description = f.description
    kind = prop.get("type") if "$ref" not in prop else None
    texts = _example_texts(path, model, f, issues)
    if kind and texts:
        try:
            if kind == "array":
                if prop.get("items", {}).get("type") != "string":
                    raise values.Unparsed(texts[0])
                prop["example"] = [item for text in texts for item in values.split_object_ids(text)]
            else:
                prop["example"] = values.typed(texts[0], kind)
                if len(texts) > 1:
                    description = values.with_examples(description, texts)
            result.examples_parsed += 1
        except values.Unparsed:
            prop.pop("example", None)
            line = f.examples[0].number
            issues.append(
                DocIssue(
                    Source(path, line),
                    "example-unparsed",
                    f"{model}.{f.name}: example {texts[0]!r} is not a {kind}",
                )
            )
    if description:
        prop["description"] = description
    if kind and kind != "array":
        found, default = values.documented_default(description, kind)
        if found:
            prop["default"] = default


def _example_texts(path: str, model: str, f: FieldRead, issues: list[DocIssue]) -> list[str]:
    """Example lines as values: ``a | b | c`` lists alternatives; ``[object Object]`` is dropped."""
    texts: list[str] = []
    for line in f.examples:
        if line.text == values.JS_OBJECT:
            issues.append(values.js_object_issue(path, line.number, f"{model}.{f.name}"))
            continue
        texts.extend(part.strip() for part in line.text.split(" | ") if part.strip())
    return texts
