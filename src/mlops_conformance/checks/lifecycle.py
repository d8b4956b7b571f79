"""Resource lifecycle: create -> read back -> listed -> update visible -> delete -> gone.

A *resource family* is read from the contract alone: a ``POST`` on a collection path whose item path
(the collection plus one templated segment, version segments compared as wildcards) has both ``GET``
and ``DELETE``; ``PATCH``/``PUT`` on the item and ``GET`` on the collection join in when documented. The runner (``runner.lifecycle``) drives
the requests and always cleans up; the checks below judge the recorded run, one row per step, on the
operation that performed the step.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ._core import ERROR, FAIL, WARN, CheckContext, CheckFailed, CheckSkipped, register
from ._exchange import BodyNotJSON, Exchange
from ._paths import is_template, segments, shape, template_names

if TYPE_CHECKING:
    from ..contract import Contract, Operation

NAME_PREFIX = "mlops-conformance-"


@dataclass(frozen=True, slots=True)
class ResourceFamily:
    """The operations that together create, read, list, update and delete one kind of resource."""

    collection: str
    item: str
    id_parameter: str
    create: Operation
    read: Operation
    delete: Operation
    update: Operation | None = None
    list: Operation | None = None

    def role_of(self, op: Operation) -> str | None:
        for role in ("create", "read", "delete", "update", "list"):
            if getattr(self, role) == op:
                return role
        return None


def resource_families(contract: Contract) -> list[ResourceFamily]:
    """Every creatable resource family the contract documents (pure reading of paths and methods)."""
    return list(_families(contract))


@functools.lru_cache(maxsize=8)
def _families(contract: Contract) -> tuple[ResourceFamily, ...]:
    by_shape: dict[tuple[tuple[str, ...], str], Operation] = {}
    for op in contract.operations():
        by_shape.setdefault((shape(op.path), op.method), op)
    families = []
    for op in contract.operations():
        parts = segments(op.path)
        if op.method != "POST" or not parts or is_template(parts[-1]):
            continue
        item = shape(op.path) + ("{}",)
        read, remove = by_shape.get((item, "GET")), by_shape.get((item, "DELETE"))
        if read is None or remove is None:
            continue
        families.append(
            ResourceFamily(
                collection=op.path,
                item=read.path,
                id_parameter=template_names(read.path)[-1],
                create=op,
                read=read,
                delete=remove,
                update=by_shape.get((item, "PATCH")) or by_shape.get((item, "PUT")),
                list=by_shape.get((shape(op.path), "GET")),
            )
        )
    return tuple(families)


def family_of(contract: Contract, op: Operation) -> ResourceFamily | None:
    for family in resource_families(contract):
        if family.role_of(op):
            return family
    return None


@dataclass(slots=True)
class Step:
    """One request of the lifecycle, and what it was expected to show."""

    exchange: Exchange | None = None
    note: str = ""


@dataclass(slots=True)
class LifecycleRun:
    """What happened when the runner took one resource through its life.

    ``sent`` holds the top-level fields the create and update bodies set (so read-back can compare);
    ``cleanup_errors`` lists resources that could not be deleted afterwards (they carry the
    ``mlops-conformance-`` prefix, so an operator can find them).
    """

    family: ResourceFamily
    resource_id: str | None = None
    steps: dict[str, Step] = field(default_factory=dict)
    created: dict[str, Any] = field(default_factory=dict)
    updated: dict[str, Any] = field(default_factory=dict)
    cleanup_errors: list[str] = field(default_factory=list)
    skipped: str | None = None


def _applies(role: str):  # type: ignore[no-untyped-def]
    def applies(contract: Contract, op: Operation) -> bool:
        family = family_of(contract, op)
        return family is not None and family.role_of(op) == role

    return applies


def _step(run: LifecycleRun, name: str) -> Exchange:
    """The exchange of a step, or the reason this step could not be judged."""
    if run.skipped and not (name == "create" and "create" in run.steps):
        raise CheckSkipped(run.skipped)
    step = run.steps.get(name)
    if step is None or step.exchange is None:
        raise CheckSkipped(step.note if step and step.note else f"the {name} step was not reached")
    exchange = step.exchange
    if exchange.error:
        raise CheckFailed(f"{name}: {exchange.error}", verdict=ERROR, exchange=exchange)
    return exchange


def _json(exchange: Exchange) -> Any:
    assert exchange.response is not None
    try:
        return exchange.response.json()
    except BodyNotJSON as exc:
        raise CheckFailed(str(exc), verdict=ERROR, exchange=exchange) from None


def _expect_success(name: str, exchange: Exchange, *, certain: bool = False) -> None:
    """A step of ours answered 2xx. A 5xx is ``fail``; another answer is ``warn`` unless ``certain``
    (the server may refuse a documented request for reasons of its own: quotas, names taken)."""
    assert exchange.response is not None
    status = exchange.response.status
    if not 200 <= status < 300:
        verdict = FAIL if certain or status >= 500 else WARN
        raise CheckFailed(f"{name}: Received: {status} / Expected: 2xx", verdict=verdict, exchange=exchange)


def _mismatches(sent: dict[str, Any], body: Any) -> list[str]:
    if not isinstance(body, dict):
        return [f"the body is {type(body).__name__}, not an object"]
    return [
        f"{key}: sent {value!r}, read back {body.get(key)!r}"
        for key, value in sent.items()
        if key in body and body[key] != value
    ]


_DELETION_MARKERS = ("deleted", "isdeleted", "archived", "isarchived")


def _marked_deleted(body: Any) -> bool:
    """A soft delete: the resource is still readable but says it is deleted."""
    if not isinstance(body, dict):
        return False
    for key, value in body.items():
        if key.lower() in _DELETION_MARKERS and value is True:
            return True
        if key.lower() in ("status", "state") and isinstance(value, str) and "delet" in value.lower():
            return True
    return False


@register("lifecycle.create", subject="lifecycle", applies=_applies("create"))
def create(ctx: CheckContext, run: LifecycleRun) -> None:
    """Creating a resource answers 2xx and names the new resource (an id in the body or Location);
    a 5xx fails, a refusal or an answer without an id only warns (the docs imply, not state, them)."""
    exchange = _step(run, "create")
    _expect_success("create", exchange)
    if run.resource_id is None and exchange.status == 202:
        raise CheckSkipped(
            "create answered 202 Accepted and names no resource yet: an async create is not followed"
        )
    if run.resource_id is None:
        raise CheckFailed(
            f"create: the answer names no id (no {run.family.id_parameter!r}/'id' field, no Location header)",
            verdict=WARN,
            exchange=exchange,
        )


@register("lifecycle.read_back", subject="lifecycle", applies=_applies("read"))
def read_back(ctx: CheckContext, run: LifecycleRun) -> None:
    """The resource a create confirmed (2xx, not 202) can be read back (``fail``); a field that reads
    back different from what was sent only warns (servers normalise values)."""
    exchange = _step(run, "read")
    _expect_success("read after create", exchange, certain=True)
    problems = _mismatches(run.created, _json(exchange))
    if problems:
        raise CheckFailed(
            f"read after create: {problems[0]}", verdict=WARN, exchange=exchange, details=problems[1:]
        )


@register("lifecycle.listed", subject="lifecycle", applies=_applies("list"))
def listed(ctx: CheckContext, run: LifecycleRun) -> None:
    """The created resource appears in its collection's list (``warn``: lists may lag behind a
    create or filter by default, and the docs promise neither)."""
    exchange = _step(run, "list")
    _expect_success("list after create", exchange)
    step = run.steps["list"]
    if step.note != "found":
        raise CheckFailed(
            f"list after create: {run.resource_id!r} not in the list ({step.note})",
            verdict=WARN,
            exchange=exchange,
        )


@register("lifecycle.update_visible", subject="lifecycle", applies=_applies("update"))
def update_visible(ctx: CheckContext, run: LifecycleRun) -> None:
    """An update the server confirmed shows in a following read: a field that still reads its old
    value (the update was ignored) fails; one that reads a third value only warns (normalised)."""
    _expect_success("update", _step(run, "update"))
    exchange = _step(run, "read_updated")
    _expect_success("read after update", exchange, certain=True)
    body = _json(exchange)
    problems = _mismatches(run.updated, body)
    if not problems:
        return
    before = _json(run.steps["read"].exchange) if run.steps.get("read") and run.steps["read"].exchange else {}
    ignored = [
        key
        for key, value in run.updated.items()
        if isinstance(body, dict)
        and isinstance(before, dict)
        and key in body
        and body[key] != value
        and key in before
        and body[key] == before[key]
    ]
    raise CheckFailed(
        f"read after update: {problems[0]}" + (" (the old value: the update was ignored)" if ignored else ""),
        verdict=FAIL if ignored else WARN,
        exchange=exchange,
        details=problems[1:],
    )


@register("lifecycle.delete", subject="lifecycle", applies=_applies("delete"))
def delete(ctx: CheckContext, run: LifecycleRun) -> None:
    """Deleting the resource answers 2xx (a 5xx fails, a refusal warns)."""
    _expect_success("delete", _step(run, "delete"))


@register("lifecycle.gone_after_delete", subject="lifecycle", applies=_applies("delete"))
def gone_after_delete(ctx: CheckContext, run: LifecycleRun) -> None:
    """After a confirmed delete, reading the resource (again, a moment later, if it was still there)
    answers 404 or 410. Still served as it was fails; served but marked deleted (a soft delete) or
    another refusal warns."""
    if run.steps.get("delete") and run.steps["delete"].exchange is not None:
        done = run.steps["delete"].exchange
        if done.error is None and done.status is not None and not 200 <= done.status < 300:
            raise CheckSkipped(f"the delete answered {done.status}: nothing to follow")
    exchange = _step(run, "read_deleted")
    assert exchange.response is not None
    status = exchange.response.status
    if status in (404, 410):
        return
    still_there = 200 <= status < 300 and not _marked_deleted(_json(exchange))
    raise CheckFailed(
        f"read after delete: Received: {status} / Expected: 404",
        verdict=FAIL if still_there or status >= 500 else WARN,
        exchange=exchange,
    )


@register("lifecycle.cleanup", subject="lifecycle", applies=_applies("create"))
def cleanup(ctx: CheckContext, run: LifecycleRun) -> None:
    """Every resource the run created was deleted afterwards; leftovers are named for an operator."""
    if run.skipped and "create" not in run.steps:
        raise CheckSkipped(run.skipped)
    if run.cleanup_errors:
        raise CheckFailed(
            f"cleanup failed: {run.cleanup_errors[0]}",
            details=run.cleanup_errors[1:],
        )
