"""What each documented operation *does*, read from the shape of the contract's paths.

No operation is described by hand. The rules, applied to every operation of every contract:

* A path whose last segment is a template (``/useCases/{useCaseId}/``) addresses an *item*; any other
  path addresses a *collection*. The collection key is the path without the item segment, with
  templates written ``{}`` and version segments (``v1``, ``beta``) written ``*``, so that Domino's
  ``POST /api/environments/beta/environments`` and ``GET /api/environments/v1/environments/{id}``
  address the same environments.
* GET on a collection is a *list* when it is paginated (``x-pagination``) or answers an array;
  POST on a collection is a *create* when the collection also has a list or item operations;
  GET/PATCH/PUT/DELETE on an item are *get*/*update*/*delete*; POST on an item is a *link* (it
  creates the item its URL names) when it documents 201 or the same path documents a DELETE;
  everything else is an *action* that answers generated data.
* A collection is *managed* when it has a list, a create or a link and clients can learn its ids
  from them (its items show the id, under the parameter's name, ``id``, its last word, or a name
  ending in it: ``modelVersion`` for ``version``): only the ids it holds exist, so an id the mock
  never issued is a 404.
* A collection that is not managed but whose ids another managed collection issues is an *alias* of
  it: the same parameter names the other's items (``/customJobsCleanup/{customJobId}/``), or the
  parameter names a resource the other holds in full (``/snapshots/{snapshotId}`` and
  ``/datasets/{datasetId}/snapshots``, which creates every snapshot; ``/credentials/{userId}`` and
  the top-level ``/users``). Only ids the other holds exist there.
* Any other collection is *open*: the contract documents no way to list or create its items, so
  the mock cannot have issued their ids (clients learn them from elsewhere); every id exists until
  deleted.
* Every collection with a list or managed is seeded, so lists are never empty.
* The templates above a collection scope it to a parent; a managed ancestor must hold the parent id,
  or the request gets 404.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..contract import Contract, Operation
from .routing import split, template_names
from .schemas import SchemaTools

_TEMPLATE = re.compile(r"^\{[^{}/]+\}$")
_VERSION = re.compile(r"^(v\d+(\.\d+)*|beta|alpha|preview)$")

LIST, CREATE, GET, UPDATE, DELETE, ACTION = "list", "create", "get", "update", "delete", "action"
LINK = "link"

_SUCCESS_PREFERENCE = {
    LIST: ("200", "206"),
    GET: ("200", "203"),
    CREATE: ("201", "200", "202"),
    UPDATE: ("200", "204", "202"),
    DELETE: ("204", "200", "202"),
    ACTION: ("200", "201", "202", "204"),
    LINK: ("201", "200", "204", "202"),
}

CollectionKey = tuple[str, ...]


def _segments(path: str) -> list[str]:
    parts = split(path)
    return parts[:-1] if parts and parts[-1] == "" else parts


def _normalise(segments: list[str]) -> CollectionKey:
    return tuple("{}" if _TEMPLATE.match(s) else ("*" if _VERSION.match(s) else s) for s in segments)


@dataclass(slots=True)
class Plan:
    """One operation, as the mock serves it."""

    op: Operation
    kind: str
    collection: CollectionKey
    scope_params: tuple[str, ...]
    id_param: str | None
    success: str
    ancestors: list[tuple[CollectionKey, int]] = field(default_factory=list)
    managed: bool = False
    item_template: str | None = None
    item_param: str | None = None  # the id parameter of the collection's items, when it has item operations
    id_fields: tuple[str, ...] = ("id",)  # members of its bodies that carry an item's id (see ``id_fields``)
    seeded: bool = False  # its scopes start with seeded records
    alias: CollectionKey | None = None  # the managed collection whose ids are the only ones that exist here

    @property
    def is_item(self) -> bool:
        return self.id_param is not None


def success_status(op: Operation, kind: str) -> str:
    """The documented 2xx this kind of operation answers with (the first 2xx when none is preferred)."""
    statuses = op.documented_statuses()
    for status in _SUCCESS_PREFERENCE[kind]:
        if status in statuses:
            return status
    two_xx = [s for s in statuses if s.startswith("2")]
    if two_xx:
        return two_xx[0]
    return "200"


def _answers_array(tools: SchemaTools, contract: Contract, op: Operation) -> bool:
    for status in ("200", "206"):
        schema = contract.response_schema(op, status)
        if schema is not None:
            return "array" in tools.types(schema)
    return False


def plan_operations(contract: Contract, tools: SchemaTools) -> list[Plan]:
    """A :class:`Plan` for every operation of ``contract``, following the module's rules."""
    shapes: list[tuple[Operation, CollectionKey, tuple[str, ...], str | None]] = []
    listed: set[CollectionKey] = set()
    posted: set[CollectionKey] = set()
    itemised: dict[CollectionKey, str] = {}
    item_params: dict[CollectionKey, str] = {}
    item_deletes: set[str] = set()
    for op in contract.operations():
        segments = _segments(op.path)
        names = template_names(op.path)
        if segments and _TEMPLATE.match(segments[-1]):
            key, scope, id_param = _normalise(segments[:-1]), tuple(names[:-1]), names[-1]
            if op.method in ("GET", "PATCH", "PUT", "DELETE"):
                itemised.setdefault(key, op.path)
                item_params.setdefault(key, id_param)
                if op.method == "GET":
                    itemised[key] = op.path
                    item_params[key] = id_param
                if op.method == "DELETE":
                    item_deletes.add(op.path)
        else:
            key, scope, id_param = _normalise(segments), tuple(names), None
            if op.method == "GET" and (op.pagination is not None or _answers_array(tools, contract, op)):
                listed.add(key)
            elif op.method == "POST":
                posted.add(key)
        shapes.append((op, key, scope, id_param))

    links = {
        op.id for op, _key, _scope, id_param in shapes if id_param is not None and _is_link(op, item_deletes)
    }
    linked = {key for op, key, _scope, _param in shapes if op.id in links}
    addressed = {key: id_param for _op, key, _scope, id_param in shapes if id_param is not None}
    # each collection's own operations, so the per-collection rules below stay linear in the contract
    by_key: dict[CollectionKey, list[tuple[Operation, CollectionKey, tuple[str, ...], str | None]]] = {}
    for shape in shapes:
        by_key.setdefault(shape[1], []).append(shape)
    fields = {
        key: collection_id_fields(contract, tools, key, own, item_params.get(key, addressed.get(key)))
        for key, own in by_key.items()
    }
    candidates = listed | {key for key in posted if key in itemised} | linked
    managed = {
        key
        for key in candidates
        if key in linked
        or _discoverable(contract, tools, key, by_key.get(key, []), listed, item_params.get(key), fields[key])
    }
    aliases = {
        key: target
        for key, param in addressed.items()
        if key not in managed
        and (target := _alias(key, item_params.get(key, param), managed, item_params, posted | linked))
        is not None
    }
    plans: list[Plan] = []
    for op, key, scope, id_param in shapes:
        if id_param is not None:
            kind = {"GET": GET, "PATCH": UPDATE, "PUT": UPDATE, "DELETE": DELETE}.get(op.method, ACTION)
            if op.id in links:
                kind = LINK
        elif op.method == "GET" and key in listed:
            kind = LIST
        elif op.method == "POST" and (key in listed or key in itemised):
            kind = CREATE
        else:
            kind = ACTION
        plan = Plan(
            op=op,
            kind=kind,
            collection=key,
            scope_params=scope,
            id_param=id_param,
            success=success_status(op, kind),
            managed=key in managed,
            item_template=itemised.get(key),
            item_param=id_param or item_params.get(key),
            id_fields=fields[key],
            seeded=key in managed or key in listed,
            alias=aliases.get(key),
        )
        plan.ancestors = _ancestors(key, managed)
        plans.append(plan)
    return plans


