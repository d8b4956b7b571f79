"""Comparing two JSON Schemas of a contract, node by node, into breaking and non-breaking changes.

The contract is the yardstick a target is measured against, so a change is *breaking* when
something that conformed before may not conform now: a removed field, a newly required one, a
narrowed enum, a changed type or format. Widening (an added optional field, an added enum value, a
dropped constraint) is non-breaking. A schema behind a ``$ref`` that has the same name on both
sides is compared once, as that component, and its changes name the operations that use it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ..contract import Contract

MAX_DEPTH = 24


_LOWER_BOUNDS = ("minLength", "minimum", "exclusiveMinimum", "minItems", "minProperties")
_UPPER_BOUNDS = ("maxLength", "maximum", "exclusiveMaximum", "maxItems", "maxProperties")


@dataclass(frozen=True, slots=True)
class Change:
    kind: str
    breaking: bool
    subject: str  # "GET /api/v2/useCases/" or "schema UseCaseResponse"
    location: str  # "query parameter orderBy", "response 200 › data[] › role"
    message: str
    old: Any = None
    new: Any = None
    operations: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "breaking": self.breaking,
            "subject": self.subject,
            "location": self.location,
            "message": self.message,
            "old": self.old,
            "new": self.new,
            "operations": list(self.operations),
        }


def ref_name(node: Any) -> str | None:
    """``UseCase`` for ``{"$ref": "#/components/schemas/UseCase"}``, else ``None``."""
    if isinstance(node, dict) and isinstance(node.get("$ref"), str):
        ref: str = node["$ref"]
        prefix = "#/components/schemas/"
        if ref.startswith(prefix):
            return ref[len(prefix) :].replace("~1", "/").replace("~0", "~")
    return None


def _types(schema: dict[str, Any]) -> frozenset[str] | None:
    value = schema.get("type")
    if isinstance(value, str):
        return frozenset([value])
    if isinstance(value, list):
        return frozenset(str(v) for v in value)
    return None


def _join(where: str, part: str) -> str:
    return f"{where} › {part}" if where else part


def _sorted(values: Any) -> list[Any]:
    """Sorted for display; enums may mix strings, numbers and null, which ``sorted`` refuses."""
    return sorted(values, key=lambda v: (type(v).__name__, str(v)))


def _show(values: Any) -> str:
    if isinstance(values, (set, frozenset, list, tuple)):
        return ", ".join(v if isinstance(v, str) else repr(v) for v in _sorted(values)) or "(none)"
    return str(values)


class SchemaDiffer:
    """Walks schema pairs, collecting ``Change``s; components are compared once and attributed."""

    def __init__(self, old: Contract, new: Contract) -> None:
        self.old, self.new = old, new
        self.changes: list[Change] = []
        self._component_changes: dict[str, list[Change]] = defaultdict(list)
        self._users: dict[str, set[str]] = defaultdict(set)  # component -> subjects that reference it
        self._pending: list[str] = []
        self._queued: set[str] = set()

    # -- recording ---------------------------------------------------------------------------
    def add(
        self,
        kind: str,
        breaking: bool,
        subject: str,
        location: str,
        message: str,
        old: Any = None,
        new: Any = None,
    ) -> None:
        change = Change(
            kind,
            breaking,
            subject,
            location,
            message,
            old,
            new,
            (subject,) if not subject.startswith("schema ") else (),
        )
        if subject.startswith("schema "):
            self._component_changes[subject[len("schema ") :]].append(change)
        else:
            self.changes.append(change)

    # -- walking -----------------------------------------------------------------------------
    def compare(self, old: Any, new: Any, subject: str, where: str, depth: int = 0) -> None:
        if depth > MAX_DEPTH or not isinstance(old, dict) or not isinstance(new, dict):
            return
        old_name, new_name = ref_name(old), ref_name(new)
        if old_name and old_name == new_name:
            self._users[old_name].add(subject)
            if old_name not in self._queued:
                self._queued.add(old_name)
                self._pending.append(old_name)
            return
        old_s, new_s = self.old.resolve(old), self.new.resolve(new)
        if not isinstance(old_s, dict) or not isinstance(new_s, dict):
            return
        old_p, new_p = bool(old_s.get("x-placeholder")), bool(new_s.get("x-placeholder"))
        if old_p or new_p:
            # A cut-off block accepts anything: only the move between "documented" and "lost" is news.
            if not old_p:
                self.add(
                    "schema-lost", False, subject, where, "schema now a placeholder (its block was cut off)"
                )
            elif not new_p:
                self.add(
                    "schema-documented", True, subject, where, "placeholder now documented: new rules apply"
                )
            return
        self._scalars(old_s, new_s, subject, where)
        self._restrictions(old_s, new_s, subject, where)
        self._properties(old_s, new_s, subject, where, depth)
        if "items" in old_s and "items" in new_s:
            self.compare(old_s["items"], new_s["items"], subject, _join(where, "[]"), depth + 1)
        for keyword in ("allOf", "oneOf", "anyOf"):
            self._alternatives(keyword, old_s.get(keyword), new_s.get(keyword), subject, where, depth)

    def _restrictions(self, old: dict[str, Any], new: dict[str, Any], subject: str, where: str) -> None:
        """Bounds and patterns: a narrower bound (or a new one) is breaking, a wider one is not."""
        for keyword in _LOWER_BOUNDS + _UPPER_BOUNDS:
            before, after = old.get(keyword), new.get(keyword)
            if before == after or isinstance(before, bool) or isinstance(after, bool):
                continue
            if after is None:
                narrower = False
            elif before is None:
                narrower = True
            elif not (isinstance(before, (int, float)) and isinstance(after, (int, float))):
                continue
            else:
                narrower = after > before if keyword in _LOWER_BOUNDS else after < before
            self.add(
                "restriction-narrowed" if narrower else "restriction-widened",
                narrower,
                subject,
                where,
                f"{keyword} {before if before is not None else '(none)'} → {after if after is not None else '(none)'}",
                before,
                after,
            )
        before, after = old.get("pattern"), new.get("pattern")
        if before != after:
            narrower = after is not None
            self.add(
                "pattern-changed" if narrower else "pattern-removed",
                narrower,
                subject,
                where,
                f"pattern {before or '(none)'} → {after or '(none)'}",
                before,
                after,
            )

    def _scalars(self, old: dict[str, Any], new: dict[str, Any], subject: str, where: str) -> None:
        old_t, new_t = _types(old), _types(new)
        if old_t != new_t and new_t is not None:
            self.add(
                "type-changed",
                True,
                subject,
                where,
                f"type {_show(old_t or 'any')} → {_show(new_t)}",
                _sorted(old_t) if old_t else None,
                _sorted(new_t),
            )
        elif old_t is not None and new_t is None:
            self.add(
                "type-relaxed",
                False,
                subject,
                where,
                f"type constraint {_show(old_t)} removed",
                _sorted(old_t),
                None,
            )
        old_f, new_f = old.get("format"), new.get("format")
        if old_f != new_f:
            breaking = new_f is not None
            message = f"format {old_f or '(none)'} → {new_f or '(none)'}"
            self.add(
                "format-changed" if breaking else "format-relaxed",
                breaking,
                subject,
                where,
                message,
                old_f,
                new_f,
            )
        old_e, new_e = old.get("enum"), new.get("enum")
        if isinstance(old_e, list) and isinstance(new_e, list):
            old_set, new_set = {_key(v) for v in old_e}, {_key(v) for v in new_e}
            removed, added = old_set - new_set, new_set - old_set
            if removed:
                self.add(
                    "enum-narrowed",
                    True,
                    subject,
                    where,
                    f"enum values removed: {_show(removed)}",
                    _sorted(removed),
                    None,
                )
            if added:
                self.add(
                    "enum-widened",
                    False,
                    subject,
                    where,
                    f"enum values added: {_show(added)}",
                    None,
                    _sorted(added),
                )
        elif new_e is not None and old_e is None and isinstance(new_e, list):
            self.add(
                "enum-narrowed",
                True,
                subject,
                where,
                f"now restricted to enum {_show({_key(v) for v in new_e})}",
                None,
                _sorted(_key(v) for v in new_e),
            )
        elif old_e is not None and new_e is None:
            self.add("enum-widened", False, subject, where, "enum restriction removed", None, None)

    def _properties(
        self, old: dict[str, Any], new: dict[str, Any], subject: str, where: str, depth: int
    ) -> None:
        old_p = entries(old.get("properties"))
        new_p = entries(new.get("properties"))
        old_r = set(old.get("required") or []) if isinstance(old.get("required"), list) else set()
        new_r = set(new.get("required") or []) if isinstance(new.get("required"), list) else set()
        for name in sorted(old_p.keys() - new_p.keys()):
            self.add("field-removed", True, subject, _join(where, name), f"field {name} removed")
        for name in sorted(new_p.keys() - old_p.keys()):
            if name in new_r:
                continue  # reported below as newly required
            self.add("field-added", False, subject, _join(where, name), f"optional field {name} added")
        for name in sorted(new_r - old_r):
            what = "new required field" if name not in old_p else "field became required"
            self.add("field-required", True, subject, _join(where, name), f"{what} {name}")
        for name in sorted((old_r - new_r) & new_p.keys()):
            self.add("field-optional", False, subject, _join(where, name), f"field {name} no longer required")
        for name in sorted(old_p.keys() & new_p.keys()):
            self.compare(old_p[name], new_p[name], subject, _join(where, name), depth + 1)

    def _alternatives(self, keyword: str, old: Any, new: Any, subject: str, where: str, depth: int) -> None:
        old_l = old if isinstance(old, list) else []
        new_l = new if isinstance(new, list) else []
        if not old_l and not new_l:
            return
        for index in range(min(len(old_l), len(new_l))):
            self.compare(old_l[index], new_l[index], subject, _join(where, f"{keyword}[{index}]"), depth + 1)
        if len(old_l) > len(new_l):
            breaking = keyword != "allOf"
            self.add(
                "alternative-removed",
                breaking,
                subject,
                _join(where, keyword),
                f"{keyword} lost {len(old_l) - len(new_l)} of {len(old_l)} schemas",
                len(old_l),
                len(new_l),
            )
        elif len(new_l) > len(old_l):
            breaking = keyword == "allOf"
            self.add(
                "alternative-added",
                breaking,
                subject,
                _join(where, keyword),
                f"{keyword} gained {len(new_l) - len(old_l)} schemas",
                len(old_l),
                len(new_l),
            )

    # -- components --------------------------------------------------------------------------
    def finish(self) -> list[Change]:
        """Compare every referenced component once, then attribute its changes to operations."""
        old_schemas, new_schemas = self.old.schemas, self.new.schemas
        while self._pending:
            name = self._pending.pop()
            if name in old_schemas and name in new_schemas:
                self.compare(old_schemas[name], new_schemas[name], f"schema {name}", "", 1)
        for name in sorted(self._component_changes):
            operations = tuple(sorted(self._operations_using(name, set())))
            for change in self._component_changes[name]:
                self.changes.append(
                    Change(
                        change.kind,
                        change.breaking,
                        change.subject,
                        change.location,
                        change.message,
                        change.old,
                        change.new,
                        operations,
                    )
                )
        return self.changes

    def _operations_using(self, component: str, visiting: set[str]) -> set[str]:
        if component in visiting:
            return set()
        visiting.add(component)
        found: set[str] = set()
        for user in self._users.get(component, ()):
            if user.startswith("schema "):
                found |= self._operations_using(user[len("schema ") :], visiting)
            else:
                found.add(user)
        return found


def entries(value: Any) -> dict[str, Any]:
    """The named entries of a map of names or codes (properties, responses, media types).

    ``x-`` keys there are extensions (an ``x-source`` an erratum left behind), not a field, a
    status code or a media type, and are never compared as one.
    """
    if not isinstance(value, dict):
        return {}
    return {key: item for key, item in value.items() if not str(key).startswith("x-")}


def _key(value: Any) -> Any:
    return value if isinstance(value, (str, int, float, bool)) or value is None else repr(value)
