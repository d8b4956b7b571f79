"""Defects of a user's OpenAPI document, found and repaired on the loaded copy (``run``/``mock --contract``).

Real specs contradict themselves. Left alone, a contradiction either crashes a tool (a ``$ref`` that
leads nowhere, a pattern no regex engine compiles) or turns into a ``fail`` against a server that did
nothing wrong (an example that breaks its own schema used as a positive sample, a property required but
never defined, ``enum: []`` that no value satisfies). So at load time, once, on the normalised copy:

* every defect is repaired so that *nothing is asserted on the broken part* (the repair never adds a
  constraint, it only removes the broken one);
* every defect is recorded with its JSON pointer: in the top-level ``x-doc-issues`` list (the
  contract format's place for the documentation's own inconsistencies) and on the one operation it is
  attributed to (``x-spec-defects``), from which the check ``examples.spec_defects`` reports it as a
  single ``docs`` row. A defect inside a component is attributed to the first operation (document
  order) that reaches the component through ``$ref``s, else to the first operation of the document.

Kinds and repairs (a repair is the least change that makes the part assert nothing):

=======================  =================================================================================
``dangling-ref``         a ``$ref`` that resolves to nothing (or points outside the document): a schema
                         becomes ``{}`` (its sibling keywords kept), a parameter or request body is
                         dropped, a response keeps only a description
``ref-cycle``            ``$ref``s that only lead to each other (``A: {$ref: B}``, ``B: {$ref: A}``): the
                         ``$ref`` closing the cycle is removed (``{}``)
``empty-enum``           ``enum: []`` (nothing is valid), or an ``enum`` that is not a list: dropped
``required-undefined``   a ``required`` name that no ``properties`` (of the node or its ``allOf``
                         parts) defines, in an object whose members are all listed: no longer required
``invalid-pattern``      a ``pattern`` no regex engine of the tool compiles: dropped
``invalid-default``      a ``default`` that breaks its own schema: dropped
``example-mismatch``     an example that breaks its own schema: a schema's ``examples`` entry or a
                         parameter's example is dropped; a media type's example moves to
                         ``x-invalid-examples``, whose own check (``examples.*_examples``) reports it
                         (so it is not recorded a second time here)
``duplicate-operationId`` an ``operationId`` used before: renamed ``<id>_<n>`` (the original kept in
                         ``x-original-operationId``)
``no-responses``         an operation without ``responses``: given ``default`` (any status, no body),
                         marked ``x-inferred``
``no-response-schema``   a GET whose success answers document no body schema: nothing to repair, the
                         body is simply not checked (recorded so the gap is visible)
=======================  =================================================================================

Legitimate but demanding shapes are *not* defects: a recursive schema (``Node.children: [Node]``) is
valid JSON Schema and stays; an operation whose answers document no body simply has nothing to check.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from .refs import absolute_refs

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
ISSUES = "x-doc-issues"
ON_OPERATION = "x-spec-defects"
_REGISTRY_URI = "urn:mlops-conformance:user-contract"
_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_ONE = ("items", "additionalProperties", "not", "contains", "propertyNames", "if", "then", "else")
_COMPONENT_GROUPS = ("schemas", "parameters", "responses", "requestBodies", "headers", "examples")

Pointer = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Defect:
    """One contradiction of the document, where it is, and what was done about it."""

    kind: str
    pointer: str
    message: str

    def as_issue(self) -> dict[str, str]:
        return {"kind": self.kind, "pointer": self.pointer, "message": self.message}


def pointer_text(parts: Pointer) -> str:
    """``("paths", "/a/{b}", "get")`` -> ``#/paths/~1a~1{b}/get`` (RFC 6901, as a URI fragment)."""
    return "#/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _parts(ref: str) -> list[str] | None:
    if not ref.startswith("#"):
        return None
    body = ref[1:]
    if body in ("", "/"):
        return []
    if not body.startswith("/"):
        return None
    return [unquote(p).replace("~1", "/").replace("~0", "~") for p in body[1:].split("/")]


def _lookup(document: Any, ref: str) -> tuple[bool, Any]:
    """(found, node) for a local ``$ref``; anything else (another file, a URL) is not found."""
    parts = _parts(ref)
    if parts is None:
        return False, None
    node = document
    for part in parts:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return False, None
    return True, node


