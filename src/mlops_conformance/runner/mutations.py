"""Targeted invalid inputs: one valid request, broken in one documented rule at a time.

schemathesis' negative mode explores invalid input broadly (``errors.no_server_error`` judges it:
never a 5xx). Whether the target *rejects* invalid input is judged on these mutations instead,
because each breaks exactly one rule the docs state and can be named in the verdict: an enum
value the docs do not list, a wrong type, a bound crossed, a required parameter or field left out.
Rules the scrape lost (``x-doc-loss``) are not mutated; rules marked ``x-inferred`` are, but a target
accepting them only earns a ``warn``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..checks._jsonschema import lost_keywords

if TYPE_CHECKING:
    from ..contract import Contract, Operation
    from .generate import Request

NOT_IN_ENUM = "mlops-conformance-not-in-enum"
_WRONG = {"integer": "not-a-number", "number": "not-a-number", "boolean": "not-a-boolean"}


@dataclass(slots=True)
class Mutation:
    description: str
    schema_path: str
    inferred: bool
    apply: Any = field(repr=False)  # Callable[[Request], None]


def _types(schema: dict[str, Any]) -> list[str]:
    kind = schema.get("type")
    return [kind] if isinstance(kind, str) else [k for k in kind or [] if isinstance(k, str)]


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def mutations(contract: Contract, op: Operation, base: Request) -> list[Mutation]:
    """Every single-rule mutation of ``base`` the contract supports, interleaved by kind."""
    pointer = f"#/paths/{_escape(op.path)}/{op.method.lower()}"
    by_kind: dict[str, list[Mutation]] = {"enum": [], "type": [], "bound": [], "required": [], "body": []}
    for index, parameter in enumerate(op.parameters):
        location, name = parameter.get("in"), parameter.get("name")
        if location not in ("query", "header", "path") or not name:
            continue
        schema = contract.resolve(parameter.get("schema") or {})
        if not isinstance(schema, dict) or schema.get("x-placeholder"):
            continue
        lost = lost_keywords(schema)
        if lost is True:
            continue
        where = f"{pointer}/parameters/{index}"
        inferred = bool(schema.get("x-inferred") or parameter.get("x-inferred"))
        label = f"{location} parameter `{name}`"
        types = _types(schema)
        if schema.get("enum") and "enum" not in lost:
            bad: Any = (
                NOT_IN_ENUM if any(isinstance(v, str) for v in schema["enum"]) or not types else 987654321
            )
            by_kind["enum"].append(
                Mutation(
                    f"value {bad!r} outside the documented enum of {label}",
                    where,
                    inferred,
                    _set(location, name, bad),
                )
            )
        if "type" not in lost and types and "string" not in types and types[0] in _WRONG:
            bad = _WRONG[types[0]]
            by_kind["type"].append(
                Mutation(f"{bad!r} for {types[0]} {label}", where, inferred, _set(location, name, bad))
            )
        if "integer" in types or "number" in types:
            for keyword, step in (("maximum", 1), ("minimum", -1)):
                bound = schema.get(keyword)
                if isinstance(bound, (int, float)) and not isinstance(bound, bool) and keyword not in lost:
                    bad = int(bound) + step if "integer" in types else bound + step
                    by_kind["bound"].append(
                        Mutation(
                            f"{bad} beyond {keyword} {bound} of {label}",
                            where,
                            inferred,
                            _set(location, name, bad),
                        )
                    )
        if parameter.get("required") and location != "path" and "required" not in lost:
            by_kind["required"].append(
                Mutation(f"required {label} left out", where, inferred, _drop(location, name))
            )
    by_kind["body"] = list(_body_mutations(contract, op, base, pointer))
    ordered: list[Mutation] = []
    while any(by_kind.values()):
        for pending in by_kind.values():
            if pending:
                ordered.append(pending.pop(0))
    return ordered


def _body_mutations(contract: Contract, op: Operation, base: Request, pointer: str) -> list[Mutation]:
    if not base.has_json or not isinstance(base.json, dict):
        return []
    body = contract.resolve(op.request_body or {})
    entry = (body.get("content") or {}).get("application/json") if isinstance(body, dict) else None
    schema = contract.resolve((entry or {}).get("schema") or {}) if isinstance(entry, dict) else {}
    if not isinstance(schema, dict) or schema.get("x-placeholder") or lost_keywords(schema) is True:
        return []
    where = f"{pointer}/requestBody/content/application~1json/schema"
    inferred = bool(schema.get("x-inferred"))
    found: list[Mutation] = []
    if "object" in _types(schema) and "type" not in lost_keywords(schema):  # type: ignore[operator]
        found.append(
            Mutation("a JSON array where the body must be an object", where, inferred, _replace_body([]))
        )
    properties = schema.get("properties") or {}
    for name in schema.get("required") or []:
        if name in base.json and "required" not in lost_keywords(schema):  # type: ignore[operator]
            found.append(
                Mutation(
                    f"required body field {name!r} left out", f"{where}/required", inferred, _drop_field(name)
                )
            )
            break
    for name, prop in properties.items():
        prop = contract.resolve(prop)
        if not isinstance(prop, dict) or prop.get("x-placeholder"):
            continue
        lost = lost_keywords(prop)
        if lost is True:
            continue
        here = f"{where}/properties/{_escape(name)}"
        prop_inferred = inferred or bool(prop.get("x-inferred"))
        if prop.get("enum") and "enum" not in lost and all(isinstance(v, str) for v in prop["enum"]):
            found.append(
                Mutation(
                    f"body field {name!r} = {NOT_IN_ENUM!r}, outside its documented enum",
                    here,
                    prop_inferred,
                    _set_field(name, NOT_IN_ENUM),
                )
            )
            break
    for name, prop in properties.items():
        prop = contract.resolve(prop)
        if not isinstance(prop, dict) or lost_keywords(prop) is True or "type" in lost_keywords(prop):  # type: ignore[operator]
            continue
        types = _types(prop)
        if types and "null" not in types and ("string" in types or "integer" in types or "boolean" in types):
            bad: Any = (
                12345 if "string" in types else "not-a-number" if "integer" in types else "not-a-boolean"
            )
            if "string" in types and len(types) > 1:
                continue
            found.append(
                Mutation(
                    f"body field {name!r} = {bad!r}, not of type {types[0]}",
                    f"{where}/properties/{_escape(name)}",
                    inferred or bool(prop.get("x-inferred")),
                    _set_field(name, bad),
                )
            )
            break
    return found


def apply(base: Request, mutation: Mutation) -> Request:
    request = copy.deepcopy(base)
    mutation.apply(request)
    return request


def _set(location: str, name: str, value: Any):  # type: ignore[no-untyped-def]
    def change(request: Request) -> None:
        if location == "query":
            request.params = [(k, v) for k, v in request.params if k != name] + [(name, value)]
        elif location == "header":
            request.headers[name] = str(value)
        else:
            from urllib.parse import quote

            old = request.path_parameters.get(name)
            request.path_parameters[name] = value
            if old is not None:
                request.path = request.path.replace(quote(str(old), safe=""), quote(str(value), safe=""), 1)

    return change


def _drop(location: str, name: str):  # type: ignore[no-untyped-def]
    def change(request: Request) -> None:
        if location == "query":
            request.params = [(k, v) for k, v in request.params if k != name]
        else:
            request.headers.pop(name, None)

    return change


def _replace_body(value: Any):  # type: ignore[no-untyped-def]
    def change(request: Request) -> None:
        request.json = value

    return change


def _drop_field(name: str):  # type: ignore[no-untyped-def]
    def change(request: Request) -> None:
        request.json.pop(name, None)

    return change


def _set_field(name: str, value: Any):  # type: ignore[no-untyped-def]
    def change(request: Request) -> None:
        request.json[name] = value

    return change
