"""The Schemas section: cutting it into blocks and turning each block into a JSON Schema object.

In A every block starts with its name line. In B and C the names are gone (one-token lines), so a
block starts at each example run (VENDOR-DOCS §8.2 step 1); the description paragraph, the property
tables, the alternative tables and the enum tables that follow belong to it. The combinator markers
are gone too: a table of ``» anonymous`` rows lists alternatives of the last property read, and any
ordinary table after it is the ``continued`` part of the same block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...errors import ExtractionError
from ..model import JsonSchema
from .examples import RawExample
from .lines import Page
from .nodes import (
    Node,
    assemble,
    attach_enum,
    build_tree,
    find,
    is_alternative_table,
    make_node,
    object_schema,
)
from .tables import EnumRow, PropRow, read_table, table_kind

MARKERS = {
    "oneOf": "oneOf",
    "xor": "oneOf",
    "anyOf": "anyOf",
    "or": "anyOf",
    "allOf": "allOf",
    "and": "allOf",
}
_OPENING_MARKERS = ("oneOf", "anyOf", "allOf")
_NAME_LINE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_HEADINGS = frozenset({"Properties", "Schemas", "Enumerated Values"})
_JSON_B = re.compile(r'^\s+"')
_CAPS = re.compile(r"^[A-Z][A-Z0-9_]+$")
_KEY_VALUE = re.compile(r'^\s*"([^"]+)": "([^"]*)",?$')


@dataclass(slots=True)
class Block:
    """One schema block as read; ``nodes`` and ``schema`` are filled by :func:`build_block`."""

    line: int
    name: str | None = None
    example: RawExample | None = None
    description: list[str] = field(default_factory=list)
    tables: list[tuple[str | None, list[PropRow]]] = field(default_factory=list)
    enum_tables: list[tuple[int, list[EnumRow]]] = field(default_factory=list)
    nodes: list[Node] = field(default_factory=list)
    issues: list[tuple[int, str, str]] = field(default_factory=list)
    #: The assembled JSON Schema (set once the block is built).
    schema: JsonSchema | None = None

    @property
    def keys(self) -> list[str]:
        """Top-level property names in table order."""
        return [node.name for node in self.nodes]

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.description).split())


def _is_json(page: Page, line: str) -> bool:
    if page.layout == "C":
        return line.startswith('"')
    if page.layout == "B":
        return bool(_JSON_B.match(line))
    return line.startswith(("{", "[", '"'))


def segment(page: Page, start: int, end: int, issues: list[tuple[int, str, str]]) -> list[Block]:
    """Cut lines ``start..end`` (the Schemas section) into blocks.

    Text that belongs to no block (before the first one, or after a block's tables) is reported in
    ``issues`` rather than attached to a neighbour: a page footer must never become a description.
    """
    lines = page.lines
    blocks: list[Block] = []
    current: Block | None = None
    marker: str | None = None
    i = start
    while i < end:
        raw = lines[i]
        text = raw.strip()
        kind = table_kind(text) if text else None
        if not text or text in _HEADINGS:
            i += 1
        elif page.layout == "A" and (text in MARKERS or text == "continued"):
            marker = text
            i += 1
        elif page.layout == "A" and _NAME_LINE.match(text):
            current = Block(line=i + 1, name=text)
            blocks.append(current)
            marker = None
            i += 1
        elif kind == "prop":
            if current is None or current.enum_tables:
                current = Block(line=i + 1)
                blocks.append(current)
            prop_rows, i = read_table(page, i, kind)
            current.tables.append((marker, [row for row in prop_rows if isinstance(row, PropRow)]))
            marker = None
        elif kind == "enum":
            if current is None:
                raise ExtractionError(page.path, i + 1, "enum table outside any schema block")
            header = i + 1
            enum_rows, i = read_table(page, i, kind)
            current.enum_tables.append((header, [row for row in enum_rows if isinstance(row, EnumRow)]))
        elif kind is not None:
            raise ExtractionError(page.path, i + 1, f"unexpected {kind} table in the Schemas section")
        elif _is_json(page, raw) and (
            page.layout != "A" or (current is not None and current.example is None)
        ):
            if current is None or page.layout != "A":
                current = Block(line=i + 1)
                blocks.append(current)
            first = i
            while i < end and _continues_example(page, lines[i]):
                i += 1
            current.example = RawExample(list(lines[first:i]), first + 1)
        elif current is not None and not current.tables:
            current.description.append(text)
            i += 1
        else:
            issues.append((i + 1, "stray-text", f"text outside any schema table: {text[:60]!r}"))
            i += 1
    return blocks


def _continues_example(page: Page, line: str) -> bool:
    text = line.strip()
    if not text or table_kind(text) is not None:
        return False
    return page.layout == "A" or _is_json(page, line)


def build_block(page: Page, block: Block) -> None:
    """Nest the block's rows into nodes: alternatives under their property, enums on theirs."""
    nodes: list[Node] = []
    for marker, rows in block.tables:
        if is_alternative_table(rows):
            if not nodes:
                raise ExtractionError(
                    page.path, rows[0].line, "alternatives ('» anonymous') without a property"
                )
            target = nodes[-1]
            if marker in MARKERS:
                kind = MARKERS[marker]
            else:
                kind = target.info.item_combinator or "anyOf"
                if page.layout != "A" and not target.info.item_combinator:
                    # oneOf and anyOf print alike once the markers are gone (VENDOR-DOCS §4).
                    target.loss.add("combinator")
            if target.combinator is None or (marker in _OPENING_MARKERS and not target.alternatives):
                target.combinator = kind
            for row in rows:
                target.alternatives.append(make_node(page.path, row))
        else:
            nodes.extend(build_tree(page.path, rows))
    block.nodes = nodes
    for _, enum_rows in block.enum_tables:
        for enum_row in enum_rows:
            matches = find(nodes, enum_row.name)
            if not matches:
                block.issues.append(
                    (enum_row.line, "enum-orphan", f"enum for unknown property {enum_row.name!r}")
                )
            for node in matches:
                attach_enum(node, enum_row.values, enum_row.line)


def mark_lost_enums(page: Page, nodes: list[Node], example: RawExample | None) -> tuple[int, bool]:
    """Mark enums the scrape deleted (VENDOR-DOCS §2.2); returns (count, whether any node was marked).

    Upper-case enum rows were deleted in the lossy pages, so a string property without enum whose
    example value is ALL-CAPS lost its enum. In B only top-level example lines (indent 2) count.
    """
    if page.layout == "A" or example is None:
        return 0, False
    caps: dict[str, str] = {}
    for line in example.lines:
        if page.layout == "B" and not (line.startswith('  "') and not line.startswith("   ")):
            continue
        match = _KEY_VALUE.match(line)
        if match and _CAPS.match(match[2]):
            caps.setdefault(match[1], match[2])
    count = 0
    candidates = nodes if page.layout == "B" else [n for node in nodes for n in node.walk()]
    for node in candidates:
        if (
            node.enum is None
            and node.name in caps
            and _is_string(node.info.schema)
            and "enum" not in node.loss
        ):
            node.loss.add("enum")
            count += 1
    return count, count > 0


def _is_string(schema: JsonSchema) -> bool:
    kind = schema.get("type")
    return kind == "string" or (isinstance(kind, list) and "string" in kind)


def block_schema(block: Block, loss: set[str]) -> JsonSchema:
    """The block as a JSON Schema object (properties, required, description, x-doc-loss).

    A block without any property table (001's last block, cut off by the truncation) says nothing
    about its properties; it is marked rather than turned into an object with none.
    """
    if not block.tables:
        loss = loss | {"properties"}
        schema: JsonSchema = {"type": "object"} if block.example is not None else {}
    else:
        schema = object_schema(block.nodes, block.issues)
    if block.text:
        schema = {"description": block.text, **schema}
    if loss:
        schema["x-doc-loss"] = sorted(loss)
    return schema


def assemble_inline(nodes: list[Node], issues: list[tuple[int, str, str]]) -> JsonSchema:
    """An inline ``Response Schema`` tree: its root is the ``anonymous`` row."""
    root = nodes[0]
    schema = assemble(root, issues)
    schema.pop("description", None)
    return schema
