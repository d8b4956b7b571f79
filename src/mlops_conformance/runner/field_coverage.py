"""Documented response fields that no response ever carried, and the undocumented ones that look
like their renames.

Domino's pages mark nothing required, so a documented field that never appears, or one renamed on
the server (documented ``grants``, served ``grantDetails``), breaks no rule any single response can
be judged by. Only the whole run can tell: per operation, the fields of its documented success
schema(s) that none of the run's 2xx answers held. That is ``drift`` (optional fields may be
legitimately absent), never ``fail``, also with ``--strict``.

Paths read ``data[].owner.name`` (``[]`` for the items of an array). A field is reported only when
its parent object was seen (an absent ``owner`` hides nothing below it), deprecated fields are not
expected, and ``anyOf``/``oneOf`` branches are not descended (a branch's fields are absent exactly
when another branch applies).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..checks import DRIFT, PASS, BodyNotJSON, Exchange
from ..checks._responses import documented_response

if TYPE_CHECKING:
    from ..checks import Check
    from ..contract import Contract, Operation

MAX_DEPTH = 6
MAX_ITEMS = 50  # items of one array walked per response
SHOWN = 12


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _child(parent: str, key: str) -> str:
    return f"{parent}.{key}" if parent else key


def _parent(path: str) -> str:
    if path.endswith("[]"):
        return path[:-2]
    return path.rsplit(".", 1)[0] if "." in path else ""


def documented_fields(contract: Contract, schema: Any) -> tuple[dict[str, set[str]], set[str]]:
    """``({path: documented types}, closed object paths)`` of a response schema."""
    fields: dict[str, set[str]] = {}
    closed: set[str] = set()

    def visit(node: Any, path: str, depth: int, stack: tuple[str, ...]) -> None:
        if depth > MAX_DEPTH or not isinstance(node, dict):
            return
        ref = node.get("$ref")
        if isinstance(ref, str):
            if ref in stack:
                return
            stack = (*stack, ref)
        node = contract.resolve(node)
        if not isinstance(node, dict) or node.get("x-placeholder"):
            return
        parts = [node, *[contract.resolve(p) for p in node.get("allOf", []) if isinstance(p, dict)]]
        properties: dict[str, Any] = {}
        for part in parts:
            if isinstance(part, dict) and isinstance(part.get("properties"), dict):
                properties.update(part["properties"])
        if properties:
            from ..contract import is_open_object

            if not is_open_object([p for p in parts if isinstance(p, dict)]):
                closed.add(path)
        for name, sub in properties.items():
            resolved = contract.resolve(sub)
            if not isinstance(resolved, dict) or resolved.get("deprecated"):
                continue
            child = _child(path, name)
            kinds = resolved.get("type")
            fields[child] = set(
                kinds if isinstance(kinds, list) else [kinds] if isinstance(kinds, str) else []
            )
            visit(sub, child, depth + 1, stack)
        for part in parts:
            items = part.get("items") if isinstance(part, dict) else None
            if isinstance(items, dict):
                visit(items, f"{path}[]", depth + 1, stack)

    visit(schema, "", 0, ())
    return fields, closed


@dataclass(slots=True)
class _Seen:
    responses: int = 0
    statuses: set[str] = field(default_factory=set)  # documented response keys received
    paths: set[str] = field(default_factory=set)
    objects: set[str] = field(default_factory=set)  # paths where an object was received
    undocumented: dict[str, str] = field(default_factory=dict)  # path -> JSON type


class FieldCoverage:
    def __init__(self, contracts: dict[str, Contract]) -> None:
        self.contracts = contracts
        self._seen: dict[tuple[str, str], _Seen] = {}
        self._documented: dict[tuple[str, str, str], tuple[dict[str, set[str]], set[str]]] = {}

    def observe(self, vendor: str, op: Operation, exchange: Exchange) -> None:
        response = exchange.response
        if response is None or not 200 <= response.status < 300 or exchange.request.method == "HEAD":
            return
        contract = self.contracts[vendor]
        documented = documented_response(contract, op, response.status, "#")
        located = documented.json_schema(response.media_type) if documented else None
        if documented is None or located is None:
            return
        try:
            body = response.json()
        except BodyNotJSON:
            return
        fields, closed = self._fields(vendor, op, documented.key, located[0])
        seen = self._seen.setdefault((vendor, op.id), _Seen())
        seen.responses += 1
        seen.statuses.add(documented.key)
        self._walk(body, "", 0, seen, fields, closed)

    def _fields(
        self, vendor: str, op: Operation, key: str, schema: Any
    ) -> tuple[dict[str, set[str]], set[str]]:
        cache_key = (vendor, op.id, key)
        if cache_key not in self._documented:
            self._documented[cache_key] = documented_fields(self.contracts[vendor], schema)
        return self._documented[cache_key]

    def _walk(
        self, value: Any, path: str, depth: int, seen: _Seen, fields: dict[str, set[str]], closed: set[str]
    ) -> None:
        if depth > MAX_DEPTH:
            return
        if isinstance(value, dict):
            seen.objects.add(path)
            for key, sub in value.items():
                child = _child(path, str(key))
                seen.paths.add(child)
                if child not in fields and path in closed:
                    seen.undocumented.setdefault(child, json_type(sub))
                if child in fields:
                    self._walk(sub, child, depth + 1, seen, fields, closed)
        elif isinstance(value, list):
            for item in value[:MAX_ITEMS]:
                self._walk(item, f"{path}[]", depth + 1, seen, fields, closed)

    def export(self) -> list[dict[str, Any]]:
        return [
            {
                "vendor": vendor,
                "operation": operation,
                "responses": s.responses,
                "statuses": sorted(s.statuses),
                "paths": sorted(s.paths),
                "objects": sorted(s.objects),
                "undocumented": dict(sorted(s.undocumented.items())),
            }
            for (vendor, operation), s in self._seen.items()
        ]


def merge(shares: list[list[dict[str, Any]]]) -> dict[tuple[str, str], _Seen]:
    merged: dict[tuple[str, str], _Seen] = {}
    for share in shares:
        for entry in share:
            seen = merged.setdefault((entry["vendor"], entry["operation"]), _Seen())
            seen.responses += entry["responses"]
            seen.statuses |= set(entry["statuses"])
            seen.paths |= set(entry["paths"])
            seen.objects |= set(entry["objects"])
            for path, kind in entry["undocumented"].items():
                seen.undocumented.setdefault(path, kind)
    return merged


def renames(unseen: list[str], fields: dict[str, set[str]], seen: _Seen) -> list[dict[str, str]]:
    """Undocumented fields beside a never-seen documented one, with a similar name and the same type."""
    found = []
    for path in unseen:
        parent, name = _parent(path), path.rsplit(".", 1)[-1]
        types = fields.get(path, set())
        for other, kind in seen.undocumented.items():
            if _parent(other) != parent:
                continue
            other_name = other.rsplit(".", 1)[-1]
            if types and kind not in types and not (kind == "integer" and "number" in types):
                continue
            if _similar(name, other_name):
                found.append({"documented": path, "received": other, "type": kind})
    return found


def _similar(a: str, b: str) -> bool:
    a, b = a.lower(), b.lower()
    if min(len(a), len(b)) >= 3 and (a in b or b in a):
        return True
    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.6


def rows(merged: dict[tuple[str, str], _Seen], contracts: dict[str, Contract], check: Check) -> list[dict]:
    from .session import Case  # the session imports this module: import at use
    from .summary import row

    found = []
    for (vendor, operation), seen in sorted(merged.items()):
        contract = contracts.get(vendor)
        op = _operation(contract, operation) if contract else None
        if op is None or not seen.responses:
            continue
        fields: dict[str, set[str]] = {}
        for key in sorted(seen.statuses):
            documented = documented_response(contract, op, int(key) if key.isdigit() else 200, "#")
            located = documented.json_schema() if documented else None
            if located is not None:
                fields.update(documented_fields(contract, located[0])[0])  # type: ignore[arg-type]
        unseen = sorted(path for path in fields if path not in seen.paths and _parent(path) in seen.objects)
        likely = renames(unseen, fields, seen)
        evidence: dict[str, Any] = {"responses": seen.responses, "documented_fields": len(fields)}
        if unseen:
            shown = ", ".join(unseen[:SHOWN]) + (
                f" (+{len(unseen) - SHOWN} more)" if len(unseen) > SHOWN else ""
            )
            message = f"documented fields never received in {seen.responses} responses: {shown}"
            if likely:
                message += "; possibly renamed: " + ", ".join(
                    f"{r['documented']} -> {r['received']} ({r['type']})" for r in likely[:SHOWN]
                )
            evidence.update({"message": message, "unseen": unseen, "renames": likely})
        source = op.source
        if source:
            evidence["source"] = dict(source)
        found.append(row(Case(vendor, op, check), DRIFT if unseen else PASS, evidence=evidence))
    return found


def _operation(contract: Contract, operation_id: str) -> Operation | None:
    method, _, path = operation_id.partition(" ")
    try:
        return contract.operation(method, path)
    except Exception:  # noqa: BLE001 - an operation of another contract version: nothing to say
        return None
