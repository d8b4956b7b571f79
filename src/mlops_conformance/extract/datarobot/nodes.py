"""Property rows to JSON Schema: nesting by ``»`` depth, combinator alternatives, enums, restrictions.

A property table is flat text; its structure comes from three conventions of the generator:
``»`` depth (a row at depth d belongs to the nearest preceding row at depth d-1), alternative
tables (one ``» anonymous X`` row each, following an ``any`` or ``[oneOf]`` property), and enum
tables that name a property without saying where it sits. Nodes keep the rows' facts until the
whole block is read, then turn into schemas in one pass.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ...errors import ExtractionError
from ..model import JsonSchema
from .tables import PropRow
from .types import TypeInfo, TypeSyntaxError, coerce_enum, enum_values, parse_restrictions, parse_type

DEPRECATED_MARK = "[DEPRECATED"


@dataclass(slots=True)
class Node:
    """One property (or one alternative) and everything the page says about it."""

    row: PropRow
    info: TypeInfo
    children: list[Node] = field(default_factory=list)
    alternatives: list[Node] = field(default_factory=list)
    combinator: str | None = None
    enum: list[str] | None = None
    enum_line: int = 0
    loss: set[str] = field(default_factory=set)

    @property
    def name(self) -> str:
        return self.row.name

    def walk(self) -> Iterator[Node]:
        """This node and all nodes below it, depth first, in table order."""
        yield self
        for child in self.children:
            yield from child.walk()
        for alt in self.alternatives:
            yield from alt.walk()


def make_node(path: str, row: PropRow) -> Node:
    try:
        return Node(row, parse_type(row.type))
    except TypeSyntaxError as exc:
        raise ExtractionError(path, row.line, f"{exc} for property {row.name!r}") from None


def build_tree(path: str, rows: list[PropRow]) -> list[Node]:
    """Nest rows by ``»`` depth; returns the rows at the shallowest depth as roots.

    An inline response table (001) has one root, its ``anonymous`` row; a schema table has many.
    """
    roots: list[Node] = []
    stack: list[Node] = []
    base = min((row.depth for row in rows), default=0)
    for row in rows:
        node = make_node(path, row)
        depth = row.depth - base
        del stack[depth:]
        if depth == 0:
            roots.append(node)
        elif stack:
            stack[-1].children.append(node)
        else:
            raise ExtractionError(path, row.line, f"property {row.name!r} is nested ('»') under nothing")
        stack.append(node)
    return roots


def is_alternative_table(rows: list[PropRow]) -> bool:
    """A table of only ``» anonymous`` rows lists the alternatives of the preceding property."""
    return bool(rows) and all(row.depth >= 1 and row.name == "anonymous" for row in rows)


def find(nodes: list[Node], name: str) -> list[Node]:
    """Nodes with a property name: the top level first, then anywhere below, in table order."""
    top = [node for node in nodes if node.name == name]
    if top:
        return top
    return [
        n for node in nodes for n in node.walk() if n is not node and n.name == name and n.name != "anonymous"
    ]


def attach_enum(node: Node, cell: str, line: int) -> None:
    node.enum = enum_values(cell)
    node.enum_line = line


def assemble(node: Node, issues: list[tuple[int, str, str]]) -> JsonSchema:
    """The JSON Schema of a node; ``issues`` collects (line, kind, message) for the caller."""
    info = node.info
    schema: JsonSchema = dict(info.schema)
    if "items" in schema:
        schema["items"] = dict(schema["items"])
    if node.children:
        obj = object_schema(node.children, issues)
        if info.is_array:
            schema["items"] = obj
        else:
            if info.nullable:
                obj = {**obj, "type": ["object", "null"]}
            schema = obj
    if node.alternatives:
        kind = node.combinator or info.item_combinator or "anyOf"
        alternatives = [assemble(alt, issues) for alt in node.alternatives]
        if info.item_combinator and "items" in schema:
            schema["items"] = {kind: alternatives}
        else:
            schema[kind] = alternatives
    keywords, conflicts = parse_restrictions(node.row.restrictions)
    for conflict in conflicts:
        issues.append((node.row.line, "disagreement", f"{node.name}: conflicting restrictions {conflict}"))
    schema.update(keywords)
    if node.enum is not None:
        _apply_enum(node, schema, issues)
    description = node.row.description.strip()
    if description and description != "none":
        schema["description"] = description
        if DEPRECATED_MARK in description:
            schema["deprecated"] = True
    if node.loss:
        schema["x-doc-loss"] = sorted(node.loss)
    return schema


def _apply_enum(node: Node, schema: JsonSchema, issues: list[tuple[int, str, str]]) -> None:
    target = schema["items"] if isinstance(schema.get("items"), dict) else schema
    values, dropped = coerce_enum(node.enum or [], target)
    if dropped:
        issues.append(
            (
                node.enum_line,
                "enum-null",
                f"{node.name}: enum lists {', '.join(dropped)} but the type does not allow null; value dropped",
            )
        )
    if values:
        target["enum"] = values


def object_schema(nodes: list[Node], issues: list[tuple[int, str, str]]) -> JsonSchema:
    """An object whose properties are ``nodes``; ``required`` lists this level's required rows."""
    properties: dict[str, Any] = {}
    required: list[str] = []
    for node in nodes:
        properties[node.name] = assemble(node, issues)
        if node.row.required:
            required.append(node.name)
    schema: JsonSchema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return schema
