"""Which rows a run has: every selected vendor x operation x check of a family, in contract order."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..checks import REGISTRY, RUN_LEVEL
from .session import Case

if TYPE_CHECKING:
    from ..contract import Contract
    from .options import RunOptions


def cases(contracts: dict[str, Contract], options: RunOptions, family: str) -> list[Case]:
    checks = [c for c in REGISTRY.family(family) if c.subject not in RUN_LEVEL]
    found = []
    for vendor, contract in contracts.items():
        for op in contract.operations():
            if not options.selects(vendor, op.id, op.tags):
                continue
            found += [Case(vendor, op, check) for check in checks if check.applies(contract, op)]
    return found