def _walk(node: Any, where: Pointer) -> Iterator[tuple[Pointer, Any]]:
    """Every dict and list of the document with its pointer, parents first (iterative: deep specs)."""
    stack: list[tuple[Pointer, Any]] = [(where, node)]
    while stack:
        here, value = stack.pop()
        yield here, value
        if isinstance(value, dict):
            children = [(here + (k,), v) for k, v in value.items() if isinstance(v, (dict, list))]
        elif isinstance(value, list):
            children = [(here + (i,), v) for i, v in enumerate(value) if isinstance(v, (dict, list))]
        else:
            continue
        stack.extend(reversed(children))


def _operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    paths = document.get("paths")
    for path, item in (paths or {}).items() if isinstance(paths, dict) else ():
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            spec = item.get(method)
            if isinstance(spec, dict):
                yield path, method, spec


class _Repair:
    """One pass over one document; ``defects`` collects what it found, in document order."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.defects: list[Defect] = []
        self._registry: Any = None
        self._validators: dict[int, Any] = {}

    def note(self, kind: str, where: Pointer, message: str) -> None:
        self.defects.append(Defect(kind, pointer_text(where), message))

    # -- references ------------------------------------------------------------------------------

    def references(self) -> None:
        dangling: list[tuple[Pointer, str]] = []
        for where, node in _walk(self.document, ()):
            if isinstance(node, dict) and isinstance(node.get("$ref"), str):
                found, _target = _lookup(self.document, node["$ref"])
                if not found:
                    dangling.append((where, node["$ref"]))
        # last first: removing a list entry never shifts a pointer still to be handled
        for where, ref in sorted(dangling, key=lambda d: _order(d[0]), reverse=True):
            self._dangling(where, ref)
        self._cycles()

    def _dangling(self, where: Pointer, ref: str) -> None:
        parent, key = _at(self.document, where[:-1]), where[-1]
        if parent is None:
            return
        node = parent[key]
        context = self._context(where)
        if context in ("parameter", "requestBody", "drop"):
            if isinstance(parent, list):
                parent.pop(key)
            else:
                parent.pop(key, None)
            done = f"the {context if context != 'drop' else 'entry'} is left out"
        elif context == "response":
            parent[key] = {"description": node.get("description") or f"(unresolvable $ref {ref})"}
            done = "the response is read as undocumented in shape (no body asserted)"
        else:
            node.pop("$ref")
            done = "read as an unconstrained schema {}"
        self.note("dangling-ref", where, f"$ref {ref!r} resolves to nothing in the document; {done}")

    def _context(self, where: Pointer) -> str:
        """What kind of object sits at ``where``: a schema unless its position says otherwise."""
        if len(where) >= 2 and where[-2] == "parameters" and isinstance(where[-1], int):
            return "parameter"
        if where[-1:] == ("requestBody",):
            return "requestBody"
        if len(where) >= 3 and where[:2] == ("components", "parameters"):
            return "parameter" if len(where) == 3 else "schema"
        if len(where) == 3 and where[:2] == ("components", "requestBodies"):
            return "requestBody"
        if len(where) == 3 and where[0] == "components" and where[1] not in ("schemas", "responses"):
            return "drop"  # an example, header, link, callback or security scheme that is not there
        if len(where) == 3 and where[:2] == ("components", "responses"):
            return "response"
        if len(where) >= 2 and where[-2] == "responses" and where[0] == "paths":
            return "response"
        if (
            len(where) >= 2
            and where[-2] in ("examples", "headers", "links", "callbacks")
            and (len(where) < 3 or where[-3] != "properties")
        ):
            return "drop"
        return "schema"

    def _cycles(self) -> None:
        """``$ref`` chains that never reach a schema: cut where the chain comes back."""
        for where, node in list(_walk(self.document, ())):
            if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
                continue
            seen = {id(node)}
            current, current_where = node, where
            while isinstance(current, dict) and isinstance(current.get("$ref"), str):
                found, target = _lookup(self.document, current["$ref"])
                if not found:
                    break
                if id(target) in seen:
                    ref = current.pop("$ref")
                    self.note(
                        "ref-cycle", current_where, f"$ref {ref!r} only leads back to itself; read as {{}}"
                    )
                    break
                seen.add(id(target))
                current, current_where = target, tuple(_parts(current["$ref"]) or ())

    # -- schemas ---------------------------------------------------------------------------------

    def schemas(self) -> None:
        for where, schema in self._schema_roots():
            self._schema(schema, where, frozenset())

    def _schema_roots(self) -> Iterator[tuple[Pointer, Any]]:
        components = self.document.get("components") or {}
        for name, schema in (components.get("schemas") or {}).items():
            yield ("components", "schemas", name), schema
        for group in ("parameters", "headers"):
            for name, holder in (components.get(group) or {}).items():
                yield from self._holder(holder, ("components", group, name))
        for group in ("responses", "requestBodies"):
            for name, message in (components.get(group) or {}).items():
                yield from self._message(message, ("components", group, name))
        for path, item in (self.document.get("paths") or {}).items():
            if not isinstance(item, dict):
                continue
            for index, parameter in enumerate(item.get("parameters") or []):
                yield from self._holder(parameter, ("paths", path, "parameters", index))
            for method in HTTP_METHODS:
                spec = item.get(method)
                if not isinstance(spec, dict):
                    continue
                base = ("paths", path, method)
                for index, parameter in enumerate(spec.get("parameters") or []):
                    yield from self._holder(parameter, (*base, "parameters", index))
                yield from self._message(spec.get("requestBody"), (*base, "requestBody"))
                for status, response in (spec.get("responses") or {}).items():
                    yield from self._message(response, (*base, "responses", status))

    def _holder(self, node: Any, where: Pointer) -> Iterator[tuple[Pointer, Any]]:
        if isinstance(node, dict):
            if isinstance(node.get("schema"), dict):
                yield (*where, "schema"), node["schema"]
            yield from self._message(node, where)

    def _message(self, node: Any, where: Pointer) -> Iterator[tuple[Pointer, Any]]:
        if not isinstance(node, dict):
            return
        for media, entry in (node.get("content") or {}).items():
            if isinstance(entry, dict) and isinstance(entry.get("schema"), dict):
                yield (*where, "content", media, "schema"), entry["schema"]
        for name, header in (node.get("headers") or {}).items():
            yield from self._holder(header, (*where, "headers", name))

    def _schema(self, node: Any, where: Pointer, inherited: frozenset[str]) -> None:
        """One schema node and its subschemas; ``inherited``: member names its ``allOf`` siblings define."""
        if not isinstance(node, dict):
            return
        if "enum" in node and (not isinstance(node["enum"], list) or not node["enum"]):
            node.pop("enum")
            self.note(
                "empty-enum", (*where, "enum"), "an enum that lists no value admits nothing; not asserted"
            )
        pattern = node.get("pattern")
        if isinstance(pattern, str) and (reason := _bad_pattern(pattern)):
            node.pop("pattern")
            self.note("invalid-pattern", (*where, "pattern"), f"pattern {pattern!r} {reason}; not asserted")
        parts = [p for p in node.get("allOf") or [] if isinstance(p, dict)]
        siblings = inherited | {n for p in parts for n in self._defined(p, 0)}
        self._required(node, where, siblings)
        for key in _SCHEMA_MAPS:
            children = node.get(key)
            for name, child in list(children.items()) if isinstance(children, dict) else ():
                self._schema(child, (*where, key, name), frozenset())
        for key in _SCHEMA_LISTS:
            children = node.get(key)
            for index, child in enumerate(children) if isinstance(children, list) else ():
                self._schema(child, (*where, key, index), siblings if key == "allOf" else frozenset())
        for key in _SCHEMA_ONE:
            self._schema(node.get(key), (*where, key), frozenset())

    def _defined(self, node: Any, depth: int) -> set[str]:
        """Member names a schema defines, through ``$ref``s and ``allOf``; ``*`` when it admits any."""
        if not isinstance(node, dict) or depth > 16:
            return {"*"}
        names: set[str] = set()
        if isinstance(node.get("$ref"), str):
            found, target = _lookup(self.document, node["$ref"])
            names |= self._defined(target, depth + 1) if found else {"*"}
        if isinstance(node.get("properties"), dict):
            names |= set(node["properties"])
        if node.get("patternProperties") or node.get("additionalProperties") not in (None, False):
            names.add("*")
        for key in ("allOf", "anyOf", "oneOf"):
            for part in node.get(key) or []:
                names |= self._defined(part, depth + 1)
        return names

    def _required(self, node: dict[str, Any], where: Pointer, siblings: frozenset[str]) -> None:
        required = node.get("required")
        if not isinstance(required, list) or not isinstance(node.get("properties"), dict):
            return
        if "*" in siblings or any(node.get(k) for k in ("anyOf", "oneOf", "$ref", "patternProperties")):
            return
        if node.get("additionalProperties") not in (None, False):
            return
        defined = set(node["properties"]) | siblings
        missing = [name for name in required if isinstance(name, str) and name not in defined]
        if not missing:
            return
        node["required"] = [name for name in required if name not in missing]
        if not node["required"]:
            node.pop("required")
        for name in missing:
            self.note(
                "required-undefined",
                (*where, "required"),
                f"{name!r} is required but no 'properties' defines it; not required",
            )

    # -- values that break their own schema ------------------------------------------------------

    def values(self) -> None:
        for where, schema in self._schema_roots():
            for at, node in _walk(schema, where):
                if isinstance(node, dict) and not _under_value(at, len(where)):
                    self._schema_values(node, at)
        for where, holder in self._parameters():
            self._parameter_example(holder, where)
        for where, media in self._media():
            self._media_examples(media, where)

    def _schema_values(self, node: dict[str, Any], where: Pointer) -> None:
        if "default" in node and not self._valid(node, node["default"]):
            value = node.pop("default")
            self.note(
                "invalid-default", (*where, "default"), f"default {_short(value)} breaks its own schema"
            )
        examples = node.get("examples")
        if isinstance(examples, list) and examples:
            kept = [e for e in examples if self._valid(node, e)]
            for index, value in enumerate(examples):
                if value not in kept:
                    self.note(
                        "example-mismatch",
                        (*where, "examples", index),
                        f"example {_short(value)} breaks its own schema; not used as a sample",
                    )
            if len(kept) != len(examples):
                node["examples"] = kept
                if not kept:
                    node.pop("examples")

    def _parameters(self) -> Iterator[tuple[Pointer, dict[str, Any]]]:
        for where, node in self._schema_holders():
            if isinstance(node, dict) and isinstance(node.get("schema"), dict):
                yield where, node

    def _schema_holders(self) -> Iterator[tuple[Pointer, Any]]:
        components = self.document.get("components") or {}
        for group in ("parameters", "headers"):
            for name, node in (components.get(group) or {}).items():
                yield ("components", group, name), node
        for path, item in (self.document.get("paths") or {}).items():
            if not isinstance(item, dict):
                continue
            for index, node in enumerate(item.get("parameters") or []):
                yield ("paths", path, "parameters", index), node
            for method in HTTP_METHODS:
                spec = item.get(method)
                for index, node in enumerate(
                    (spec or {}).get("parameters") or [] if isinstance(spec, dict) else []
                ):
                    yield ("paths", path, method, "parameters", index), node

    def _parameter_example(self, holder: dict[str, Any], where: Pointer) -> None:
        schema = holder["schema"]
        if "example" in holder and not self._valid(schema, holder["example"]):
            value = holder.pop("example")
            self.note(
                "example-mismatch",
                (*where, "example"),
                f"example {_short(value)} breaks the parameter's schema; not used as a sample",
            )
        examples = holder.get("examples")
        for name, example in list(examples.items()) if isinstance(examples, dict) else ():
            if isinstance(example, dict) and "value" in example and not self._valid(schema, example["value"]):
                examples.pop(name)
                self.note(
                    "example-mismatch",
                    (*where, "examples", name),
                    f"example {_short(example['value'])} breaks the parameter's schema; not used as a sample",
                )

    def _media(self) -> Iterator[tuple[Pointer, dict[str, Any]]]:
        for where, node in _walk(self.document, ()):
            if (
                len(where) >= 2
                and where[-2] == "content"
                and isinstance(node, dict)
                and "schema" in node
                and where[0] in ("paths", "components")
                and "properties" not in where
            ):
                yield where, node

    def _media_examples(self, media: dict[str, Any], where: Pointer) -> None:
        """A media type's broken examples move to ``x-invalid-examples`` (reported by the examples checks)."""
        schema = media["schema"]
        invalid = media.get("x-invalid-examples") if isinstance(media.get("x-invalid-examples"), dict) else {}
        if "example" in media and not self._valid(schema, media["example"]):
            invalid["example"] = {"value": media.pop("example")}
        examples = media.get("examples")
        for name, example in list(examples.items()) if isinstance(examples, dict) else ():
            found, resolved = (
                _lookup(self.document, example["$ref"])
                if isinstance(example, dict) and isinstance(example.get("$ref"), str)
                else (True, example)
            )
            if (
                found
                and isinstance(resolved, dict)
                and "value" in resolved
                and not self._valid(schema, resolved["value"])
            ):
                invalid[name] = {"value": resolved["value"]}
                examples.pop(name)
        if invalid:
            media["x-invalid-examples"] = invalid
            if isinstance(examples, dict) and not examples:
                media.pop("examples")

    def _valid(self, schema: Any, value: Any) -> bool:
        """Whether ``value`` satisfies ``schema`` (formats included: the mock and the judge check them)."""
        if not isinstance(schema, dict) or not schema:
            return True
        import jsonschema_rs

        key = id(schema)
        validator = self._validators.get(key)
        if validator is None:
            if self._registry is None:
                self._registry = jsonschema_rs.Registry([(_REGISTRY_URI, self.document)])
            try:
                validator = jsonschema_rs.validator_for(
                    absolute_refs(schema, _REGISTRY_URI), validate_formats=True, registry=self._registry
                )
            except Exception:  # noqa: BLE001  (a schema the engine cannot compile asserts nothing here)
                return True
            self._validators[key] = validator
        try:
            return bool(validator.is_valid(value))
        except Exception:  # noqa: BLE001  (an engine failure on a value judges nothing)
            return True

    # -- operations ------------------------------------------------------------------------------

    def operations(self) -> None:
        seen: set[str] = set()
        for path, method, spec in _operations(self.document):
            where = ("paths", path, method)
            operation_id = spec.get("operationId")
            if isinstance(operation_id, str):
                if operation_id in seen:
                    number = 2
                    while f"{operation_id}_{number}" in seen:
                        number += 1
                    spec["x-original-operationId"] = operation_id
                    spec["operationId"] = f"{operation_id}_{number}"
                    self.note(
                        "duplicate-operationId",
                        (*where, "operationId"),
                        f"operationId {operation_id!r} is used by an earlier operation; "
                        f"read as {spec['operationId']!r}",
                    )
                seen.add(spec["operationId"])
            if not isinstance(spec.get("responses"), dict) or not spec["responses"]:
                spec["responses"] = {
                    "default": {"description": "no response documented", "x-inferred": "no-responses"}
                }
                self.note("no-responses", (*where, "responses"), "the operation documents no response")
            elif method == "get" and not self._any_body(spec["responses"]):
                self.note(
                    "no-response-schema",
                    (*where, "responses"),
                    "no success response documents a body schema; no answer's body is checked",
                )

    def _any_body(self, responses: dict[str, Any]) -> bool:
        for status, response in responses.items():
            if not (str(status).startswith("2") or status == "default"):
                continue
            if isinstance(response, dict) and isinstance(response.get("$ref"), str):
                response = _lookup(self.document, response["$ref"])[1]
            content = response.get("content") if isinstance(response, dict) else None
            if isinstance(content, dict) and any(
                isinstance(m, dict) and "schema" in m for m in content.values()
            ):
                return True
        return False


