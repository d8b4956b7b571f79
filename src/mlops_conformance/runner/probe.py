"""The one request per operation that decides whether the target serves it (``schema.operation_served``).

A read is probed with the plainest request the docs allow: ids the run listed, only the required
query parameters. If that gets a 404 on listed ids, the ids are listed again and the request sent
once more, because on a shared staging the item may have been deleted in between. A write is never
sent just to probe: its probe is the first request of its positive sample (so read-only runs do not
probe writes at all), and only a 405/501 can prove anything there, since a generated body may name
something that does not exist.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..checks import Exchange, Probe
from . import paths
from .client import SAFE_METHODS
from .resources import minimal_query

if TYPE_CHECKING:
    from ..contract import Contract, Operation
    from .resources import Resources


def probe_read(resources: Resources, op: Operation) -> Probe:
    values, fabricated = resources.existing(op)
    invented = resources.why_uncertain(op, values) or invented_query(resources.contract, op)
    first = _send(resources, op, values, fabricated)
    found = Probe([first], invented=invented)
    if first.status == 404 and not invented and paths.template_names(op.path):
        values, fabricated = resources.existing(op, fresh=True)
        found.exchanges.append(_send(resources, op, values, fabricated))
        found.invented = resources.why_uncertain(op, values)
    return found


def probe_write(op: Operation, sample: list[Exchange]) -> Probe:
    """A write's probe: its first sampled request; a 404 there is never proof (see the module doc)."""
    if not sample:
        return Probe(skipped="no request was sent for this operation")
    return Probe(
        [sample[0]],
        invented="the request body was generated and may name something that does not exist",
    )


def is_probed_by_read(op: Operation) -> bool:
    return op.method in SAFE_METHODS


def invented_query(contract: Contract, op: Operation) -> str | None:
    """The first required query value the docs do not give us (no default, example-free enum, ...)."""
    pagination = op.pagination or {}
    for parameter in op.query_parameters():
        name = parameter.get("name")
        if not parameter.get("required") or name in (pagination.get("offset"), pagination.get("limit")):
            continue
        schema = contract.resolve(parameter.get("schema") or {})
        if not isinstance(schema, dict):
            return f"the required query parameter {name!r} was made up"
        if "default" in schema or schema.get("enum") or schema.get("type") == "boolean":
            continue
        return f"the required query parameter {name!r} was made up"
    return None


def _send(resources: Resources, op: Operation, values: dict[str, Any], fabricated: bool) -> Exchange:
    return resources.client.send(
        resources.vendor,
        op.method,
        paths.fill(op.path, values),
        params=minimal_query(resources.contract, op),
        meta={"mode": "probe", "fabricated": fabricated},
        path_parameters=values,
    )
