"""What each kind of operation does to the state, and what it answers.

Handlers are synchronous and never await: a request's whole read-modify-answer happens between two
event-loop turns, under the store's lock where it mutates, so concurrent clients cannot interleave.

Most operations are served by kind (list, create, get, ...), read from the contract's paths. A
vendor whose API is not shaped as resources (MLflow's RPC paths: ``POST /experiments/create``,
``GET /runs/get?run_id=``) registers its own handlers by operation id (``VENDOR_HANDLERS``); those
win over the kinds, and every operation it does not register keeps the contract-driven answer.
"""

from __future__ import annotations

import importlib
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from . import mlflow_paging as cursor_paging
from .faults import Fault
from .pagination import get_path, link, next_offset, previous_offset, set_path, window
from .resources import ACTION, CREATE, DELETE, GET, LINK, LIST, UPDATE
from .routing import parameters
from .service import Endpoint
from .store import Record, ScopeRef
from .validate import Invalid

_ACTION_CACHE_SIZE = 4096
# vendor -> module whose ``HANDLERS`` maps operation ids ("POST /api/...") to a VendorHandler
VENDOR_HANDLERS = {"mlflow": "mlops_conformance.mock.mlflow_rpc"}


@dataclass(slots=True)
class Call:
    """The parts of a request a handler needs, already validated."""

    values: tuple[str, ...]  # path template values, in order
    params: dict[str, Any]
    body: Any
    query: Any
    query_items: list[tuple[str, str]]
    url: str  # absolute URL of the request, without the query
    origin: str  # scheme://host[:port]


@dataclass(slots=True)
class Reply:
    status: str
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    schema: Any = None  # what the body must satisfy (faults use it to break it)
    error: Invalid | None = None
    missing: str | None = None  # "not found" message, for a 404


VendorHandler = Callable[[Endpoint, Call, Fault], Reply]


def vendor_handlers(vendor: str) -> Mapping[str, VendorHandler]:
    """The operations ``vendor`` answers with its own semantics, by operation id (none for most)."""
    module = VENDOR_HANDLERS.get(vendor)
    if module is None:
        return {}
    handlers: Mapping[str, VendorHandler] = importlib.import_module(module).HANDLERS
    return handlers


