"""Reading a page's examples once its schemas are known, and marking what the scrape deleted.

Each layout has its own reader (``examples``). This module picks it, keeps the counts and issues of
the Document, and turns "array items deleted by the scrape" into ``x-doc-loss: ["example"]`` on the
property where it happened, so that validating the example against its schema does not blame the
vendor for what the scrape removed. Only schemas of this page are marked; another page's schemas
(used to read nested examples) are never touched.
"""

from __future__ import annotations

from typing import Any

from ..model import NO_EXAMPLE, DocIssue, Document, JsonSchema, Source
from .examples import RawExample, Unparsable, parse_json, parse_yaml, rebuild_guided, rebuild_indented
from .lines import Page
from .types import REF_PREFIX, base_type

_OWNED_INLINE = ""  # owner of a schema written inline in an operation of this page


class ExampleReader:
    """Reads examples of one page against ``schemas`` (this page's, then other pages')."""

    def __init__(self, page: Page, doc: Document, schemas: dict[str, JsonSchema], owned: set[str]) -> None:
        self.page = page
        self.doc = doc
        self.schemas = schemas
        self.owned = owned

    def read(self, raw: RawExample, schema: JsonSchema | None) -> Any:
        """The example's value, or NO_EXAMPLE (with an ``example-unparsed`` issue) if unreadable."""
        page = self.page
        try:
            if raw.yaml:
                rebuilt = parse_yaml([line.strip() if page.layout == "C" else line for line in raw.lines])
            elif page.layout == "A":
                rebuilt = parse_json(raw.lines)
            elif page.layout == "B":
                rebuilt = rebuild_indented(raw.lines)
            else:
                rebuilt = rebuild_guided(raw.lines, schema, self.keys, self.child)
        except Unparsable as exc:
            self.doc.examples_failed += 1
            self.doc.issues.append(DocIssue(Source(page.path, raw.line), "example-unparsed", str(exc)))
            return NO_EXAMPLE
        self.doc.examples_parsed += 1
        if rebuilt.lost:
            paths = ", ".join(".".join(path) or "(root)" for path in rebuilt.lost)
            self.doc.issues.append(
                DocIssue(
                    Source(page.path, raw.line), "example-loss", f"array items deleted by the scrape: {paths}"
                )
            )
            for path in rebuilt.lost:
                self._mark(schema, path)
        return rebuilt.value

    # -- schema lookups ---------------------------------------------------------------------------

    def _follow(self, schema: JsonSchema | None, owner: str | None) -> tuple[JsonSchema | None, str | None]:
        """Through ``$ref`` and nullable ``anyOf`` wrappers; ``owner`` tracks whose schema it is."""
        for _ in range(20):
            if schema is None:
                return None, owner
            if "$ref" in schema:
                owner = schema["$ref"][len(REF_PREFIX) :]
                schema = self.schemas.get(owner)
                continue
            choices: list[JsonSchema] = schema.get("anyOf") or schema.get("oneOf") or []
            alternatives = [choice for choice in choices if choice.get("type") != "null"]
            if alternatives and "properties" not in schema and "type" not in schema:
                if len(alternatives) != 1:
                    return None, owner
                schema = alternatives[0]
                continue
            return schema, owner
        return None, owner

    def resolve(self, schema: JsonSchema | None) -> JsonSchema | None:
        return self._follow(schema, None)[0]

    def keys(self, schema: JsonSchema | None) -> list[str] | None:
        """Property names in table order; [] for scalars and arrays; None when unknown."""
        resolved = self.resolve(schema)
        if resolved is None:
            return None
        if isinstance(resolved.get("properties"), dict):
            return list(resolved["properties"])
        if base_type(resolved) in ("string", "integer", "number", "boolean", "array"):
            return []
        return None

    def child(self, schema: JsonSchema | None, key: str | None) -> JsonSchema | None:
        """The schema of property ``key``, or of the items when ``key`` is None."""
        resolved = self.resolve(schema)
        if resolved is None:
            return None
        if key is None:
            items = resolved.get("items")
            return items if isinstance(items, dict) else None
        properties = resolved.get("properties")
        return properties.get(key) if isinstance(properties, dict) else None

    def _mark(self, schema: JsonSchema | None, path: tuple[str, ...]) -> None:
        """Mark the property at ``path`` (keys only: arrays are crossed transparently)."""
        node, owner = schema, _OWNED_INLINE
        for key in path:
            node, owner = self._follow(node, owner)
            while node is not None and "properties" not in node and isinstance(node.get("items"), dict):
                node, owner = self._follow(node["items"], owner)
            properties = node.get("properties") if node is not None else None
            if not isinstance(properties, dict) or key not in properties:
                return
            node = properties[key]
        if node is None or (owner != _OWNED_INLINE and owner not in self.owned):
            return
        if not path:
            node, owner = self._follow(node, owner)
            if node is None or (owner != _OWNED_INLINE and owner not in self.owned):
                return
        node["x-doc-loss"] = sorted(set(node.get("x-doc-loss", ())) | {"example"})
