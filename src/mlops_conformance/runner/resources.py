"""Real path parameters, resources created for the run, and their guaranteed cleanup.

Reads use ids that exist: the list operation above a parameter is asked for its first items (the
target's own data, read-only). Writes never touch a resource the run did not create: the item they
address is created first (named with the ``mlops-conformance-`` prefix) and deleted afterwards.
When no valid value can be found the parameter is invented, and the exchange says so
(``fabricated``), because then a 404 is the right answer.

Every created resource is registered with the ``Tracker`` before anything else happens to it, and
deleted in reverse order when its owner is done, or at the end of the session at the latest
(also after a failure or an interrupt). A delete that fails is kept as a cleanup error.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..checks import (
    NAME_PREFIX,
    BodyNotJSON,
    CheckContext,
    Exchange,
    ResourceFamily,
    judge_for,
    resource_families,
)
from ..checks.examples import media_examples
from . import paths
from .client import NOT_SET, WritesNotAllowed
from .generate import GenerationFailed
from .paths import ok_status as _ok

if TYPE_CHECKING:
    from ..contract import Contract, Operation
    from .client import TargetClient
    from .generate import Generator

FABRICATED_PREFIX = "mlops-conformance-missing-"
_ID_LIKE = re.compile(r"(_id|Id|ID)$")
_NAME_FIELDS = ("name", "displayName", "title", "label")


@dataclass(frozen=True, slots=True)
class Cleanup:
    """The request that deletes a resource whose paths do not say how (an ``x-cleanup`` RPC)."""

    operation: str  # "POST /api/2.0/mlflow/experiments/delete"
    method: str
    path: str
    params: dict[str, Any] = field(default_factory=dict)
    json: dict[str, Any] | None = None


@dataclass(slots=True)
class Created:
    vendor: str
    family: ResourceFamily | None
    values: dict[str, Any]  # path parameters that address it, its own id included
    label: str = ""
    cleanup: Cleanup | None = None  # set when ``family`` is None

    @property
    def path(self) -> str:
        """Where it is deleted (the delete operation may sit under another version of the path)."""
        if self.cleanup is not None:
            return self.cleanup.path
        assert self.family is not None
        return paths.fill_as(self.family.delete.path, self.family.item, self.values)

    @property
    def delete_operation(self) -> str:
        if self.cleanup is not None:
            return self.cleanup.operation
        assert self.family is not None
        return self.family.delete.id


@dataclass(slots=True)
class Tracker:
    """Resources the run created and has not deleted yet, newest last.

    ``errors`` collects failed deletions that no row reports on its own (the lifecycle reports its
    own in ``lifecycle.cleanup``): ``{"vendor", "operation", "message"}``, for the summary.
    """

    client: TargetClient
    alive: list[Created] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)

    def add(self, created: Created) -> None:
        self.alive.append(created)

    def delete(self, created: Created, *, record: bool = True) -> str | None:
        """Delete one tracked resource; a failure is returned as a one-line message (and kept)."""
        if created not in self.alive:
            return None
        self.alive.remove(created)
        how = created.cleanup
        if how is None:
            exchange = self.client.send(created.vendor, "DELETE", created.path, meta={"mode": "cleanup"})
        else:
            exchange = self.client.send(
                created.vendor,
                how.method,
                how.path,
                params=how.params or None,
                json=how.json if how.json is not None else NOT_SET,
                meta={"mode": "cleanup"},
            )
        status = exchange.status
        if exchange.error is None and status is not None and (200 <= status < 300 or status in (404, 410)):
            return None
        why = exchange.error or f"{how.method if how else 'DELETE'} answered {status}"
        message = f"{created.vendor} {created.path} ({created.label or 'unnamed'}) left behind: {why}"
        if record:
            self.errors.append(
                {"vendor": created.vendor, "operation": created.delete_operation, "message": message}
            )
        return message

    def delete_all(self, owned: list[Created] | None = None, *, record: bool = True) -> list[str]:
        """Delete ``owned`` (or everything still alive), newest first; the failures."""
        targets = list(reversed(owned if owned is not None else self.alive))
        return [m for m in (self.delete(c, record=record) for c in targets) if m]


class Resources:
    """Finds, creates and cleans up the resources one vendor's requests are addressed to."""

    def __init__(
        self,
        vendor: str,
        contract: Contract,
        client: TargetClient,
        generator: Generator,
        tracker: Tracker,
        *,
        writes: bool,
        sandbox: bool = False,
    ) -> None:
        self.vendor = vendor
        self.contract = contract
        self.client = client
        self.generator = generator
        self.tracker = tracker
        self.writes = writes
        self._existing: dict[tuple[tuple[str, ...], str, tuple[tuple[str, str], ...]], str | None] = {}
        self._why_missing: dict[tuple[tuple[str, ...], str], str] = {}
        self._guessed: dict[tuple[tuple[str, ...], str], str] = {}  # by (list shape, parameter)
        self._depth = 0  # nesting of discoveries through lists under other parents
        self.sandbox = sandbox  # the embedded mock: writes may address what the run did not create
        self._families = {f.item: f for f in resource_families(contract)}
        self._by_shape = {paths.shape(f.item): f for f in writable_families(contract)}

    def families(self) -> list[ResourceFamily]:
        return resource_families(self.contract)

    # ---- reads: ids that exist ------------------------------------------------------------------
    def existing(self, op: Operation, *, fresh: bool = False) -> tuple[dict[str, Any], bool]:
        """Values for every path parameter of ``op`` and whether any had to be invented.

        ``fresh`` lists again instead of using what an earlier listing found (the ids may have
        been deleted since, on a target other users share).
        """
        if fresh:
            wanted = paths.shape(op.path)
            for key in [k for k in self._existing if k[0] == wanted]:
                del self._existing[key]
        values: dict[str, Any] = {}
        fabricated = False
        for name in paths.template_names(op.path):
            value = self._enum_value(op, name)
            if value is None:
                value = self._discover(op.path, name, values)
            if value is None:
                value, fabricated = f"{FABRICATED_PREFIX}{name}", True
            values[name] = value
        return values, fabricated

    def query_ids(self, op: Operation) -> dict[str, Any]:
        """Real values for a read's required id-like query parameters, where some list names them.

        RPC APIs address an object in the query (MLflow's ``experiments/get?experiment_id=``), so
        a drawn value there is almost never an object that exists. These come from a list found by
        name (``experiments/search``): guesses, like any id not listed right above a path parameter.
        """
        found: dict[str, Any] = {}
        for parameter in op.query_parameters():
            name = str(parameter.get("name", ""))
            if parameter.get("required") and _ID_LIKE.search(name):
                value = self._discover(f"{op.path}/{{{name}}}", name, {})
                if value is not None:
                    found[name] = value
        return found

    def why_uncertain(self, op: Operation, values: dict[str, Any]) -> str | None:
        """Why a 404 for ``op`` with ``values`` would prove nothing: a path value was invented, or
        read from a field that only probably names it (None when every value is certain)."""
        invented = self.why_invented(op, values)
        if invented:
            return invented
        for name in paths.template_names(op.path):
            for list_op in paths.lists_for(self.contract, op.path, name)[:3]:
                guessed = self._guessed.get((paths.shape(list_op.path), name))
                if guessed:
                    return guessed
        return None

    def why_invented(self, op: Operation, values: dict[str, Any]) -> str | None:
        """Why a path value of ``op`` had to be invented, in words for a skip reason (None if none was)."""
        for name in paths.template_names(op.path):
            if str(values.get(name, "")).startswith(FABRICATED_PREFIX):
                why = self._why_missing.get((paths.shape(op.path), name))
                return f"the {name} was invented: {why or 'no listing gave one'}"
        return None

    def _enum_value(self, op: Operation, name: str) -> Any:
        for parameter in op.path_parameters():
            if parameter.get("name") == name:
                schema = self.contract.resolve(parameter.get("schema") or {})
                enum = schema.get("enum") if isinstance(schema, dict) else None
                if enum:
                    return enum[0]
        return None

    def _discover(self, path: str, name: str, known: dict[str, Any], *, last: bool = False) -> str | None:
        key = (
            paths.shape(path),
            name + ("#last" if last else ""),
            tuple(sorted((k, str(v)) for k, v in known.items())),
        )
        if key not in self._existing:
            self._existing[key] = None
            lists = paths.lists_for(self.contract, path, name)[:3]
            direct = paths.direct_lists(self.contract, path, name)
            for list_op in lists:
                value = self._first_id(list_op, name, known, last=last, direct=list_op in direct)
                if value is not None:
                    self._existing[key] = value
                    break
            if self._existing[key] is None:
                self._why_missing[(paths.shape(path), name)] = (
                    f"{' and '.join(op.id for op in lists)} listed none"
                    if lists
                    else f"no documented operation lists {name} values, so no real one can be obtained"
                )
        return self._existing[key]

    def _first_id(
        self, list_op: Operation, name: str, known: dict[str, Any], *, last: bool = False, direct: bool = True
    ) -> str | None:
        parents = paths.template_names(list_op.path)
        if any(p not in known for p in parents):
            # A list found by name under other parents (``/datasets/{datasetId}/snapshots`` for
            # ``snapshotId``): find those parents first, from their own lists.
            if self._depth >= 3:
                return None
            self._depth += 1
            try:
                found, invented = self.existing(list_op)
            finally:
                self._depth -= 1
            if invented:
                return None
            known = {**found, **known}
        exchange = self.client.send(
            self.vendor,
            "GET",
            paths.fill(list_op.path, known),
            params=minimal_query(self.contract, list_op),
            meta={"mode": "discovery"},
        )
        if exchange.error or not _ok(exchange.status) or exchange.response is None:
            return None
        try:
            body = exchange.response.json()
        except BodyNotJSON:
            return None
        items = paths.items_of(list_op, body)
        for item in reversed(items) if last else items:
            found = paths.id_and_field(item, name)
            if found is not None:
                if not direct:
                    self._guessed[(paths.shape(list_op.path), name)] = (
                        f"the {name} was taken from {list_op.id}, a list found by its name, a guess"
                    )
                elif not paths.is_sure_id_field(name, found[1]):
                    self._guessed[(paths.shape(list_op.path), name)] = (
                        f"the {name} was read from the {found[1]!r} field of {list_op.id}, a guess"
                    )
                return found[0]
        return None

    # ---- writes: resources of our own -----------------------------------------------------------
    def family_for_item(self, op: Operation) -> ResourceFamily | None:
        return self._by_shape.get(paths.shape(op.path))

    def for_write(self, op: Operation) -> tuple[dict[str, Any], bool, list[Created]]:
        """Path values for a write: parents that exist, and a fresh item of our own as the target.

        Returns the values, whether any was invented, and what was created (the caller deletes it).
        """
        values, fabricated = self.existing(op)
        created: list[Created] = []
        names = paths.template_names(op.path)
        family = self.family_for_item(op)
        if names and paths.segments(op.path)[-1] == "{" + names[-1] + "}":
            fresh = self.create(family, values) if family is not None else None
            if fresh is None and self.sandbox and not fabricated:
                # Our own sandbox (the embedded mock): the listed item may be written to. A delete
                # takes the last one listed, so the first stays for every other operation. An id
                # that was only guessed is tried too, but then a 404 is no finding (``fabricated``).
                if op.method == "DELETE":
                    parents = {k: v for k, v in values.items() if k != names[-1]}
                    values[names[-1]] = (
                        self._discover(op.path, names[-1], parents, last=True) or values[names[-1]]
                    )
                fabricated = self.why_uncertain(op, values) is not None
            elif fresh is None:
                values[names[-1]], fabricated = f"{FABRICATED_PREFIX}{names[-1]}", True
            else:
                created.append(fresh[0])
                values[names[-1]] = fresh[0].values[family.id_parameter]  # type: ignore[union-attr]
        return values, fabricated, created

    def create(self, family: ResourceFamily, parents: dict[str, Any]) -> tuple[Created, Exchange] | None:
        """Create one resource of ``family`` under ``parents``; registered with the tracker at once."""
        if not self.writes:
            return None
        body, sent = self.creation_body(family.create)
        exchange = self.send_body(
            family.create, paths.fill(family.create.path, parents), body, {"mode": "create"}, parents
        )
        resource_id = created_id(exchange, family.id_parameter, family.create)
        if resource_id is None:
            return None
        values = {
            **{k: v for k, v in parents.items() if k in paths.template_names(family.item)},
            family.id_parameter: resource_id,
        }
        created = Created(self.vendor, family, values, label=str(sent.get("name", resource_id)))
        self.tracker.add(created)
        return created, exchange

    def creation_body(self, op: Operation, *, update: bool = False) -> tuple[Any, dict[str, Any]]:
        """A request body for ``op`` (its documented example when valid, else a generated one) with a
        recognisable name; also the top-level fields it sets, for read-back comparisons."""
        request_body = self.contract.resolve(op.request_body or {})
        content = request_body.get("content") or {} if isinstance(request_body, dict) else {}
        entry = content.get("application/json")
        body: Any = None
        if isinstance(entry, dict):
            schema = entry.get("schema") or {}
            ctx = CheckContext(self.contract, op)
            for _, value, _ in media_examples(ctx, entry):
                if isinstance(value, dict) and judge_for(self.contract).is_valid(schema, value):
                    body = dict(value)
                    break
        if body is None:
            try:
                generated = self.generator.requests(op, negative=False, count=1)
            except GenerationFailed:
                generated = []
            body = generated[0].json if generated and generated[0].has_json else ({} if entry else None)
        if isinstance(body, dict):
            schema = self.contract.resolve((entry or {}).get("schema") or {})
            body = name_fields(self.contract, schema, body, suffix="updated" if update else "")
            return body, {k: v for k, v in body.items() if not isinstance(v, (dict, list))}
        return body, {}

    def send_body(
        self, op: Operation, path: str, body: Any, meta: dict[str, Any], values: dict[str, Any]
    ) -> Exchange:
        try:
            if body is None:
                return self.client.send(self.vendor, op.method, path, meta=meta, path_parameters=values)
            return self.client.send(
                self.vendor, op.method, path, json=body, meta=meta, path_parameters=values
            )
        except WritesNotAllowed as exc:  # pragma: no cover - callers check ``writes`` first
            raise RuntimeError(str(exc)) from None

    def track_created(self, op: Operation, exchange: Exchange) -> Created | None:
        """Register whatever a successful POST on a family's collection (or an ``x-cleanup`` create)
        created, for deletion."""
        if exchange.status is None or not 200 <= exchange.status < 300:
            return None
        families = [f for f in self._families.values() if f.create == op]
        if not families:
            return self._track_by_cleanup(op, exchange)
        family = families[0]
        resource_id = created_id(exchange, family.id_parameter, family.create)
        if resource_id is None:
            return None
        values = {
            **{
                k: v
                for k, v in exchange.request.path_parameters.items()
                if k in paths.template_names(family.item)
            },
            family.id_parameter: resource_id,
        }
        created = Created(self.vendor, family, values, label=resource_id)
        self.tracker.add(created)
        return created

    def _track_by_cleanup(self, op: Operation, exchange: Exchange) -> Created | None:
        how = cleanup_request(self.contract, op, exchange)
        if how is None:
            return None
        created = Created(self.vendor, None, {}, label=_label(how), cleanup=how)
        self.tracker.add(created)
        return created