def _is_link(op: Operation, item_deletes: set[str]) -> bool:
    """A POST on an item URL that brings that item into being: it documents 201 (created), or the same
    path documents a DELETE (what the POST adds, the DELETE removes: ``/useCases/{id}/{type}/{entityId}/``
    links and unlinks an entity)."""
    return op.method == "POST" and ("201" in op.documented_statuses() or op.path in item_deletes)


def _alias(
    key: CollectionKey,
    param: str,
    managed: set[CollectionKey],
    item_params: dict[CollectionKey, str],
    created: set[CollectionKey],
) -> CollectionKey | None:
    """The managed collection that issues the ids of ``key``'s items, if the contract names one.

    Either its items are addressed by the same parameter, or its last segment is the resource the
    parameter names (``snapshotId`` -> ``snapshots``) and it holds every such resource: they are
    created through it, or it is a top-level collection (not a parent's subset).
    """
    same = sorted(other for other in managed if other != key and item_params.get(other) == param)
    if same:
        return same[0]
    names = resource_names(param)
    whole = sorted(
        other
        for other in managed
        if other != key and other and other[-1].lower() in names and (other in created or "{}" not in other)
    )
    return whole[0] if whole else None


def resource_names(param: str) -> set[str]:
    """Collection names a parameter may address: ``snapshotId`` -> ``snapshots``, ``entityId`` -> ``entities``."""
    base = re.sub(r"(Id|ID|_id|Name|Key)$", "", param).lower()
    if not base:
        return set()
    plural = base[:-1] + "ies" if base.endswith("y") else base + ("es" if base.endswith(("s", "x")) else "s")
    return {base, plural}