class Handlers:
    def __init__(self, fault: Fault) -> None:
        self.fault = fault
        self._actions: OrderedDict[tuple[str, tuple[str, ...]], Any] = OrderedDict()
        self._vendor: dict[str, Mapping[str, VendorHandler]] = {}

    def handle(self, endpoint: Endpoint, call: Call) -> Reply:
        plan = endpoint.plan
        vendor = endpoint.service.vendor
        if vendor not in self._vendor:
            self._vendor[vendor] = vendor_handlers(vendor)
        special = self._vendor[vendor].get(plan.op.id)
        if special is not None:
            return special(endpoint, call, self.fault)
        scope_values = call.values[: len(plan.scope_params)]
        parent = self._ancestors(endpoint, scope_values)
        if isinstance(parent, Reply):
            return parent
        ref = endpoint.service.scope(plan, scope_values, parent)
        kind = plan.kind
        if cursor_paging.is_cursor(endpoint.pagination) and kind in (LIST, CREATE, ACTION):
            # a token-paged search (MLflow's GET and POST searches): a list, whatever its path's shape
            listed = endpoint.service.ancestor_scope(plan.collection, scope_values, plan.scope_params, parent)
            return self._cursor_list(endpoint, call, listed)
        if kind == LIST:
            return self._list(endpoint, call, ref)
        if kind == CREATE:
            return self._create(endpoint, call, ref, scope_values)
        record_id = call.values[len(plan.scope_params)] if plan.id_param is not None else None
        if kind == LINK:
            return self._link(endpoint, call, ref, scope_values, record_id or "")
        if (
            plan.alias is not None
            and record_id is not None
            and not endpoint.service.issued(plan.alias, record_id)
        ):
            return Reply("404", missing=f"{plan.id_param} {record_id!r} not found")
        if kind == GET:
            return self._get(endpoint, ref, record_id or "")
        if kind == UPDATE:
            return self._update(endpoint, call, ref, record_id or "")
        if kind == DELETE:
            return self._delete(endpoint, ref, record_id or "")
        assert kind == ACTION
        if record_id is not None and endpoint.service.store.get(ref, record_id) is None:
            return Reply("404", missing=f"{plan.id_param} {record_id!r} not found")
        return self._action(endpoint, call)

    # -- scoping ---------------------------------------------------------------------------------

    def _ancestors(self, endpoint: Endpoint, values: tuple[str, ...]) -> Record | None | Reply:
        """The nearest managed parent record; a 404 reply when any managed ancestor lacks its id."""
        service = endpoint.service
        plan = endpoint.plan
        parent: Record | None = None
        for key, index in plan.ancestors:
            names = plan.scope_params[:index]
            ref = service.ancestor_scope(key, values[:index], names, parent)
            found = service.store.get(ref, values[index])
            if found is None:
                name = plan.scope_params[index]
                return Reply("404", missing=f"{name} {values[index]!r} not found")
            parent = found
        return parent

    # -- kinds -----------------------------------------------------------------------------------

    def _show(self, endpoint: Endpoint, record: Record) -> Any:
        schema = endpoint.success_schema
        if schema is None:
            return _plain(record, endpoint)
        return endpoint.service.renderer.record(record, schema, endpoint.id_fields)

    def _list(self, endpoint: Endpoint, call: Call, ref: ScopeRef) -> Reply:
        service = endpoint.service
        records = service.store.list(ref)
        config = endpoint.pagination
        items_schema = endpoint.items_schema

        def render(record: Record) -> Any:
            if items_schema is None:
                return _plain(record, endpoint)
            return service.renderer.record(record, items_schema, endpoint.id_fields)

        if config is None:
            return Reply(endpoint.plan.success, [render(r) for r in records], schema=endpoint.success_schema)
        win = window(config, call.params, call.query)
        if isinstance(win, Invalid):
            return Reply("400", error=win)
        start, stop = self.fault.page_slice(win.offset, win.limit)
        chosen = [render(r) for r in records[start:stop]]
        total = len(records)
        following = self.fault.next_offset(next_offset(win, total), win.offset, win.limit)
        preceding = previous_offset(win)
        next_url = link(win, following, call.url, call.query_items, config) if following is not None else None
        previous_url = (
            link(win, preceding, call.url, call.query_items, config) if preceding is not None else None
        )
        if endpoint.envelope is None:
            return Reply(endpoint.plan.success, chosen, schema=endpoint.success_schema)
        envelope = _fresh(endpoint.envelope)
        set_path(envelope, config["items"], chosen)
        if config.get("total"):
            set_path(envelope, config["total"], self.fault.total(total))
            holder = config["total"].rpartition(".")[0]
            meta = get_path(envelope, holder) if holder else None
            if isinstance(meta, dict):
                for name, value in (("offset", win.offset), ("limit", win.limit)):
                    if isinstance(meta.get(name), int):
                        meta[name] = value
        if config.get("next"):
            set_path(envelope, config["next"], next_url)
        if config.get("previous"):
            set_path(envelope, config["previous"], previous_url)
        if isinstance(envelope.get("count"), int) and "." not in config["items"]:
            envelope["count"] = len(chosen)
        return Reply(endpoint.plan.success, envelope, schema=endpoint.success_schema)

    def _cursor_list(self, endpoint: Endpoint, call: Call, ref: ScopeRef) -> Reply:
        """A page of a token-paged list (``x-pagination`` style cursor), the token absent on the last page.

        An answer whose items the contract does not locate (no ``items``) is generated as an action's,
        without a token: the mock has no list to page through there.
        """
        config = endpoint.pagination or {}
        next_name = config.get("next") or "next_page_token"
        if endpoint.envelope is None or not config.get("items"):
            reply = self._action(endpoint, call)
            if isinstance(reply.body, dict) and next_name in reply.body:
                reply.body = {k: v for k, v in reply.body.items() if k != next_name}
            return reply
        source = (
            call.query if config.get("in") == "query" else (call.body if isinstance(call.body, dict) else {})
        )
        wanted = cursor_paging.read_cursor(config, source)
        if isinstance(wanted, Invalid):
            return Reply("400", error=wanted)
        service = endpoint.service
        records, token = cursor_paging.page(service.store.list(ref), wanted, self.fault)
        items_schema = endpoint.items_schema
        envelope = _fresh(endpoint.envelope)
        envelope.pop(next_name, None)
        set_path(
            envelope,
            config["items"],
            [
                _plain(r, endpoint)
                if items_schema is None
                else service.renderer.record(r, items_schema, endpoint.id_fields)
                for r in records
            ],
        )
        if token is not None:
            set_path(envelope, next_name, token)
        return Reply(endpoint.plan.success, envelope, schema=endpoint.success_schema)

    def _create(self, endpoint: Endpoint, call: Call, ref: ScopeRef, scope_values: tuple[str, ...]) -> Reply:
        service = endpoint.service
        fields = call.body if isinstance(call.body, dict) else {}
        new_id = service.new_id(endpoint.plan, scope_values)
        chosen = fields.get(endpoint.plan.item_param or "") if endpoint.client_names_id else None
        wanted = (
            str(chosen)
            if isinstance(chosen, (str, int)) and not isinstance(chosen, bool) and str(chosen)
            else None
        )
        if self.fault.persists_create:
            record = service.store.create(ref, fields, new_id, wanted)
        else:
            record = Record(new_id(10**6), dict(fields), seeded=False, parents=dict(ref.parents))
        headers: dict[str, str] = {}
        if endpoint.location:
            headers["Location"] = self._item_url(endpoint, call, scope_values, record.id)
        status = endpoint.plan.success
        body = None if status == "204" else self._show(endpoint, record)
        return Reply(status, body, headers, schema=endpoint.success_schema)

    def _link(
        self, endpoint: Endpoint, call: Call, ref: ScopeRef, scope_values: tuple[str, ...], record_id: str
    ) -> Reply:
        """A POST that brings the item its URL names into being (links an entity). Linking it again is
        the documented 409 ("already linked") where there is one, else the same success."""
        service = endpoint.service
        fields = call.body if isinstance(call.body, dict) else {}
        if service.store.get(ref, record_id) is not None and "409" in endpoint.statuses:
            return Reply(
                "409", error=Invalid("conflict", f"{endpoint.plan.id_param} {record_id!r} is already linked")
            )
        if self.fault.persists_create:
            record = service.store.create(ref, fields, service.new_id(endpoint.plan, scope_values), record_id)
        else:
            record = Record(record_id, dict(fields), seeded=False, parents=dict(ref.parents))
        status = endpoint.plan.success
        headers = {"Location": call.url} if endpoint.location else {}
        if status == "204":
            body = None
        elif endpoint.success_media is None:  # documented without content (201 "linked"): as actions do
            body = {}
        else:
            body = self._show(endpoint, record)
        return Reply(status, body, headers, schema=endpoint.success_schema)

    def _item_url(self, endpoint: Endpoint, call: Call, scope_values: tuple[str, ...], record_id: str) -> str:
        template = endpoint.plan.item_template
        if template is None:
            return call.url
        path = template
        for name, value in parameters(template, (*scope_values, record_id)).items():
            # Values are decoded ids (any text); a header carries only their percent-encoded form.
            path = path.replace("{" + name + "}", quote(value, safe=""), 1)
        return call.origin + path

    def _get(self, endpoint: Endpoint, ref: ScopeRef, record_id: str) -> Reply:
        record = endpoint.service.store.get(ref, record_id)
        if record is None:
            return Reply("404", missing=f"{endpoint.plan.id_param} {record_id!r} not found")
        return Reply(endpoint.plan.success, self._show(endpoint, record), schema=endpoint.success_schema)

    def _update(self, endpoint: Endpoint, call: Call, ref: ScopeRef, record_id: str) -> Reply:
        store = endpoint.service.store
        changes = call.body if isinstance(call.body, dict) else {}
        replace = endpoint.plan.op.method == "PUT"
        if self.fault.persists_update:
            record = store.update(ref, record_id, changes, replace)
        else:
            current = store.get(ref, record_id)
            record = None
            if current is not None:
                merged = dict(changes) if replace else {**current.fields, **changes}
                record = Record(
                    current.id, merged, current.seeded, dict(current.parents), current.version + 1
                )
        if record is None:
            return Reply("404", missing=f"{endpoint.plan.id_param} {record_id!r} not found")
        status = endpoint.plan.success
        body = None if status == "204" else self._show(endpoint, record)
        return Reply(status, body, schema=endpoint.success_schema)

    def _delete(self, endpoint: Endpoint, ref: ScopeRef, record_id: str) -> Reply:
        store = endpoint.service.store
        record = store.delete(ref, record_id) if self.fault.persists_delete else store.get(ref, record_id)
        if record is None:
            return Reply("404", missing=f"{endpoint.plan.id_param} {record_id!r} not found")
        status = endpoint.plan.success
        body = None if status == "204" or endpoint.success_schema is None else self._show(endpoint, record)
        return Reply(status, body, schema=endpoint.success_schema)

    def _action(self, endpoint: Endpoint, call: Call) -> Reply:
        op = endpoint.plan.op
        status = endpoint.plan.success
        headers = {"Location": call.url} if endpoint.location else {}
        if status == "204":
            return Reply(status, None, headers)
        schema = endpoint.success_schema
        if schema is None:
            return Reply(status, {}, headers)
        key = (op.id, call.values)
        body = self._actions.get(key)
        if body is None:
            known = parameters(op.path, call.values)
            body = endpoint.service.renderer.generated(
                schema, f"action|{op.id}|{'/'.join(call.values)}", known
            )
            self._actions[key] = body
            if len(self._actions) > _ACTION_CACHE_SIZE:
                self._actions.popitem(last=False)
        return Reply(status, body, headers, schema=schema)


def _plain(record: Record, endpoint: Endpoint) -> dict[str, Any]:
    """A record where the contract accepts any value: what the client sent, its parents and its id."""
    return {**record.parents, **record.fields, endpoint.id_fields[-1]: record.id}


def _fresh(envelope: Any) -> Any:
    """A copy of a cached envelope deep enough to set its pagination members safely."""
    if not isinstance(envelope, dict):
        return envelope
    return {k: (_fresh(v) if isinstance(v, dict) else v) for k, v in envelope.items()}
