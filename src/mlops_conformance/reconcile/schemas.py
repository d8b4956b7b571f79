"""One contract schema against the spec's schema for the same place.

The rule that decides addition or conflict: what the docs lost (``x-doc-loss``, an ``x-placeholder``
component, ``items: {}``, a keyword that is simply absent: no enum, no type, no ``required``) is
added from the spec; what the docs state (a documented enum, type, format or required field) and
the spec contradicts is a conflict. Inferred nodes (``x-inferred``) were never stated by the docs,
so a spec that describes another shape there replaces them. Both sides are compared after their
``$ref`` chains are followed; edits target the contract's node where it really is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ..contract import doc_loss
from .findings import Edit, Finding, Findings
from .locations import Document, Filter, Here, Location, json_pointer

# Keywords that say nothing a response or request is checked against.
_ANNOTATIONS = frozenset(
    {
        "description",
        "title",
        "examples",
        "example",
        "deprecated",
        "readOnly",
        "writeOnly",
        "default",
        "$comment",
    }
)
_COMBINATORS = ("allOf", "anyOf", "oneOf")


def knows_something(node: Any) -> bool:
    """Whether a schema constrains anything (``{}``, a placeholder, only annotations: it does not)."""
    return isinstance(node, dict) and any(not k.startswith("x-") and k not in _ANNOTATIONS for k in node)


def types_of(node: dict[str, Any]) -> frozenset[str]:
    kind = node.get("type")
    if isinstance(kind, str):
        return frozenset({kind})
    if isinstance(kind, list):
        return frozenset(str(k) for k in kind)
    return frozenset()


def _values(values: Any) -> frozenset[str]:
    """Enum values as a set (order means nothing; ``1`` and ``"1"`` stay different)."""
    return (
        frozenset(json.dumps(v, sort_keys=True) for v in values) if isinstance(values, list) else frozenset()
    )


def replace(target: Location, value: Any) -> tuple[Edit, ...]:
    """Remove, then set: the same result whether a tool appends to arrays on update or replaces them."""
    last = target[-1]
    assert isinstance(last, str), target
    return (Edit(target, remove=True), Edit(target[:-1], {last: value}))


@dataclass
class Walk:
    """The state of one reconciliation: both documents, what was found, what was already compared."""

    contract: Document
    spec: Document
    findings: Findings = field(default_factory=Findings)
    operation: str = ""
    seen: set[tuple[Location, Location]] = field(default_factory=set)

    def carry(self, node: Any) -> Any:
        """The spec's ``node`` as the contract should hold it (``Document.inline``).

        A spec ``$ref`` to a component schema the contract has under the same name is taken to
        be that schema: the carried node refers to the contract's component, and the two are
        compared there, so a conflict inside it stays a conflict instead of riding in on an
        addition.
        """

        def reuse(ref: str) -> Any:
            prefix = "#/components/schemas/"
            name = (
                ref[len(prefix) :].replace("~1", "/").replace("~0", "~") if ref.startswith(prefix) else None
            )
            ours = self.contract.root.child("components", "schemas", name) if name else None
            if ours is None:
                return None
            compare_schema(self, ours, self.spec.follow(Here({"$ref": ref}, ())))
            return {"$ref": ref}

        return self.spec.inline(node, reuse)

    def found(
        self,
        target: Location,
        keyword: str,
        spec_at: Location,
        reason: str,
        edits: tuple[Edit, ...],
        *,
        conflict: bool = False,
        docs: Any = None,
        spec: Any = None,
        recovers: frozenset[str] = frozenset(),
        lost: Any = None,
    ) -> None:
        if recovers:
            self.findings.losses.setdefault(target, lost)
        self.findings.add(
            Finding(
                target,
                keyword,
                json_pointer(spec_at),
                reason,
                edits,
                conflict,
                docs,
                spec,
                self.operation,
                recovers,
            )
        )


def _shape(document: Document, node: Any, depth: int = 2) -> Any:
    """What a schema is, roughly: its types, field names and item shape (names of $refs ignored)."""
    here = document.follow(Here(node, ()))
    node = here.node
    if not isinstance(node, dict) or depth == 0:
        return None
    items = _shape(document, node.get("items"), depth - 1) if isinstance(node.get("items"), dict) else None
    return (types_of(node), frozenset(node.get("properties") or {}), items)


def compare_schema(walk: Walk, c: Here, s: Here) -> None:
    """Record every addition and conflict between the contract's schema ``c`` and the spec's ``s``."""
    if isinstance(c.node, dict) and c.node.get("x-inferred") and isinstance(c.where[-1], str):
        resolved = walk.spec.follow(s).node
        if knows_something(resolved) and _shape(walk.contract, c.node) != _shape(walk.spec, s.node):
            walk.found(
                c.where,
                "schema",
                walk.spec.follow(s).where,
                f"the docs do not say this schema (inferred: {c.node['x-inferred']}); the spec does",
                replace(c.where, walk.carry(s.node)),
                docs=c.node.get("x-inferred"),
            )
            return
    c, s = walk.contract.follow(c), walk.spec.follow(s)
    if not isinstance(c.node, dict) or not isinstance(s.node, dict) or (c.where, s.where) in walk.seen:
        return
    walk.seen.add((c.where, s.where))
    if not knows_something(s.node):
        return
    lost = doc_loss(c.node)
    if c.node.get("x-placeholder") or not knows_something(c.node):
        edits = [Edit(c.where, walk.carry(s.node))]
        if c.node.get("x-placeholder"):
            edits.append(Edit((*c.where, "x-placeholder"), remove=True))
        why = (
            "was cut off in the docs (x-placeholder)"
            if c.node.get("x-placeholder")
            else "is lost in the docs"
        )
        walk.found(
            c.where,
            "schema",
            s.where,
            f"the schema {why}; the spec describes it",
            tuple(edits),
            recovers=frozenset({"*"}),
            lost=c.node.get("x-doc-loss"),
        )
        return
    _type(walk, c, s, lost)
    _format(walk, c, s)
    _enum(walk, c, s, lost)
    _bounds(walk, c, s)
    _required(walk, c, s)
    _properties(walk, c, s, lost)
    _items(walk, c, s, lost)
    extra_c, extra_s = c.child("additionalProperties"), s.child("additionalProperties")
    if extra_c and extra_s and isinstance(extra_c.node, dict) and isinstance(extra_s.node, dict):
        compare_schema(walk, extra_c, extra_s)
    for keyword in _COMBINATORS:
        parts_c, parts_s = c.node.get(keyword), s.node.get(keyword)
        if parts_c is None and isinstance(parts_s, list):
            _combinator(walk, c, s, keyword, lost)
        elif isinstance(parts_c, list) and isinstance(parts_s, list) and len(parts_c) == len(parts_s):
            for index in range(len(parts_c)):
                compare_schema(
                    walk,
                    Here(parts_c[index], (*c.where, keyword, index)),
                    Here(parts_s[index], (*s.where, keyword, index)),
                )


def _type(walk: Walk, c: Here, s: Here, lost: set[str] | bool) -> None:
    spec_type = s.node.get("type")
    if spec_type is None:
        return
    here = (*c.where, "type")
    if "type" not in c.node:
        if lost is not True and "type" not in lost and any(k in c.node for k in ("$ref", *_COMBINATORS)):
            return  # the docs' structure already says what it is
        walk.found(
            c.where,
            "type",
            (*s.where, "type"),
            "the docs lost this type; the spec states it",
            (Edit(c.where, {"type": spec_type}),),
            spec=spec_type,
            recovers=frozenset({"type"}),
            lost=c.node.get("x-doc-loss"),
        )
    elif types_of(c.node) != types_of(s.node):
        walk.found(
            c.where,
            "type",
            (*s.where, "type"),
            f"the docs say type {c.node['type']!r}, the spec {spec_type!r}",
            replace(here, spec_type),
            conflict=lost is not True and "type" not in lost,
            docs=c.node["type"],
            spec=spec_type,
            recovers=frozenset({"type"}),
            lost=c.node.get("x-doc-loss"),
        )


def _format(walk: Walk, c: Here, s: Here) -> None:
    spec_format = s.node.get("format")
    if spec_format is None or c.node.get("format") == spec_format:
        return
    if types_of(c.node) and not types_of(c.node) & types_of(s.node):
        return  # a type conflict already covers it
    if "format" not in c.node:
        walk.found(
            c.where,
            "format",
            (*s.where, "format"),
            "the docs give no format; the spec does",
            (Edit(c.where, {"format": spec_format}),),
            spec=spec_format,
        )
    else:
        walk.found(
            c.where,
            "format",
            (*s.where, "format"),
            f"the docs say format {c.node['format']!r}, the spec {spec_format!r}",
            replace((*c.where, "format"), spec_format),
            conflict=True,
            docs=c.node["format"],
            spec=spec_format,
        )


def _enum(walk: Walk, c: Here, s: Here, lost: set[str] | bool) -> None:
    spec_enum = s.node.get("enum")
    if not isinstance(spec_enum, list):
        return
    docs_enum = c.node.get("enum")
    if docs_enum is None:
        why = (
            "the docs lost this enum (x-doc-loss)"
            if lost is True or "enum" in lost
            else "the docs list no values"
        )
        walk.found(
            c.where,
            "enum",
            (*s.where, "enum"),
            f"{why}; the spec lists {len(spec_enum)}",
            (Edit(c.where, {"enum": spec_enum}),),
            spec=spec_enum,
            recovers=frozenset({"enum"}),
            lost=c.node.get("x-doc-loss"),
        )
    elif _values(docs_enum) != _values(spec_enum):
        folded = {str(v).casefold() for v in docs_enum} == {str(v).casefold() for v in spec_enum}
        walk.found(
            c.where,
            "enum",
            (*s.where, "enum"),
            "the documented values differ in case from the spec's"
            if folded
            else "the documented values differ from the spec's",
            replace((*c.where, "enum"), spec_enum),
            conflict=True,
            docs=docs_enum,
            spec=spec_enum,
        )


# Keywords whose value is one number, string or boolean: bounds, patterns, a closed object.
_BOUNDS = (
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
    "const",
)


def _bounds(walk: Walk, c: Here, s: Here) -> None:
    """A bound the docs do not give is added; one they give differently is a conflict."""
    if types_of(c.node) and types_of(s.node) and not types_of(c.node) & types_of(s.node):
        return  # a type conflict already covers it
    keywords = [*_BOUNDS, "additionalProperties"]
    for keyword in keywords:
        value = s.node.get(keyword)
        if value is None or isinstance(value, dict | list) or c.node.get(keyword) == value:
            continue
        if keyword not in c.node:
            walk.found(
                c.where,
                keyword,
                (*s.where, keyword),
                f"the docs give no {keyword}; the spec says {value!r}",
                (Edit(c.where, {keyword: value}),),
                spec=value,
            )
        elif not isinstance(c.node[keyword], dict | list):
            walk.found(
                c.where,
                keyword,
                (*s.where, keyword),
                f"the docs say {keyword} {c.node[keyword]!r}, the spec {value!r}",
                replace((*c.where, keyword), value),
                conflict=True,
                docs=c.node[keyword],
                spec=value,
            )


# What a part made only of these says is a rule across fields (``if``/``then``), which a table
# of fields in the docs cannot express; it narrows nothing the docs state.
_RULE_KEYWORDS = frozenset(
    {"if", "then", "else", "not", "required", "dependentRequired", "description", "title"}
)


def _combinator(walk: Walk, c: Here, s: Here, keyword: str, lost: set[str] | bool) -> None:
    """An ``allOf``/``anyOf``/``oneOf`` the docs lack: added when they lost it, or for cross-field rules.

    Otherwise the docs' flat reading of the same object is kept: a spec composing an object of
    parts (``allOf: [{$ref: Base}, ...]``) says nothing on the wire that the properties do not.
    """
    parts = [walk.spec.follow(Here(part, ())).node for part in s.node[keyword]]
    rules = keyword == "allOf" and all(isinstance(p, dict) and set(p) <= _RULE_KEYWORDS for p in parts)
    if not rules and lost is not True and "combinator" not in lost:
        return
    walk.found(
        c.where,
        keyword,
        (*s.where, keyword),
        "the docs lost how this schema combines its parts (x-doc-loss); the spec states it"
        if not rules
        else "the docs cannot state these rules across fields; the spec does",
        (Edit(c.where, {keyword: walk.carry(s.node[keyword])}),),
        recovers=frozenset({"combinator"}) if not rules else frozenset(),
        lost=c.node.get("x-doc-loss"),
    )


def _required(walk: Walk, c: Here, s: Here) -> None:
    spec_required = [n for n in s.node.get("required") or [] if isinstance(n, str)]
    docs_required = [n for n in c.node.get("required") or [] if isinstance(n, str)]
    missing = sorted(set(spec_required) - set(docs_required))
    if missing:
        edit = (
            Edit((*c.where, "required"), missing)
            if isinstance(c.node.get("required"), list)
            else Edit(c.where, {"required": missing})
        )
        walk.found(
            c.where,
            "required",
            (*s.where, "required"),
            f"the docs do not mark {', '.join(missing)} required; the spec does",
            (edit,),
            spec=missing,
        )
    spec_fields = s.node.get("properties") or {}
    for name in sorted(set(docs_required) - set(spec_required)):
        if name in spec_fields:  # a field the spec does not know is no contradiction
            walk.found(
                c.where,
                f"required/{name}",
                (*s.where, "properties", name),
                f"the docs mark {name} required; the spec lists it as optional",
                (Edit((*c.where, "required", Filter("", name)), remove=True),),
                conflict=True,
                docs=True,
                spec=False,
            )


def _properties(walk: Walk, c: Here, s: Here, lost: set[str] | bool) -> None:
    spec_fields = s.node.get("properties")
    if not isinstance(spec_fields, dict) or (types_of(c.node) and "object" not in types_of(c.node)):
        return
    docs_fields = c.node.get("properties") or {}
    for name in sorted(spec_fields):
        if name in docs_fields:
            compare_schema(
                walk,
                Here(docs_fields[name], (*c.where, "properties", name)),
                Here(spec_fields[name], (*s.where, "properties", name)),
            )
            continue
        walk.found(
            c.where,
            f"properties/{name}",
            (*s.where, "properties", name),
            f"the docs do not list the field {name}; the spec does",
            (Edit(c.where, {"properties": {name: walk.carry(spec_fields[name])}}),),
            recovers=frozenset({"properties"}) if lost is True or "properties" in lost else frozenset(),
            lost=c.node.get("x-doc-loss"),
        )


def _items(walk: Walk, c: Here, s: Here, lost: set[str] | bool) -> None:
    spec_items = s.child("items")
    if spec_items is None or not isinstance(spec_items.node, dict):
        return
    docs_items = c.child("items")
    if (
        docs_items is not None
        and knows_something(docs_items.node)
        and "items" not in (lost if lost is not True else {"items"})
    ):
        compare_schema(walk, docs_items, spec_items)
        return
    if not knows_something(walk.spec.follow(spec_items).node):
        return
    inline = walk.carry(spec_items.node)
    edits = (
        (Edit(c.where, {"items": inline}),)
        if docs_items is None or docs_items.node == {}
        else replace((*c.where, "items"), inline)
    )
    walk.found(
        c.where,
        "items",
        spec_items.where,
        "the docs lost the item type of this array; the spec states it",
        edits,
        recovers=frozenset({"items"}),
        lost=c.node.get("x-doc-loss"),
    )
