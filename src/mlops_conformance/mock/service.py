"""One vendor's contract compiled into endpoints the app can serve without re-reading the contract.

Everything that does not depend on the request is computed here, once, at start-up: the plan of each
operation, its request rules, its success schema and media type, whether it documents a Location
header, its pagination envelope and item schema, and how its collection is seeded.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ..contract import Contract
from .auth import Authenticator
from .generate import Generator, object_id
from .pagination import set_path
from .render import Renderer
from .resources import (
    CREATE,
    GET,
    LIST,
    CollectionKey,
    Plan,
    accepts_anything,
    list_items_schema,
    plan_operations,
    request_properties,
)
from .schemas import SchemaTools
from .store import Record, ScopeRef, Store
from .validate import RequestRules


@dataclass(slots=True)
class Endpoint:
    """One operation, ready to serve."""

    service: VendorService
    plan: Plan
    rules: RequestRules
    index: int
    id_fields: tuple[str, ...]
    success_schema: Any
    success_json: bool
    success_media: str | None
    location: bool
    pagination: dict[str, Any] | None
    items_schema: Any = None
    envelope: Any = None
    id_is_integer: bool = False
    statuses: list[str] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # other documented success headers
    # A create whose documented body names the new item's id (``{"datasetId": ...}`` links a dataset);
    # any other create mints the id itself, whatever undocumented field a client adds.
    client_names_id: bool = False


class VendorService:
    """The compiled contract of one vendor, plus the generator and renderer seeded for it."""

    def __init__(self, contract: Contract, store: Store, *, token: str, seed: int, records: int) -> None:
        self.contract = contract
        self.vendor = contract.vendor
        self.store = store
        self.seed = seed
        self.records = records
        self.tools = SchemaTools(contract)
        self.generator = Generator(self.tools, seed)
        self.renderer = Renderer(self.tools, self.generator)
        self.auth = Authenticator(contract, token)
        self.endpoints = [
            self._compile(index, plan) for index, plan in enumerate(plan_operations(contract, self.tools))
        ]
        self._id_integer: dict[tuple[str, ...], bool] = {}
        for endpoint in self.endpoints:
            if endpoint.plan.id_param is not None:
                self._id_integer.setdefault(endpoint.plan.collection, endpoint.id_is_integer)
        for endpoint in self.endpoints:
            if endpoint.plan.kind in (GET, LIST) and self._shows_numeric_id(endpoint):
                self._id_integer[endpoint.plan.collection] = True
        self._plans: dict[CollectionKey, Plan] = {}
        for endpoint in self.endpoints:
            self._plans.setdefault(endpoint.plan.collection, endpoint.plan)

    def _compile(self, index: int, plan: Plan) -> Endpoint:
        op = plan.op
        response = self.contract.resolve(op.responses.get(plan.success, {}))
        content = response.get("content", {}) if isinstance(response, dict) else {}
        json_media = [m for m in content if m == "application/json" or m.endswith("+json")]
        media = json_media[0] if json_media else (next(iter(content)) if content else None)
        schema = content.get(media, {}).get("schema") if media else None
        headers = response.get("headers", {}) if isinstance(response, dict) else {}
        id_schema: Any = {}
        for param in op.path_parameters():
            if param.get("name") == plan.id_param:
                id_schema = param.get("schema", {})
        endpoint = Endpoint(
            service=self,
            plan=plan,
            rules=RequestRules(self.tools, op),
            index=index,
            id_fields=plan.id_fields,
            success_schema=schema,
            success_json=media is None or media in json_media,
            success_media=_concrete(media),
            location=any(name.lower() == "location" for name in headers),
            pagination=op.pagination,
            id_is_integer="integer" in self.tools.types(id_schema) if id_schema else False,
            statuses=op.documented_statuses(),
            headers=self._documented_headers(op.id, headers),
            client_names_id=plan.kind == CREATE
            and plan.item_param is not None
            and plan.item_param in request_properties(self.tools, op),
        )
        if (plan.kind == "list" or (op.pagination or {}).get("style") == "cursor") and schema is not None:
            endpoint.items_schema = list_items_schema(self.tools, self.contract, op)
            items_path = (op.pagination or {}).get("items")
            if items_path:
                envelope = self.generator.value(schema, f"envelope|{op.id}")
                if isinstance(envelope, dict):
                    set_path(envelope, items_path, [])
                endpoint.envelope = envelope
        if endpoint.items_schema is not None and accepts_anything(self.tools, endpoint.items_schema):
            endpoint.items_schema = None  # any value is valid: show the plain record
        if schema is not None and accepts_anything(self.tools, schema):
            endpoint.success_schema = None
        return endpoint

    def _shows_numeric_id(self, endpoint: Endpoint) -> bool:
        """Whether the item bodies of a collection want an integer id where an ObjectId will not do:
        an id member typed integer, or a string one whose pattern takes digits only (job ids)."""
        schema = endpoint.items_schema if endpoint.plan.kind == LIST else endpoint.success_schema
        branch = self.tools.object_branch(schema) if schema is not None else None
        if branch is None:
            return False
        properties = self.tools.properties(branch)
        sample = object_id(self.seed, "sample")
        for name in endpoint.id_fields:
            if name in properties and not self.tools.is_valid(properties[name], sample):
                return self.tools.is_valid(properties[name], "1") or self.tools.is_valid(properties[name], 1)
        return False

    def _documented_headers(self, op_id: str, headers: dict[str, Any]) -> dict[str, str]:
        """Values for the success headers an operation documents (Location is set per request)."""
        out: dict[str, str] = {}
        for name, spec in headers.items():
            if name.lower() in ("location", "content-type", "content-length"):
                continue
            schema = (
                self.contract.resolve(spec).get("schema", {"type": "string"})
                if isinstance(spec, dict)
                else {}
            )
            value = self.generator.value(schema, f"header|{op_id}|{name}", hint=name)
            out[name] = value if isinstance(value, str) else json.dumps(value)
        return out

    # -- scopes --------------------------------------------------------------------------------------

    def scope(self, plan: Plan, values: tuple[str, ...], parent: Record | None) -> ScopeRef:
        """The scope ``plan``'s collection has under the parent ids ``values``."""
        seeded = parent is None or parent.seeded
        parents = dict(zip(plan.scope_params, values, strict=False))
        return ScopeRef(
            key=(self.vendor, plan.collection, values),
            parents=parents,
            seed=lambda: self._seed(plan, values, parents) if seeded else [],
            open_world=not plan.managed,
        )

    def issued(self, key: CollectionKey, record_id: str) -> bool:
        """Whether any scope of the managed collection ``key`` holds ``record_id`` (an alias's test).

        When its records cannot be enumerated (a parent collection is open: nothing lists its ids), any
        id passes, as it would in an open collection.
        """
        records = self._records_of(key)
        return records is None or any(record.id == record_id for record in records)

    def _records_of(self, key: CollectionKey) -> list[Record] | None:
        """Every record of a managed collection, in all the scopes its parents' records open."""
        plan = self._plans.get(key)
        if plan is None or not plan.managed:
            return None
        positions = [index for index, segment in enumerate(key) if segment == "{}"]
        if not positions:
            return self.store.list(self.ancestor_scope(key, (), (), None))
        parents = self._records_of(key[: positions[-1]])
        if parents is None:
            return None
        found: list[Record] = []
        for parent in parents:
            values = (*parent.parents.values(), parent.id)
            found.extend(self.store.list(self.ancestor_scope(key, values, plan.scope_params, parent)))
        return found

    def ancestor_scope(
        self, key: tuple[str, ...], values: tuple[str, ...], names: tuple[str, ...], parent: Record | None
    ) -> ScopeRef:
        seeded = parent is None or parent.seeded
        parents = dict(zip(names, values, strict=False))

        def seed() -> list[Record]:
            if not seeded:
                return []
            return [self._seed_record(key, values, parents, i) for i in range(self.records)]

        return ScopeRef(key=(self.vendor, key, values), parents=parents, seed=seed, open_world=False)

    def _seed(self, plan: Plan, values: tuple[str, ...], parents: dict[str, str]) -> list[Record]:
        if not plan.seeded:
            return []
        return [self._seed_record(plan.collection, values, parents, i) for i in range(self.records)]

    def _seed_record(
        self, key: tuple[str, ...], values: tuple[str, ...], parents: dict[str, str], index: int
    ) -> Record:
        if self._id_integer.get(key):
            record_id = str(index + 1)
        else:
            record_id = object_id(self.seed, "seed", self.vendor, "/".join(key), "/".join(values), index)
        return Record(record_id, {}, seeded=True, parents=dict(parents))

    def new_id(self, plan: Plan, values: tuple[str, ...]) -> Any:
        integer = self._id_integer.get(plan.collection, False)

        def make(sequence: int) -> str:
            if integer:
                return str(self.records + sequence)
            return object_id(
                self.seed, "created", self.vendor, "/".join(plan.collection), "/".join(values), sequence
            )

        return make


def _concrete(media: str | None) -> str | None:
    """A media type the response can carry: ``*/*`` and ``type/*`` ranges are not sendable as such."""
    if media is None or "*" not in media:
        return media
    if media.startswith("text/"):
        return "text/plain"
    return "application/octet-stream"
