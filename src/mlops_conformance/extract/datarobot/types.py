"""The DataRobot type grammar, restrictions and enum cells, turned into JSON Schema 2020-12.

One grammar covers all three renderings once the notational variants are folded:
``X¦null`` (000/001/003) and ``X,null`` (002) mean the same, as do ``string(uri)¦null`` and
``string,null(uri)``; parameters write ``array[T]`` where tables write ``[T]``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..model import JsonSchema

REF_PREFIX = "#/components/schemas/"
PRIMITIVES = frozenset({"string", "integer", "number", "boolean", "object"})
#: Tokens that look like names in a type cell but are keywords of the grammar.
KEYWORDS = PRIMITIVES | {"any", "array", "oneOf", "anyOf", "allOf", "null", "None", "Inline"}
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_NULLABLE = re.compile(r"^(?P<base>.+?)(?:¦null|,null)(?P<fmt>\([\w-]+\))?$")
_FORMAT = re.compile(r"^(?P<base>string|integer|number)\((?P<fmt>[\w-]+)\)$")
_ARRAY = re.compile(r"^(?:\[(?P<inner>.+)\]|array\[(?P<pinner>.+)\])$")
_ONE_RESTRICTION = r"(maxItems|minItems|maxLength|minLength|maximum|minimum): (-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)( \(exclusive\))?"
_RESTRICTION = re.compile(_ONE_RESTRICTION)
#: A cell (or a line) made only of restrictions: ``maxLength: 50 minLength: 1 minLength: 1``.
RESTRICTIONS_ONLY = re.compile(rf"^{_ONE_RESTRICTION}(?: {_ONE_RESTRICTION})*$")
_EXCLUSIVE_KEY = {"minimum": "exclusiveMinimum", "maximum": "exclusiveMaximum"}


class TypeSyntaxError(ValueError):
    """A type cell outside the grammar; the caller turns it into an ExtractionError with a line."""


@dataclass(slots=True)
class TypeInfo:
    """A parsed type cell: its schema plus what later stages need to know about it."""

    schema: JsonSchema
    #: Schema names the cell references (``X``, ``[X]``).
    refs: list[str] = field(default_factory=list)
    #: "oneOf"/"anyOf" for ``[oneOf]``-style cells: the alternatives fill ``items``.
    item_combinator: str | None = None
    nullable: bool = False

    @property
    def is_array(self) -> bool:
        return "items" in self.schema

    @property
    def is_any(self) -> bool:
        return not self.schema


def ref(name: str) -> JsonSchema:
    return {"$ref": REF_PREFIX + name}


def is_name(token: str) -> bool:
    """True for a schema name (as opposed to a primitive or grammar keyword)."""
    return bool(_NAME.match(token)) and token not in KEYWORDS


def parse_type(cell: str) -> TypeInfo:
    """Parse one type cell; raises TypeSyntaxError for anything outside the grammar."""
    cell = cell.strip()
    nullable = False
    match = _NULLABLE.match(cell)
    if match:
        nullable = True
        cell = match["base"] + (match["fmt"] or "")
    info = _parse_base(cell)
    if nullable:
        info.nullable = True
        info.schema = make_nullable(info.schema)
    return info


def _parse_base(cell: str) -> TypeInfo:
    if cell == "any":
        return TypeInfo({})
    if cell in PRIMITIVES:
        return TypeInfo({"type": cell})
    match = _FORMAT.match(cell)
    if match:
        return TypeInfo({"type": match["base"], "format": match["fmt"]})
    match = _ARRAY.match(cell)
    if match:
        inner = (match["inner"] or match["pinner"]).strip()
        if inner in ("oneOf", "anyOf", "allOf"):
            return TypeInfo({"type": "array", "items": {}}, item_combinator=inner)
        if inner == "array":
            return TypeInfo({"type": "array", "items": {"type": "array"}})
        item = parse_type(inner)
        return TypeInfo({"type": "array", "items": item.schema}, refs=item.refs)
    if is_name(cell):
        return TypeInfo(ref(cell), refs=[cell])
    raise TypeSyntaxError(f"unknown type {cell!r}")


def make_nullable(schema: JsonSchema) -> JsonSchema:
    """Allow null: type arrays for typed schemas, ``anyOf`` for references, nothing for ``any``."""
    if not schema:
        return schema
    if "$ref" in schema:
        return {"anyOf": [schema, {"type": "null"}]}
    kind = schema.get("type")
    if isinstance(kind, str):
        return {**schema, "type": [kind, "null"]}
    return schema


def allows_null(schema: JsonSchema) -> bool:
    kind = schema.get("type")
    if kind == "null" or (isinstance(kind, list) and "null" in kind):
        return True
    return any(alt.get("type") == "null" for alt in schema.get("anyOf", ()))


def base_type(schema: JsonSchema) -> str | None:
    """The non-null JSON type of a schema, if it has exactly one."""
    kind = schema.get("type")
    if isinstance(kind, list):
        rest = [k for k in kind if k != "null"]
        return rest[0] if len(rest) == 1 else None
    return kind


def parse_restrictions(text: str) -> tuple[dict[str, Any], list[str]]:
    """Restrictions to JSON Schema keywords; duplicates collapse, conflicts are reported.

    Returns the keywords and a list of human-readable conflicts (the first value wins).
    """
    keywords: dict[str, Any] = {}
    conflicts: list[str] = []
    for match in _RESTRICTION.finditer(text):
        raw = match[2]
        value: int | float = float(raw) if any(c in raw for c in ".eE") else int(raw)
        key = match[1]
        if match[3]:
            key = _EXCLUSIVE_KEY[key]
        if key in keywords and keywords[key] != value:
            conflicts.append(f"{key}: {keywords[key]} and {value}")
            continue
        keywords[key] = value
    return keywords, conflicts


def enum_values(cell: str) -> list[str]:
    """``[a , b ]`` or a bracketless single value, to stripped strings (no value holds a comma)."""
    cell = cell.strip()
    if cell.startswith("[") and cell.endswith("]"):
        inner = cell[1:-1].strip()
        return [value.strip() for value in inner.split(",") if value.strip()] if inner else []
    return [cell] if cell else []


def coerce_enum(values: list[str], schema: JsonSchema) -> tuple[list[Any], list[str]]:
    """Type enum strings after the schema they constrain; returns (values, dropped literals).

    Strings stay strings (``[false, False, true, True]`` on a string parameter are four strings).
    The literal ``null`` becomes JSON null only where the type allows null; elsewhere it is dropped
    and reported, because a value the type forbids cannot be an allowed value.
    """
    kind = base_type(schema)
    nullable = bool(schema) and allows_null(schema)
    out: list[Any] = []
    dropped: list[str] = []
    for value in values:
        if value == "null":
            if nullable or not schema:
                out.append(None)
            else:
                dropped.append(value)
            continue
        out.append(_coerce(value, kind))
    if nullable and None not in out and out:
        out.append(None)
    return out, dropped


def _coerce(value: str, kind: str | None) -> Any:
    try:
        if kind == "integer":
            return int(value)
        if kind == "number":
            return float(value) if any(c in value for c in ".eE") else int(value)
    except ValueError:
        return value
    if kind == "boolean" and value in ("true", "false"):
        return value == "true"
    return value