def _singular(segment: str) -> str:
    if segment.endswith("ies"):
        return segment[:-3] + "y"
    if segment.endswith(("sses", "xes")):
        return segment[:-2]
    return segment[:-1] if segment.endswith("s") and not segment.endswith("ss") else segment


def collection_id_fields(
    contract: Contract,
    tools: SchemaTools,
    key: CollectionKey,
    shapes: list[tuple[Operation, CollectionKey, tuple[str, ...], str | None]],
    item_param: str | None,
) -> tuple[str, ...]:
    """The members of a collection's bodies that carry an item's id.

    Those of :func:`id_fields` for its item parameter (a collection without item operations is named
    after its last segment: ``/useCases/{id}/projects/`` lists ``projectId``); when its bodies show
    none of them but exactly one member whose name ends in the parameter (``modelVersion`` for
    ``version``), that member too.
    """
    param = item_param
    if param is None and key and key[-1] not in ("{}", "*"):
        param = _singular(key[-1]) + "Id"
    base = id_fields(param)
    if param is None:
        return base
    shown: set[str] = set()
    for op, op_key, _scope, id_param in shapes:
        if op_key != key or op.method not in ("GET", "POST"):
            continue
        if id_param is None and op.method == "GET":
            schema = list_items_schema(tools, contract, op)
        else:
            schema = contract.response_schema(op, success_status(op, GET if op.method == "GET" else CREATE))
        branch = tools.object_branch(schema) if schema is not None else None
        if branch is not None:
            shown |= set(tools.properties(branch))
    if shown & set(base):
        return base
    suffix = param[:1].upper() + param[1:]
    ending = sorted(name for name in shown if name.endswith(suffix) and name != param)
    return (ending[0], *base) if len(ending) == 1 else base


def accepts_anything(tools: SchemaTools, schema: Any) -> bool:
    """True for ``{}`` and ``x-placeholder`` schemas: any value, a plain record included, is valid."""
    node = tools.merged(schema)
    return not node or bool(node.get("x-placeholder"))


