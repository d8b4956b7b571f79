"""Request validation against the contract: parameters (coerced from text) and bodies.

Compiled once per operation (:class:`RequestRules`), so a request pays for a few dictionary look-ups
and one compiled ``jsonschema_rs`` check per value. A failure is an :class:`Invalid` naming what was
wrong; the app turns it into the documented 4xx for that kind of failure (see ``ERROR_STATUSES``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from ..contract import Operation
from .schemas import SchemaTools

# Kind of failure -> statuses to answer with, most fitting first; the first one the operation
# documents wins, else the first one listed.
ERROR_STATUSES: dict[str, tuple[str, ...]] = {
    "path": ("404",),
    "query": ("400", "422"),
    "header": ("400", "422"),
    "body": ("422", "400"),
    "json": ("400", "422"),
    "content-type": ("415", "400", "422"),
    "size": ("413",),  # the only honest answer, documented or not
    "conflict": ("409",),  # the state forbids it (an entity linked twice)
}

_INTEGER = re.compile(r"^[+-]?\d+$")
_TRUE, _FALSE = ("true", "1"), ("false", "0")


@dataclass(frozen=True, slots=True)
class Invalid:
    """Why a request breaks the contract; ``where`` keys :data:`ERROR_STATUSES`."""

    where: str
    message: str


@dataclass(frozen=True, slots=True)
class _Param:
    name: str
    location: str
    required: bool
    schema: Any
    types: tuple[str, ...]
    item_types: tuple[str, ...]


def _coerce(text: str, types: tuple[str, ...]) -> Any:
    """Text -> the first JSON type it reads as (an unparseable value stays text and fails validation)."""
    for kind in types:
        if kind == "integer" and _INTEGER.match(text):
            return int(text)
        if kind == "number":
            try:
                value = float(text)
            except ValueError:
                continue
            if math.isfinite(value):
                return int(value) if _INTEGER.match(text) else value
        if kind == "boolean" and text.lower() in _TRUE + _FALSE:
            return text.lower() in _TRUE
        if kind == "string":
            return text
        if kind == "null" and text == "null":
            return None
    return text


class RequestRules:
    """The compiled request rules of one operation."""

    def __init__(self, tools: SchemaTools, op: Operation) -> None:
        self.tools = tools
        self.op = op
        self.params: list[_Param] = []
        for raw in op.parameters:
            schema = raw.get("schema", {}) or {}
            types = tuple(t for t in tools.types(schema) if t != "null") + (
                ("null",) if tools.nullable(schema) else ()
            )
            items = tools.array_items(schema) if "array" in types else {}
            self.params.append(
                _Param(
                    name=raw.get("name", ""),
                    location=raw.get("in", "query"),
                    required=bool(raw.get("required")) or raw.get("in") == "path",
                    schema=schema,
                    types=types,
                    item_types=tuple(t for t in tools.types(items) if t != "null") if items else ("string",),
                )
            )
        body = tools.contract.resolve(op.request_body) if op.request_body else None
        self.body_required = bool(body and body.get("required"))
        self.body_content: dict[str, Any] = dict(body.get("content", {})) if body else {}
        self.json_schema: Any = None
        self.json_media = [m for m in self.body_content if m == "application/json" or m.endswith("+json")]
        if self.json_media:
            self.json_schema = self.body_content[self.json_media[0]].get("schema")

    # -- parameters --------------------------------------------------------------------------------

    def parameters(
        self, path: Mapping[str, str], query: Any, headers: Mapping[str, str]
    ) -> dict[str, Any] | Invalid:
        """Coerced, validated parameter values by name (query ``getlist`` semantics for arrays)."""
        values: dict[str, Any] = {}
        for param in self.params:
            if param.location == "path":
                present = param.name in path
                raw_values = [path[param.name]] if present else []
            elif param.location == "query":
                raw_values = query.getlist(param.name)
            elif param.location == "header":
                found = headers.get(param.name)
                raw_values = [found] if found is not None else []
            else:
                continue
            if not raw_values:
                if param.required:
                    return Invalid(param.location, f"{param.location} parameter {param.name!r} is required")
                continue
            value = self._value(param, raw_values)
            if param.schema and not self.tools.is_valid(param.schema, value):
                reason = self.tools.first_error(param.schema, value) or "invalid"
                return Invalid(param.location, f"{param.location} parameter {param.name!r}: {reason}")
            values[param.name] = value
        return values

    @staticmethod
    def _value(param: _Param, raw_values: list[str]) -> Any:
        if "array" in param.types:
            if len(raw_values) == 1 and "," in raw_values[0]:
                raw_values = raw_values[0].split(",")
            return [_coerce(v, param.item_types) for v in raw_values]
        return _coerce(raw_values[-1], param.types or ("string",))

    # -- body ----------------------------------------------------------------------------------------

    def body(self, content_type: str | None, raw: bytes) -> Any | Invalid:
        """The parsed JSON body (None when absent or not JSON), or why it breaks the contract."""
        if not self.body_content:
            return None
        if not raw:
            if self.body_required:
                return Invalid("body", "a request body is required")
            return None
        media = (content_type or "").split(";", 1)[0].strip().lower()
        is_json = media == "application/json" or media.endswith("+json")
        if is_json and self.json_media:
            try:
                value = orjson.loads(raw)
            except orjson.JSONDecodeError as exc:
                return Invalid("json", f"request body is not valid JSON: {exc}")
            if self.json_schema is not None and not self.tools.is_valid(self.json_schema, value):
                return Invalid("body", f"request body: {self.tools.first_error(self.json_schema, value)}")
            return value
        if media and any(self._accepts(documented, media) for documented in self.body_content):
            return None
        allowed = ", ".join(self.body_content)
        return Invalid("content-type", f"Content-Type {media or '(none)'!r} is not accepted; use {allowed}")

    @staticmethod
    def _accepts(documented: str, media: str) -> bool:
        if documented in ("*/*", media):
            return True
        if documented.endswith("/*"):
            return media.startswith(documented[:-1])
        return False
