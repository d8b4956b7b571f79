"""Fault injection: each fault makes the mock break exactly one documented rule.

Used to prove the conformance suite catches what it claims to catch: run it against
``mlops-conformance mock --fault NAME`` and the matching check must fail. A fault is a named object
whose hooks the app consults at fixed points (auth, dispatch, pagination, the final body, status and
headers); a hook that is not overridden changes nothing. Body faults pick the first property where
the change really breaks the schema (the result is re-validated), so a fault never goes unnoticed
merely because a response had nothing to break.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any, ClassVar

from .schemas import SchemaTools

SLOW_SECONDS = 2.0
_FORMAT_BREAKERS = (
    "date-time",
    "date",
    "time",
    "uri",
    "url",
    "email",
    "uuid",
    "duration",
    "ipv4",
    "ipv6",
    "hostname",
)


class Fault:
    """One way to break the contract. Subclasses override the hooks their rule needs."""

    name = ""
    description = ""

    # -- hooks (defaults: behave correctly) --------------------------------------------------------
    checks_auth = True
    persists_create = True
    persists_update = True
    persists_delete = True
    delay_seconds = 0.0
    bad_input_status: str | None = None
    content_type: str | None = None

    def crashes(self, operation_index: int) -> bool:
        return False

    def status(self, status: str, documented: list[str]) -> str:
        return status

    def headers(self, headers: dict[str, str]) -> dict[str, str]:
        return headers

    def body(self, tools: SchemaTools, schema: Any, body: Any) -> Any:
        return body

    def page_slice(self, offset: int, limit: int) -> tuple[int, int | None]:
        return offset, (offset + limit) if limit else None

    def total(self, total: int) -> int:
        return total

    def next_offset(self, correct: int | None, offset: int, limit: int) -> int | None:
        return correct

    def __repr__(self) -> str:
        return f"Fault({self.name!r})"


def _slots(
    tools: SchemaTools, schema: Any, value: Any, depth: int = 0
) -> Iterator[tuple[dict[str, Any], str, Any, bool]]:
    """Every (object, property, property schema, required?) in ``value``, shallowest first."""
    if depth > 12:
        return
    if isinstance(value, dict):
        node = tools.object_branch(schema)
        if node is None:
            return
        properties = tools.properties(node)
        required = set(tools.required(node))
        present = [(name, sub) for name, sub in properties.items() if name in value]
        for name, sub in present:
            yield value, name, sub, name in required
        for name, sub in present:
            yield from _slots(tools, sub, value[name], depth + 1)
    elif isinstance(value, list):
        items = tools.array_items(schema)
        for item in value:
            yield from _slots(tools, items, item, depth + 1)


class _BodyFault(Fault):
    """Breaks the first property where :meth:`mutate` turns a valid body into an invalid one."""

    def mutate(
        self, tools: SchemaTools, container: dict[str, Any], key: str, schema: Any, required: bool
    ) -> bool:
        raise NotImplementedError

    def body(self, tools: SchemaTools, schema: Any, body: Any) -> Any:
        if schema is None or not isinstance(body, (dict, list)):
            return body
        count = sum(1 for _ in _slots(tools, schema, body))
        for index in range(count):
            candidate = copy.deepcopy(body)
            slot = next(s for i, s in enumerate(_slots(tools, schema, candidate)) if i == index)
            if self.mutate(tools, *slot) and not tools.is_valid(schema, candidate):
                return candidate
        return body


class MissingRequired(_BodyFault):
    name = "missing-required-field"
    description = "drops a required property from success bodies"

    def mutate(self, tools, container, key, schema, required):  # type: ignore[no-untyped-def]
        if not required:
            return False
        del container[key]
        return True


class OutOfEnum(_BodyFault):
    name = "out-of-enum-value"
    description = "sets an enum property to a value outside its documented enum"

    def mutate(self, tools, container, key, schema, required):  # type: ignore[no-untyped-def]
        values = tools.merged(schema).get("enum")
        if not values:
            return False
        strings = [v for v in values if isinstance(v, str)]
        container[key] = ("zz-not-in-enum-" + "".join(strings)[:20]) if strings or not values else 987654321
        return True


class WrongType(_BodyFault):
    name = "wrong-type"
    description = "gives a property a value of the wrong JSON type (e.g. a number for a string)"

    _SWAP: ClassVar[dict[str, Any]] = {
        "string": 12345,
        "integer": "12345",
        "number": "1.5",
        "boolean": "true",
        "array": {"item": 1},
        "object": ["item"],
    }

    def mutate(self, tools, container, key, schema, required):  # type: ignore[no-untyped-def]
        types = [t for t in tools.types(schema) if t != "null"]
        if not types:
            return False
        container[key] = self._SWAP[types[0]]
        return True


class NullNotNullable(_BodyFault):
    name = "null-not-nullable"
    description = "sets a property that is not nullable to null"

    def mutate(self, tools, container, key, schema, required):  # type: ignore[no-untyped-def]
        if tools.nullable(schema):
            return False
        container[key] = None
        return True


class BadFormat(_BodyFault):
    name = "format-violation"
    description = "breaks a formatted string (date-time, uri, email, uuid, ...)"

    def mutate(self, tools, container, key, schema, required):  # type: ignore[no-untyped-def]
        fmt = tools.merged(schema).get("format")
        if fmt not in _FORMAT_BREAKERS or not isinstance(container[key], str):
            return False
        container[key] = f"not a {fmt}"
        return True


class BrokenRestriction(_BodyFault):
    name = "restriction-violation"
    description = "breaks a length, size or numeric bound (inclusive or exclusive)"

    def mutate(self, tools, container, key, schema, required):  # type: ignore[no-untyped-def]
        node = tools.merged(schema)
        value = container[key]
        if isinstance(value, str) and "maxLength" in node:
            container[key] = "x" * (int(node["maxLength"]) + 1)
        elif isinstance(value, str) and node.get("minLength", 0) > 0:
            container[key] = ""
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            for keyword, broken in (
                ("exclusiveMaximum", lambda b: b),
                ("exclusiveMinimum", lambda b: b),
                ("maximum", lambda b: b + 1),
                ("minimum", lambda b: b - 1),
            ):
                bound = node.get(keyword)
                if isinstance(bound, (int, float)) and not isinstance(bound, bool):
                    container[key] = broken(bound)
                    return True
            return False
        elif isinstance(value, list) and "maxItems" in node:
            container[key] = (value * (int(node["maxItems"]) + 1))[: int(node["maxItems"]) + 1] or [None]
        elif isinstance(value, list) and node.get("minItems", 0) > 0:
            container[key] = []
        else:
            return False
        return True


class UndocumentedStatus(Fault):
    name = "undocumented-status"
    description = "answers successful requests with a 2xx status the operation does not document"

    def status(self, status: str, documented: list[str]) -> str:
        if not status.startswith("2"):
            return status
        return next(s for s in ("203", "226", "299") if s not in documented)


class WrongContentType(Fault):
    name = "wrong-content-type"
    description = "labels JSON bodies text/plain"
    content_type = "text/plain; charset=utf-8"


class MissingLocation(Fault):
    name = "missing-location"
    description = "omits the Location header where a 201/202 documents it"

    def headers(self, headers: dict[str, str]) -> dict[str, str]:
        return {k: v for k, v in headers.items() if k.lower() != "location"}


class WrongTotal(Fault):
    name = "wrong-pagination-total"
    description = "reports one item more in the pagination total than the collection holds"

    def total(self, total: int) -> int:
        return total + 1


class WrongLinks(Fault):
    name = "wrong-pagination-links"
    description = "points next one item too far, and keeps it non-null on the last page"

    def next_offset(self, correct: int | None, offset: int, limit: int) -> int | None:
        return offset + limit + 1


class OversizedPage(Fault):
    name = "page-exceeds-limit"
    description = "returns one item more than the requested limit"

    def page_slice(self, offset: int, limit: int) -> tuple[int, int]:
        return offset, offset + limit + 1


class OverlappingPages(Fault):
    name = "duplicate-items"
    description = "overlaps consecutive pages by one item, so a walk sees duplicates"

    def page_slice(self, offset: int, limit: int) -> tuple[int, int]:
        start = max(0, offset - 1)
        return start, start + limit


class ServerError(Fault):
    name = "server-error"
    description = "answers 500 on every other operation (in contract order)"

    def crashes(self, operation_index: int) -> bool:
        return operation_index % 2 == 0


class Slow(Fault):
    name = "slow"
    description = f"delays every response by {SLOW_SECONDS:g} seconds"
    delay_seconds = SLOW_SECONDS


class NoAuth(Fault):
    name = "no-auth"
    description = "accepts requests without credentials or with a wrong token"
    checks_auth = False


class CrashOnBadInput(Fault):
    name = "crash-on-bad-input"
    description = "answers invalid parameters and bodies with 500 instead of a 4xx"
    bad_input_status = "500"


class CreateNotPersisted(Fault):
    name = "create-not-persisted"
    description = "answers creates but stores nothing, so the new id is unknown afterwards"
    persists_create = False


class UpdateIgnored(Fault):
    name = "update-ignored"
    description = "answers updates but later reads still show the old values"
    persists_update = False


class DeleteIgnored(Fault):
    name = "delete-ignored"
    description = "answers deletes but the resource can still be read"
    persists_delete = False


FAULTS: dict[str, Fault] = {
    fault.name: fault
    for fault in (
        MissingRequired(),
        OutOfEnum(),
        WrongType(),
        NullNotNullable(),
        BadFormat(),
        BrokenRestriction(),
        UndocumentedStatus(),
        WrongContentType(),
        MissingLocation(),
        WrongTotal(),
        WrongLinks(),
        OversizedPage(),
        OverlappingPages(),
        ServerError(),
        Slow(),
        NoAuth(),
        CrashOnBadInput(),
        CreateNotPersisted(),
        UpdateIgnored(),
        DeleteIgnored(),
    )
}

NO_FAULT = Fault()