def shows_id(tools: SchemaTools, schema: Any, fields: tuple[str, ...]) -> bool:
    """Whether a body under ``schema`` can carry an item's id (directly or in its one resource member)."""
    if schema is None or accepts_anything(tools, schema):
        return True
    branch = tools.object_branch(schema)
    if branch is None:
        return False
    properties = tools.properties(branch)
    if any(name in properties for name in fields):
        return True
    members = [tools.object_branch(sub) for sub in properties.values()]
    return sum(1 for m in members if m is not None and any(f in tools.properties(m) for f in fields)) == 1


def list_items_schema(tools: SchemaTools, contract: Contract, op: Operation) -> Any:
    """The schema of one listed item: under ``x-pagination.items``, or of the answered array."""
    schema = contract.response_schema(op, success_status(op, LIST))
    if schema is None:
        return None
    items_path = (op.pagination or {}).get("items")
    if items_path:
        node = schema
        for part in items_path.split("."):
            branch = tools.object_branch(node)
            node = tools.properties(branch).get(part, {}) if branch is not None else {}
        return tools.array_items(node)
    return tools.array_items(schema) if "array" in tools.types(schema) else None


def request_properties(tools: SchemaTools, op: Operation) -> dict[str, Any]:
    """The top-level properties of an operation's JSON request body (empty when there is none)."""
    body = tools.contract.resolve(op.request_body) if op.request_body else None
    schema = ((body or {}).get("content", {}).get("application/json") or {}).get("schema")
    branch = tools.object_branch(schema) if schema is not None else None
    return tools.properties(branch) if branch is not None else {}


def _discoverable(
    contract: Contract,
    tools: SchemaTools,
    key: CollectionKey,
    shapes: list[tuple[Operation, CollectionKey, tuple[str, ...], str | None]],
    listed: set[CollectionKey],
    item_param: str | None,
    fields: tuple[str, ...],
) -> bool:
    """A collection is managed only if clients can learn its ids: from its list items, from what its
    creates answer, or because the client names the id itself in the create body (``{"datasetId": ...}``
    to link a dataset). Otherwise (a list that answers an array of envelopes, say) only made-up ids
    could ever be used, so every id must exist: the collection stays open.
    """
    for op, op_key, _scope, id_param in shapes:
        if op_key != key or id_param is not None:
            continue
        if (
            op.method == "GET"
            and key in listed
            and shows_id(tools, list_items_schema(tools, contract, op), fields)
        ):
            return True
        if op.method == "POST":
            if item_param and item_param in request_properties(tools, op):
                return True
            status = success_status(op, CREATE)
            response = contract.resolve(op.responses.get(status, {}))
            headers = response.get("headers", {}) if isinstance(response, dict) else {}
            if any(h.lower() == "location" for h in headers) or shows_id(
                tools, contract.response_schema(op, status), fields
            ):
                return True
    return False


def _ancestors(key: CollectionKey, managed: set[CollectionKey]) -> list[tuple[CollectionKey, int]]:
    """Managed collections above ``key``: (their key, index of their item's id among the scope params)."""
    found: list[tuple[CollectionKey, int]] = []
    template_index = -1
    for position, segment in enumerate(key):
        if segment != "{}":
            continue
        template_index += 1
        parent = key[:position]
        if parent in managed:
            found.append((parent, template_index))
    return found


def id_fields(id_param: str | None) -> tuple[str, ...]:
    """Property names that carry an item's id: the parameter itself, ``id``, and its last word.

    ``useCaseId`` -> (``useCaseId``, ``id``); ``modelName`` -> (``modelName``, ``name``).
    """
    if not id_param:
        return ("id",)
    words = re.findall(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])", id_param)
    last = words[-1].lower() if words else id_param
    return tuple(dict.fromkeys([id_param, last]))


def schema_of(contract: Contract, op: Operation, status: str) -> Any:
    return contract.response_schema(op, status)


def media_types(op: Operation, contract: Contract, status: str) -> list[str]:
    response = contract.resolve(op.responses.get(status, {}))
    return list(response.get("content", {})) if isinstance(response, dict) else []