def _label(how: Cleanup) -> str:
    values = {**how.params, **(how.json or {})}
    return ", ".join(f"{k}={v}" for k, v in sorted(values.items()))


def cleanup_request(contract: Contract, op: Operation, exchange: Exchange) -> Cleanup | None:
    """The delete request ``op``'s ``x-cleanup`` describes, filled from a successful answer; None when
    the answer lacks a value the delete needs (nothing is then deleted: never a guess)."""
    spec = op.spec.get("x-cleanup")
    if not isinstance(spec, dict) or exchange.response is None:
        return None
    method, _, path = str(spec.get("operation", "")).partition(" ")
    try:
        target = contract.operation(method, path)
    except KeyError:
        return None
    try:
        body = exchange.response.json()
    except BodyNotJSON:
        return None
    values: dict[str, Any] = {}
    for name, pointer in (spec.get("values") or {}).items():
        found = paths.at_pointer(body, str(pointer))
        if found is None or isinstance(found, (dict, list)):
            return None
        values[name] = found
    in_path = set(paths.template_names(target.path))
    in_query = {p.get("name") for p in target.query_parameters()} - in_path
    rest = {k: v for k, v in values.items() if k not in in_path}
    if target.request_body is None or target.method == "GET":
        params, json_body = {k: v for k, v in rest.items() if k in in_query}, None
    else:
        params, json_body = {}, rest
    return Cleanup(target.id, target.method, paths.fill(target.path, values), params, json_body)


