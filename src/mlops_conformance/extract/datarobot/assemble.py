"""Putting one DataRobot page together: operations, schema blocks, names, examples, placeholders."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any

from ...errors import ExtractionError
from ..model import NO_EXAMPLE, DocIssue, Document, Example, JsonSchema, SchemaDef, Source
from .blocks import Block, assemble_inline, block_schema, build_block, mark_lost_enums, segment
from .inline import inline_definitions
from .lines import OPERATION, Page, normalise
from .names import Evidence, example_evidence, nested_evidence, node_evidence, recover
from .nodes import Node, object_schema
from .operations import OperationDraft, parse_operation
from .reading import ExampleReader
from .types import ref

_LAYOUTS = ("A", "B", "C")
_AUTH_LINE = "To perform this operation"


def parse_datarobot(
    path: str,
    text: str,
    *,
    layout: str,
    title: str,
    reference_schemas: Mapping[str, SchemaDef] = {},
) -> Document:
    """Parse one DataRobot page (already decoded) into a :class:`Document`.

    ``reference_schemas`` are named schemas of the vendor's other pages, used to name blocks whose
    name this page lost (VENDOR-DOCS §8.2 step 6) and to read examples nested in them (layout C).
    """
    if layout not in _LAYOUTS:
        raise ExtractionError(path, None, f"unknown DataRobot layout {layout!r} (expected A, B or C)")
    page = normalise(path, text, layout)
    starts = [i for i, line in enumerate(page.lines) if OPERATION.match(line)]
    if not starts:
        raise ExtractionError(path, 1, "no DataRobot operation ('GET /api/v2/...') found")
    operations_end, section = _schemas_start(page, starts[-1])
    ends = [*starts[1:], operations_end]
    drafts = [parse_operation(page, start, end, title) for start, end in zip(starts, ends)]
    doc = Document(path=path, vendor="datarobot", title=title, layout=layout)
    stray: list[tuple[int, str, str]] = []
    blocks = segment(page, section, len(page.lines), stray)
    _issues(doc, page, stray)
    for block in blocks:
        build_block(page, block)
        doc.enums_lost += _block_losses(page, block)
    _name_blocks(page, doc, blocks, drafts, reference_schemas)
    reader = ExampleReader(
        page, doc, _schema_map(doc, reference_schemas, drafts), {d.name for d in doc.schemas}
    )
    for draft in drafts:
        _finish_operation(page, doc, draft, reader)
        doc.operations.append(draft.operation)
    for definition, block in zip(doc.schemas, blocks):
        if block.example is not None:
            value = reader.read(block.example, ref(definition.name))
            if value is not NO_EXAMPLE:
                definition.example = Example(value, block.example.line)
        _issues(doc, page, block.issues)
    doc.schemas.extend(_undefined(page, doc, blocks, drafts))
    return doc


def _schemas_start(page: Page, last_op: int) -> tuple[int, int]:
    """Where the operations end and the Schemas section starts (0-based indexes).

    A has a ``Schemas`` heading; B and C lost it, so the section starts after the last operation's
    auth line (and, in A without a heading, after its ``BearerAuth`` line).
    """
    lines = page.lines
    for i in range(last_op, len(lines)):
        text = lines[i].strip()
        if page.layout == "A" and text == "Schemas":
            return i, i + 1
        if text.startswith(_AUTH_LINE):
            start = i + 1
            if page.layout == "A":
                while start < len(lines) and lines[start].strip() in ("", "BearerAuth"):
                    start += 1
            return start, start
    return len(lines), len(lines)


def _block_losses(page: Page, block: Block) -> int:
    """Mark what the scrape deleted from a block and assemble its schema; returns enums lost."""
    empty = sum(1 for _, rows in block.enum_tables if not rows)
    lost, marked = mark_lost_enums(page, block.nodes, block.example)
    loss: set[str] = set()
    if empty and not marked and page.layout != "A":
        loss.add("enum")
        lost += 1
    block.schema = block_schema(block, loss)
    return lost


def _references(drafts: list[OperationDraft], blocks: list[Block]) -> dict[str, int]:
    """Every schema name the page references, with the line of its first reference."""
    found: dict[str, int] = {}

    def note(name: str, line: int) -> None:
        if name not in found or line < found[name]:
            found[name] = line

    for draft in drafts:
        for _, name, line in draft.response_names:
            note(name, line)
        if draft.body_name and draft.operation.request_body and "$ref" in draft.operation.request_body.schema:
            note(draft.body_name, draft.body_line or draft.operation.source.line)
        for inline in draft.inline:
            _node_refs(inline.nodes, note)
    for block in blocks:
        _node_refs(block.nodes, note)
    return found


def _node_refs(nodes: list[Node], note: Any) -> None:
    for top in nodes:
        for node in top.walk():
            for name in node.info.refs:
                note(name, node.row.line)


def _name_blocks(
    page: Page,
    doc: Document,
    blocks: list[Block],
    drafts: list[OperationDraft],
    reference_schemas: Mapping[str, SchemaDef],
) -> None:
    stem = PurePosixPath(page.path).stem.replace("-", "_")
    names: list[str | None] = [block.name for block in blocks]
    kinds: list[str | None] = [None] * len(blocks)
    if page.layout != "A":
        evidence = Evidence()
        for draft in drafts:
            for status, name, _ in draft.response_names:
                example_evidence(name, draft.response_examples.get(status), evidence)
            example_evidence(draft.body_name, draft.body_example, evidence)
            for inline in draft.inline:
                node_evidence(inline.nodes, evidence)
        for block in blocks:
            node_evidence(block.nodes, evidence)
            nested_evidence(block, page.layout, evidence)
        naming = recover(blocks, _references(drafts, blocks), evidence, reference_schemas)
        names, kinds = naming.names, naming.kinds
    seen: set[str] = set()
    for block, found, kind in zip(blocks, names, kinds):
        name = found or ""
        if not name or name in seen:
            if name in seen:
                doc.issues.append(
                    DocIssue(Source(page.path, block.line), "disagreement", f"schema {name} defined twice")
                )
            name = f"Unnamed_{stem}_L{block.line}"
            kind = None
            doc.issues.append(
                DocIssue(
                    Source(page.path, block.line),
                    "unnamed-schema",
                    "schema block whose name the scrape lost and the page does not prove",
                )
            )
        seen.add(name)
        assert block.schema is not None
        doc.schemas.append(
            SchemaDef(name=name, schema=block.schema, source=Source(page.path, block.line), recovered=kind)
        )


def _undefined(
    page: Page, doc: Document, blocks: list[Block], drafts: list[OperationDraft]
) -> list[SchemaDef]:
    """Referenced names without a block on this page (001 is truncated), in name order.

    An inline response tree that lists a name's properties defines it; any other such name is a
    placeholder that accepts anything.
    """
    defined = {definition.name for definition in doc.schemas}
    found = _references(drafts, blocks)
    documented, issues = inline_definitions(page, drafts)
    _issues(doc, page, issues)
    return [
        documented.get(name)
        or SchemaDef(name=name, schema={}, source=Source(page.path, found[name]), placeholder=True)
        for name in sorted(found)
        if name not in defined
    ]


def _schema_map(
    doc: Document, reference_schemas: Mapping[str, SchemaDef], drafts: list[OperationDraft]
) -> dict[str, JsonSchema]:
    """Schemas by name for reading C examples: this page's blocks, then other pages' schemas,
    then the shapes the page's inline response trees give for names whose blocks were cut off."""
    schemas: dict[str, JsonSchema] = {}
    for draft in drafts:
        for inline in draft.inline:
            for top in inline.nodes:
                for node in top.walk():
                    if len(node.info.refs) == 1 and node.children:
                        shape = object_schema(node.children, [])
                        schemas.setdefault(node.info.refs[0], shape)
    schemas.update({name: d.schema for name, d in reference_schemas.items() if not d.placeholder})
    schemas.update({d.name: d.schema for d in doc.schemas})
    return schemas