def _order(where: Pointer) -> tuple[tuple[int, Any], ...]:
    return tuple((0, p) if isinstance(p, int) else (1, str(p)) for p in where)


def _at(document: Any, where: Pointer) -> Any:
    """The container at ``where`` (a pointer as a tuple), or None."""
    node = document
    for part in where:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node if isinstance(node, (dict, list)) else None


def _under_value(where: Pointer, root: int) -> bool:
    """Whether a node sits inside a value (an ``examples``/``default``/``enum``/``const`` member)."""
    return any(part in ("examples", "default", "enum", "const", "example") for part in where[root:])


def _bad_pattern(pattern: str) -> str | None:
    """Why ``pattern`` cannot be used (the mock's and the generators' regex engines), else None."""
    try:
        re.compile(pattern)
    except re.error as exc:
        return f"is not a regular expression Python reads ({exc})"
    import jsonschema_rs

    try:
        jsonschema_rs.validator_for({"type": "string", "pattern": pattern})
    except Exception as exc:  # noqa: BLE001  (the engine's own error type varies by version)
        return f"is not an ECMA-262 regular expression ({' '.join(str(exc).split())[:120]})"
    return None


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _referenced(node: Any) -> Iterator[str]:
    for _where, value in _walk(node, ()):
        if isinstance(value, dict) and isinstance(value.get("$ref"), str):
            yield value["$ref"]


