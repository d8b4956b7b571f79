"""Which rows a run has: every selected vendor x operation x check of a family, in contract order.

With ``--shard I/N`` only the operations of the I-th shard (``runner.shard``): the split is computed
over every family's cases of the selection, so each suite module keeps the same operations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..checks import FAMILIES, REGISTRY, RUN_LEVEL
from . import shard as sharding
from .session import Case

if TYPE_CHECKING:
    from ..contract import Contract
    from .options import RunOptions


def cases(contracts: dict[str, Contract], options: RunOptions, family: str) -> list[Case]:
    found = _selected(contracts, options, family)
    if options.shard is None:
        return found
    every = [c for f in options.families or FAMILIES for c in _selected(contracts, options, f)]
    assigned = sharding.split(every, options.shard.total)
    return [c for c in found if assigned.get((c.vendor, c.operation.id)) == options.shard.index]


def _selected(contracts: dict[str, Contract], options: RunOptions, family: str) -> list[Case]:
    checks = [c for c in REGISTRY.family(family) if c.subject not in RUN_LEVEL]
    found = []
    for vendor, contract in contracts.items():
        for op in contract.operations():
            if not options.selects(vendor, op.id, op.tags):
                continue
            found += [Case(vendor, op, check) for check in checks if check.applies(contract, op)]
    return found