def _finish_operation(page: Page, doc: Document, draft: OperationDraft, reader: ExampleReader) -> None:
    op = draft.operation
    responses = {response.status: response for response in op.responses}
    for inline in draft.inline:
        issues: list[tuple[int, str, str]] = []
        lost, marked = mark_lost_enums(page, inline.nodes, draft.response_examples.get(inline.status))
        if inline.empty_enum_tables and not marked:
            next(iter(inline.nodes)).loss.add("enum")
            lost += 1
        doc.enums_lost += lost
        schema = assemble_inline(inline.nodes, issues)
        _issues(doc, page, issues)
        response = responses.get(inline.status)
        if response is None:
            doc.issues.append(
                DocIssue(
                    Source(page.path, inline.line),
                    "disagreement",
                    f"inline schema for undocumented {inline.status}",
                )
            )
            continue
        response.schema = schema
    body = op.request_body
    if body is not None and draft.body_example is not None:
        value = reader.read(draft.body_example, body.schema)
        if value is not NO_EXAMPLE:
            body.example = Example(value, draft.body_example.line)
    for status, raw in draft.response_examples.items():
        response = responses.get(status)
        if response is None:
            continue
        value = reader.read(raw, response.schema)
        if value is not NO_EXAMPLE:
            response.example = Example(value, raw.line)
    _issues(doc, page, draft.issues)


def _issues(doc: Document, page: Page, issues: list[tuple[int, str, str]]) -> None:
    for line, kind, message in issues:
        doc.issues.append(DocIssue(Source(page.path, line), kind, message))