def _component_of(pointer: str) -> str | None:
    """``#/components/schemas/A/properties/b`` -> ``#/components/schemas/A``."""
    parts = pointer.split("/")
    if len(parts) >= 4 and parts[1] == "components":
        return "/".join(parts[:4])
    return None


def _attribute(document: dict[str, Any], defects: list[Defect]) -> None:
    """Put every defect on one operation: its own, its path's first, or the first that reaches it."""
    operations = list(_operations(document))
    if not operations:
        return
    by_pointer: dict[str, list[Defect]] = {}
    for defect in defects:
        by_pointer.setdefault(defect.pointer, []).append(defect)
    owned: dict[int, list[Defect]] = {}
    placed: set[int] = set()
    index_of = {(path, method): i for i, (path, method, _spec) in enumerate(operations)}
    first_of_path: dict[str, int] = {}
    for i, (path, _method, _spec) in enumerate(operations):
        first_of_path.setdefault(path, i)
    by_component: dict[str, list[Defect]] = {}
    for defect in defects:
        component = _component_of(defect.pointer)
        if component is not None:
            by_component.setdefault(component, []).append(defect)
            continue
        parts = _parts(defect.pointer) or []
        at = index_of.get((parts[1], parts[2])) if len(parts) >= 3 and parts[0] == "paths" else None
        if at is None and len(parts) >= 2 and parts[0] == "paths":
            at = first_of_path.get(parts[1])
        owned.setdefault(0 if at is None else at, []).append(defect)
        placed.add(id(defect))
    visited: set[str] = set()
    for i, (_path, _method, spec) in enumerate(operations):
        pending = [r for r in _referenced(spec) if r.startswith("#/components/")]
        path_item = document["paths"][_path]
        pending += [
            r for r in _referenced(path_item.get("parameters") or []) if r.startswith("#/components/")
        ]
        while pending:
            ref = pending.pop()
            component = _component_of(ref)
            if component is None or component in visited:
                continue
            visited.add(component)
            for defect in by_component.get(component, []):
                owned.setdefault(i, []).append(defect)
                placed.add(id(defect))
            found, node = _lookup(document, component)
            if found:
                pending += [r for r in _referenced(node) if r.startswith("#/components/")]
    for defects_left in by_component.values():
        for defect in defects_left:
            if id(defect) not in placed:
                owned.setdefault(0, []).append(defect)
    for i, found in owned.items():
        spec = operations[i][2]
        spec[ON_OPERATION] = [*spec.get(ON_OPERATION, []), *(d.as_issue() for d in found)]


def repair(document: dict[str, Any]) -> list[Defect]:
    """Find and repair the defects of ``document`` in place (give it a copy); return them, recorded.

    Order matters: references first (every later step may follow ``$ref``s), then schemas (so an
    example is judged against the repaired schema, never blamed for a dangling ``$ref``), then the
    values, then the operations.
    """
    work = _Repair(document)
    work.references()
    work.schemas()
    work.operations()
    work.values()
    if work.defects:
        document[ISSUES] = [*(document.get(ISSUES) or []), *(d.as_issue() for d in work.defects)]
        _attribute(document, work.defects)
    return work.defects
