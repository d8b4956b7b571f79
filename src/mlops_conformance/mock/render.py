"""A stored resource, shown through one response schema.

Different operations describe the same resource with different schemas (a create response, a get
response, a list item). The record keeps only what clients sent; a body is generated for the schema
(seeded by the record's id, property by property, so a resource shows the same generated values in
every operation and on every call) with the record's id, its parents' ids and the fields the client
sent pinned wherever the schema accepts them, cut down to the members the schema documents (an
undocumented field a client sent is stored but never shown). When the schema is an envelope around
the resource (``{"environment": {...}, "metadata": {...}}``), the pins apply to the envelope's one
resource-shaped member. Results are cached per record version and schema, so repeated reads cost a look-up.
"""

from __future__ import annotations

import copy
from typing import Any

from .generate import GenerationError, Generator
from .schemas import SchemaTools
from .store import Record


class Renderer:
    def __init__(self, tools: SchemaTools, generator: Generator) -> None:
        self.tools = tools
        self.generator = generator

    def record(self, record: Record, schema: Any, id_fields: tuple[str, ...]) -> Any:
        """The body for ``record`` under ``schema``; cached per record version and (resolved) schema."""
        key = (id(self.tools.resolve(schema)), id_fields)
        cached = record.cache.get(key)
        if cached is not None and cached[0] == record.version:
            return cached[1]
        body = self._build(record, schema, id_fields)
        record.cache[key] = (record.version, body)
        return body

    def generated(self, schema: Any, key: str, known: dict[str, Any] | None = None) -> Any:
        """A body that is not a stored resource (an action's answer); ``known`` values pinned where they fit."""
        node = self.tools.object_branch(schema)
        if known and node is not None:
            pins = self._pins(node, known, None, ())
            if pins:
                try:
                    return self.generator.value(schema, key, fixed=pins)
                except GenerationError:
                    pass
        return self.generator.value(schema, key)

    # -- internals -----------------------------------------------------------------------------------

    def _build(self, record: Record, schema: Any, id_fields: tuple[str, ...]) -> Any:
        key = f"resource|{record.id}"
        node = self.tools.object_branch(schema)
        if node is None:
            return self.generator.value(schema, key)
        known = {**record.parents, **record.fields}
        member = self._resource_member(node, known, id_fields)
        target = self.tools.object_branch(self.tools.properties(node)[member]) if member else node
        assert target is not None
        attempts = (
            self._pins(target, known, record.id, id_fields),
            self._pins(target, record.parents, record.id, id_fields),
        )
        for pins in attempts:  # the client's fields may clash with this schema: then keep the identity
            try:
                if member is None:
                    return self.generator.value(schema, key, fixed=pins)
                envelope = copy.deepcopy(self.generator.value(schema, key))
                member_schema = self.tools.properties(node)[member]
                envelope[member] = self.generator.value(member_schema, f"{key}/{member}", fixed=pins)
                if self.tools.is_valid(schema, envelope):
                    return envelope
            except GenerationError:
                continue
        return self.generator.value(schema, key)

    def _resource_member(
        self, node: dict[str, Any], known: dict[str, Any], id_fields: tuple[str, ...]
    ) -> str | None:
        """None when the schema itself describes the resource, else its single resource-shaped member."""
        properties = self.tools.properties(node)
        if any(name in properties for name in id_fields) or any(name in properties for name in known):
            return None
        members = []
        for name, sub in properties.items():
            branch = self.tools.object_branch(sub)
            if branch is not None and any(f in self.tools.properties(branch) for f in id_fields):
                members.append(name)
        return members[0] if len(members) == 1 else None

    def _pins(
        self, node: dict[str, Any], known: dict[str, Any], record_id: str | None, id_fields: tuple[str, ...]
    ) -> dict[str, Any]:
        """The values to pin in an object under ``node``: known fields it accepts, then the id (which wins)."""
        properties = self.tools.properties(node)
        pins: dict[str, Any] = {}
        for name, value in known.items():
            if name not in properties:
                continue
            shown = self.tools.documented(properties[name], value)  # never echo undocumented members
            if self.tools.is_valid(properties[name], shown):
                pins[name] = shown
        if record_id is not None:
            for name in id_fields:
                if name in properties:
                    value = _id_value(record_id, self.tools, properties[name])
                    if value is not None:
                        pins[name] = value
        return pins


def _id_value(record_id: str, tools: SchemaTools, schema: Any) -> Any:
    """The id as the property wants it: text, or a number when the property is numeric."""
    if tools.is_valid(schema, record_id):
        return record_id
    if record_id.lstrip("-").isdigit():
        number = int(record_id)
        if tools.is_valid(schema, number):
            return number
    return None


__all__ = ["GenerationError", "Renderer"]
