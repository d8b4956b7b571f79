"""Taking one resource through its life, the record ``checks.lifecycle`` judges.

create -> read -> find in the list -> update -> read the update -> delete -> read (expect 404).
The created resource is registered for cleanup the moment its id is known, and whatever is still
alive when the run ends (a failed step, an exception, an interrupt) is deleted in ``finally``; a
cleanup that fails is part of the record. Steps after a failed one are recorded as not reached.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from ..checks import BodyNotJSON, Exchange, LifecycleRun, ResourceFamily, Step
from . import paths
from .paths import ok_status as _ok
from .resources import Created, created_id, minimal_query

if TYPE_CHECKING:
    from .resources import Resources

MAX_LIST_PAGES = 20
REREAD_DELAY_S = 1.0  # one second for a server that applies an update or a delete late


def run_lifecycle(resources: Resources, family: ResourceFamily) -> LifecycleRun:
    run = LifecycleRun(family)
    if not resources.writes:
        run.skipped = "read-only target: the lifecycle creates and deletes, which needs --allow-writes"
        return run
    parents, fabricated = resources.existing(family.create)
    if fabricated:
        run.skipped = "no existing parent resource to create this resource under"
        return run
    owned: list[Created] = []
    try:
        _live(resources, family, parents, run, owned)
    finally:
        run.cleanup_errors = resources.tracker.delete_all(
            [c for c in owned if c in resources.tracker.alive], record=False
        )
    return run


def _live(
    resources: Resources,
    family: ResourceFamily,
    parents: dict[str, Any],
    run: LifecycleRun,
    owned: list[Created],
) -> None:
    client, vendor = resources.client, resources.vendor
    body, sent = resources.creation_body(family.create)
    create = resources.send_body(
        family.create, paths.fill(family.create.path, parents), body, {"mode": "lifecycle"}, parents
    )
    run.steps["create"] = Step(create)
    run.resource_id = created_id(create, family.id_parameter, family.create)
    if run.resource_id is None:
        return
    if create.status == 202:
        # Accepted, not done: the resource may not exist until the job behind it finishes, and
        # following vendor-specific status endpoints is beyond what the docs let us assume.
        run.skipped = (
            "create answered 202 Accepted: the resource may not exist yet, so its life is not followed"
        )
        resources.tracker.add(
            Created(vendor, family, {**parents, family.id_parameter: run.resource_id}, label=run.resource_id)
        )
        owned.append(resources.tracker.alive[-1])
        return
    values = {
        **{k: v for k, v in parents.items() if k in paths.template_names(family.item)},
        family.id_parameter: run.resource_id,
    }
    created = Created(vendor, family, values, label=str(sent.get("name", run.resource_id)))
    resources.tracker.add(created)
    owned.append(created)
    run.created = _compared(sent)
    item = paths.fill(family.item, values)
    read = client.send(vendor, "GET", item, meta={"mode": "lifecycle"}, path_parameters=values)
    run.steps["read"] = Step(read)
    if family.list is not None:
        run.steps["list"] = _find_in_list(resources, family, parents, run.resource_id)
    if family.update is not None:
        update_body, update_sent = resources.creation_body(family.update, update=True)
        if not _compared(update_sent):
            run.steps["update"] = Step(note="the update body has no field a read can show")
        else:
            update_path = paths.fill_as(family.update.path, family.item, values)
            run.steps["update"] = Step(
                resources.send_body(family.update, update_path, update_body, {"mode": "lifecycle"}, values)
            )
            run.updated = _compared(update_sent)
            reread = client.send(vendor, "GET", item, meta={"mode": "lifecycle"}, path_parameters=values)
            if not _shows(reread, run.updated):  # a moment for a server that applies updates late
                time.sleep(REREAD_DELAY_S)
                reread = client.send(vendor, "GET", item, meta={"mode": "lifecycle"}, path_parameters=values)
            run.steps["read_updated"] = Step(reread)
    deleted = client.send(
        vendor,
        "DELETE",
        paths.fill_as(family.delete.path, family.item, values),
        meta={"mode": "lifecycle"},
        path_parameters=values,
    )
    run.steps["delete"] = Step(deleted)
    after = client.send(vendor, "GET", item, meta={"mode": "lifecycle"}, path_parameters=values)
    if _ok(deleted.status) and _ok(after.status):  # a moment for a server that deletes late
        time.sleep(REREAD_DELAY_S)
        after = client.send(vendor, "GET", item, meta={"mode": "lifecycle"}, path_parameters=values)
    run.steps["read_deleted"] = Step(after)
    if after.status in (404, 410) and created in resources.tracker.alive:
        resources.tracker.alive.remove(created)  # gone, as it should be: nothing left to clean up


def _shows(exchange: Exchange, fields: dict[str, Any]) -> bool:
    """Whether a read answered 2xx with every one of ``fields`` as sent (anything else: not yet)."""
    if not _ok(exchange.status) or exchange.response is None:
        return True  # not a late update: the checks judge the status as it is
    try:
        body = exchange.response.json()
    except BodyNotJSON:
        return True
    return isinstance(body, dict) and all(body.get(k, v) == v for k, v in fields.items())


def _compared(sent: dict[str, Any]) -> dict[str, Any]:
    """The fields a read-back is compared on: the names the run set, else every scalar field sent."""
    named = {k: v for k, v in sent.items() if isinstance(v, str) and v.startswith("mlops-conformance-")}
    return named or sent


def _find_in_list(
    resources: Resources, family: ResourceFamily, parents: dict[str, Any], resource_id: str
) -> Step:
    list_op = family.list
    assert list_op is not None
    spec = list_op.pagination or {}
    offset_name, limit_name = spec.get("offset") or "offset", spec.get("limit") or "limit"
    limit = spec.get("maxLimit") if isinstance(spec.get("maxLimit"), int) else 100
    fixed = [
        (k, v) for k, v in minimal_query(resources.contract, list_op) if k not in (offset_name, limit_name)
    ]
    seen = 0
    last: Exchange | None = None
    for page in range(MAX_LIST_PAGES if spec else 1):
        params = fixed + ([(offset_name, page * limit), (limit_name, limit)] if spec else [])
        last = resources.client.send(
            resources.vendor,
            "GET",
            paths.fill(list_op.path, parents),
            params=params,
            meta={"mode": "lifecycle"},
            path_parameters=parents,
        )
        if last.error or not _ok(last.status) or last.response is None:
            return Step(last, note=f"the list answered {last.status}")
        try:
            items = paths.items_of(list_op, last.response.json())
        except BodyNotJSON:
            return Step(last, note="the list body is not JSON")
        seen += len(items)
        if any(paths.id_of(item, family.id_parameter) == resource_id for item in items):
            return Step(last, note="found")
        if len(items) < limit:
            break
    return Step(last, note=f"not among the {seen} items listed")