def created_id(exchange: Exchange, parameter: str, create: Operation | None = None) -> str | None:
    """The id a create answered with: where the contract's ``x-cleanup`` of ``create`` says it is,
    else a body field found by name, else the last segment of ``Location``."""
    response = exchange.response
    if exchange.error or response is None or not 200 <= response.status < 300:
        return None
    pointer = ((create.spec.get("x-cleanup") or {}).get("values") or {}).get(parameter) if create else None
    try:
        body = response.json()
    except BodyNotJSON:
        body = None
    stated = paths.at_pointer(body, str(pointer)) if pointer else None
    if stated is not None and not isinstance(stated, (dict, list, bool)):
        return str(stated)
    found = paths.id_of(body, parameter) if body is not None else None
    if found is None and response.headers.get("location"):
        tail = [s for s in response.headers["location"].split("?")[0].split("/") if s]
        found = tail[-1] if tail else None
    return found


def writable_families(contract: Contract) -> list[ResourceFamily]:
    """Families a write can make its own item in: the lifecycle's families (create, read, delete),
    and collections with a create and an item delete but no item read (``/datasets/{id}/tags`` and
    ``.../tags/{tagName}``), whose ``read`` is their delete: only ``create``, ``delete``, ``item``
    and ``id_parameter`` are used to make and remove an item for a write."""
    found = list(resource_families(contract))
    known = {paths.shape(f.item) for f in found}
    by_shape = {(paths.shape(op.path), op.method): op for op in contract.operations()}
    for op in contract.operations():
        parts = paths.segments(op.path)
        if op.method != "POST" or not parts or parts[-1].startswith("{"):
            continue
        item = (*paths.shape(op.path), "{}")
        remove = by_shape.get((item, "DELETE"))
        if remove is None or item in known:
            continue
        known.add(item)
        found.append(
            ResourceFamily(
                collection=op.path,
                item=remove.path,
                id_parameter=paths.template_names(remove.path)[-1],
                create=op,
                read=remove,
                delete=remove,
            )
        )
    return found


