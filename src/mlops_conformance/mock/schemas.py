"""Schema questions the mock asks over and over, answered once per schema node and cached.

Everything here reads a contract through :class:`~mlops_conformance.contract.Contract` (``resolve``
and ``rooted``); nothing knows about HTTP. Validators are compiled with ``jsonschema_rs`` (a fast,
standards-complete 2020-12 implementation) and cached by the identity of the schema node, which lives
as long as the loaded contract does.
"""

from __future__ import annotations

from typing import Any

import jsonschema_rs

from ..contract import Contract, is_open_object
from ..refs import absolute_refs

JSON_TYPES = ("object", "array", "string", "integer", "number", "boolean", "null")
_CONTRACT_URI = "urn:mlops-conformance:contract"


class SchemaTools:
    """Cached, contract-aware helpers: resolution, types, nullability, validation."""

    def __init__(self, contract: Contract) -> None:
        self.contract = contract
        self._validators: dict[int, Any] = {}
        self._keep: list[Any] = []  # keeps cached nodes alive, so their id() stays unique
        self._pinned: dict[Any, dict[str, Any]] = {}
        self._registry: Any = None

    # -- resolution -------------------------------------------------------------------------------

    def resolve(self, schema: Any) -> Any:
        """Follow ``$ref`` chains, also when a ``$ref`` carries siblings (``x-source``, description)."""
        for _ in range(64):
            if isinstance(schema, dict) and "$ref" in schema:
                target = self.contract.resolve({"$ref": schema["$ref"]})
                if len(schema) > 1 and any(
                    k not in ("$ref", "description", "x-source", "summary") for k in schema
                ):
                    merged = dict(target)
                    merged.update({k: v for k, v in schema.items() if k != "$ref"})
                    return self._pin(merged, ("merge", id(schema)))
                schema = target
            else:
                return schema
        return schema

    def _pin(self, node: dict[str, Any], key: Any) -> dict[str, Any]:
        """Return one stable object per derived node, so id()-keyed caches stay valid."""
        found = self._pinned.get(key)
        if found is None:
            self._pinned[key] = found = node
        return found

    def merged(self, schema: Any) -> dict[str, Any]:
        """The schema with ``$ref`` followed and ``allOf`` folded into one node (cached)."""
        schema = self.resolve(schema)
        if not isinstance(schema, dict):
            return {}
        if "allOf" not in schema:
            return schema
        key = ("allOf", id(schema))
        cached = self._pinned.get(key)
        if cached is not None:
            return cached
        out: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
        for part in schema["allOf"]:
            part = self.merged(part)
            for name, value in part.items():
                if name == "properties":
                    # A property constrained by two parts must satisfy both.
                    mine = out.get("properties", {})
                    out["properties"] = {
                        **mine,
                        **{p: ({"allOf": [mine[p], sub]} if p in mine else sub) for p, sub in value.items()},
                    }
                elif name == "required":
                    out["required"] = sorted(set(out.get("required", [])) | set(value))
                elif name == "type" and "type" in out:
                    mine = set(self._as_list(out["type"]))
                    common = [
                        t for t in self._as_list(value) if t in mine or (t == "integer" and "number" in mine)
                    ]
                    out["type"] = common if len(common) != 1 else common[0]
                else:
                    out.setdefault(name, value)
        return self._pin(out, key)

    @staticmethod
    def _as_list(value: Any) -> list[str]:
        return list(value) if isinstance(value, list) else [value]

    # -- questions ------------------------------------------------------------------------------

    def conditionals(self, schema: Any) -> list[tuple[Any, Any, Any]]:
        """The ``if``/``then``/``else`` triples of a schema and of its ``allOf`` parts."""
        node = self.resolve(schema)
        if not isinstance(node, dict):
            return []
        found = [(node["if"], node.get("then"), node.get("else"))] if "if" in node else []
        for part in node.get("allOf", []):
            found.extend(self.conditionals(part))
        return found

    def types(self, schema: Any) -> list[str]:
        """The JSON types a schema names (empty list when it does not say)."""
        node = self.merged(schema)
        declared = node.get("type")
        if declared is None:
            if "properties" in node or "additionalProperties" in node:
                return ["object"]
            if "items" in node:
                return ["array"]
            return []
        return self._as_list(declared)

    def nullable(self, schema: Any) -> bool:
        """True when ``null`` is a valid instance (type arrays or an ``anyOf``/``oneOf`` null branch)."""
        node = self.merged(schema)
        if not node or node.get("x-placeholder"):
            return True
        if "null" in self.types(node) or node.get("nullable") is True:
            return True
        if "enum" in node:
            return None in node["enum"]
        for key in ("anyOf", "oneOf"):
            if any(self.nullable(branch) for branch in node.get(key, [])):
                return True
        # No type and no shape: anything, null included.
        return "type" not in node and not any(
            k in node for k in ("anyOf", "oneOf", "properties", "items", "enum", "const")
        )

    def properties(self, schema: Any) -> dict[str, Any]:
        return dict(self.merged(schema).get("properties", {}))

    def required(self, schema: Any) -> list[str]:
        return list(self.merged(schema).get("required", []))

    def object_branch(self, schema: Any) -> dict[str, Any] | None:
        """The object-shaped node of a schema: itself, or its single non-null ``anyOf``/``oneOf`` branch."""
        node = self.merged(schema)
        if "properties" in node or "object" in self.types(node):
            return node
        for key in ("anyOf", "oneOf"):
            branches = [self.merged(b) for b in node.get(key, [])]
            objects = [b for b in branches if "properties" in b or "object" in self.types(b)]
            if len(objects) == 1:
                return objects[0]
        return None

    def array_items(self, schema: Any) -> Any:
        node = self.merged(schema)
        if "items" in node:
            return node["items"]
        for key in ("anyOf", "oneOf"):
            for branch in node.get(key, []):
                branch = self.merged(branch)
                if "items" in branch:
                    return branch["items"]
        return {}

    # -- documented shape -----------------------------------------------------------------------

    def documented(self, schema: Any, value: Any) -> Any:
        """``value`` with every object member ``schema`` does not document taken out, at any depth.

        A client may send fields the docs do not list (request schemas are rarely closed); a stored
        value shown back through a response schema must carry only what that schema lists, or the
        reference mock itself would drift. The rule mirrors how a reader of the docs sees an object:
        it is open (keeps every member) when no applicable node lists ``properties``, or one allows
        ``additionalProperties``/``patternProperties``, or the scrape lost those keywords
        (``x-doc-loss``) or the whole schema (``x-placeholder``). Applicable nodes are the schema,
        its ``allOf`` parts and the ``anyOf``/``oneOf`` branches the value satisfies.
        """
        nodes = self._applicable(schema, value, 0)
        if isinstance(value, dict):
            documented: dict[str, list[Any]] = {}
            open_ended = is_open_object(nodes)
            for node in nodes:
                for name, sub in (node.get("properties") or {}).items():
                    documented.setdefault(name, []).append(sub)
            out: dict[str, Any] = {}
            for name, member in value.items():
                if name in documented:
                    for sub in documented[name]:
                        member = self.documented(sub, member)
                    out[name] = member
                elif open_ended:
                    out[name] = member
            return out
        if isinstance(value, list):
            out_items = list(value)
            for node in nodes:
                items = node.get("items")
                if isinstance(items, dict):
                    out_items = [self.documented(items, item) for item in out_items]
            return out_items
        return value

    def _applicable(self, schema: Any, value: Any, depth: int) -> list[dict[str, Any]]:
        """The schema nodes that apply to ``value``: the node, its ``allOf``, satisfied branches."""
        node = self.resolve(schema)
        if not isinstance(node, dict) or depth > 32:
            return []
        found = [node]
        for part in node.get("allOf", []):
            found.extend(self._applicable(part, value, depth + 1))
        for key in ("anyOf", "oneOf"):
            for branch in node.get(key, []):
                if self.is_valid(branch, value):
                    found.extend(self._applicable(branch, value, depth + 1))
        return found

    # -- validation -------------------------------------------------------------------------------

    def validator(self, schema: Any) -> Any:
        """A compiled validator for ``schema`` under which ``#/components/...`` resolves (cached).

        The contract is registered once as the resource ``urn:contract``; a schema node's own local
        references are rewritten to point into it. Compiling against that shared registry is about
        thirty times cheaper than compiling a copy of the schema with every component attached.
        """
        key = id(schema)
        found = self._validators.get(key)
        if found is None:
            if self._registry is None:
                self._registry = jsonschema_rs.Registry([(_CONTRACT_URI, self.contract.document)])
            node = absolute_refs(schema if isinstance(schema, (dict, bool)) else {}, _CONTRACT_URI)
            found = jsonschema_rs.validator_for(node, validate_formats=True, registry=self._registry)
            self._validators[key] = found
            self._keep.append(schema)
        return found

    def is_valid(self, schema: Any, instance: Any) -> bool:
        if schema is True or schema == {} or schema is None:
            return True
        if schema is False:
            return False
        return bool(self.validator(schema).is_valid(instance))

    def first_error(self, schema: Any, instance: Any) -> str | None:
        """A one-line reason why ``instance`` fails ``schema`` (None when it is valid)."""
        if not isinstance(schema, dict) or not schema:
            return None
        for error in self.validator(schema).iter_errors(instance):
            where = "/".join(str(p) for p in error.instance_path)
            return f"{where or '(root)'}: {error.message}"
        return None