def name_fields(contract: Contract, schema: Any, body: dict[str, Any], *, suffix: str = "") -> dict[str, Any]:
    """``body`` with its name-like string fields set to ``mlops-conformance-<random>`` (within maxLength)."""
    properties = schema.get("properties") if isinstance(schema, dict) else None
    if not isinstance(properties, dict):
        return body
    named = dict(body)
    for field_name in _NAME_FIELDS:
        prop = contract.resolve(properties.get(field_name))
        if not isinstance(prop, dict):
            continue
        types = prop.get("type")
        if types != "string" and not (isinstance(types, list) and "string" in types):
            continue
        if prop.get("enum") or prop.get("format") or prop.get("pattern"):
            continue
        value = NAME_PREFIX + secrets.token_hex(4) + (f"-{suffix}" if suffix else "")
        limit = prop.get("maxLength")
        if isinstance(limit, int) and limit < len(value):
            value = value[: max(limit, 0)]
        named[field_name] = value
    return named


def minimal_query(contract: Contract, op: Operation) -> list[tuple[str, Any]]:
    """Query parameters a plain listing needs: every required one with a valid value, small pages."""
    query: list[tuple[str, Any]] = []
    for parameter in op.query_parameters():
        name = parameter.get("name")
        schema = contract.resolve(parameter.get("schema") or {})
        if name == (op.pagination or {}).get("limit", "limit") and op.pagination:
            query.append((name, 10))
        elif name == (op.pagination or {}).get("offset", "offset") and op.pagination:
            query.append((name, 0))
        elif parameter.get("required"):
            query.append((name, plain_value(schema)))
    return query


def plain_value(schema: Any) -> Any:
    """A valid, boring value for a parameter schema: default, first enum value, example, or by type."""
    if not isinstance(schema, dict):
        return "mlops-conformance"
    for key in ("default", "example"):
        if key in schema and schema[key] is not None:
            return schema[key]
    if schema.get("enum"):
        return schema["enum"][0]
    kinds = schema.get("type")
    kind = kinds if isinstance(kinds, str) else next((k for k in kinds or [] if k != "null"), "string")
    minimum = schema.get("minimum", 1)
    return {
        "integer": int(minimum) if isinstance(minimum, (int, float)) else 1,
        "number": minimum if isinstance(minimum, (int, float)) else 1,
        "boolean": "false",
        "array": plain_value(schema.get("items")),
    }.get(kind, "mlops-conformance")
