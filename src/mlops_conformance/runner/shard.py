"""Splitting a run across CI machines: ``--shard I/N`` runs the I-th of N parts, by operation.

Every check of one operation lands in the same shard: the checks of an operation share its samples
and the probe that says whether it is served, so splitting them would send those requests twice.
The operations of one path (``POST``, ``PATCH`` and ``DELETE /useCases/{id}/{type}/{entityId}/``)
stay together too: on a sandbox such as the embedded mock, what one method of a path writes is what
another method of that path then finds (the link the POST made is the one the DELETE removes), so
apart they would be judged on another state than in an unsharded run.

Shards are balanced by an estimated cost per operation: the number of its cases (the checks that
apply to it), plus a surcharge for a paginated list (a walk pages through it, then lists it again)
and for an operation of a lifecycle family (create, read, update, delete and re-reads). Paths are
assigned greedily, the most expensive first, each to the lightest shard so far; ties are broken by
vendor and path, then by shard number, so every machine computes the same split from the same
contracts and selection, with no coordination.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import UsageError

if TYPE_CHECKING:
    from .session import Case

PAGINATED_COST = 4  # a walk: several pages, a fresh listing, an offset past the end
LIFECYCLE_COST = 6  # create, read back, list, update, re-read, delete, re-read

_SPEC = re.compile(r"\s*(\d+)\s*/\s*(\d+)\s*")


@dataclass(frozen=True, slots=True)
class Shard:
    """The ``index``-th (1-based) of ``total`` shards."""

    index: int
    total: int

    def __str__(self) -> str:
        return f"{self.index}/{self.total}"


def parse_shard(value: str | None) -> Shard | None:
    """``"1/2"`` to ``Shard(1, 2)``; None for no value; anything else is a one-line usage error."""
    if value is None or value == "":
        return None
    match = _SPEC.fullmatch(str(value))
    if match:
        index, total = int(match.group(1)), int(match.group(2))
        if 1 <= index <= total:
            return Shard(index, total)
    raise UsageError(f"--shard {value!r}: expected I/N with 1 <= I <= N, such as 1/2 or 2/2")


def operation_cost(cases: list[Case]) -> int:
    """The estimated cost of one operation, from its cases (all of one vendor and operation)."""
    cost = len(cases)
    subjects = {case.check.subject for case in cases}
    if "walk" in subjects:
        cost += PAGINATED_COST
    if "lifecycle" in subjects:
        cost += LIFECYCLE_COST
    return cost


def split(cases: Iterable[Case], total: int) -> dict[tuple[str, str], int]:
    """``{(vendor, operation id): shard index (1-based)}`` for every operation among ``cases``."""
    by_operation: dict[tuple[str, str], list[Case]] = {}
    for case in cases:
        by_operation.setdefault((case.vendor, case.operation.id), []).append(case)
    units: dict[tuple[str, str], list[tuple[str, str]]] = {}  # (vendor, path): its operations
    for vendor, operation in by_operation:
        units.setdefault((vendor, operation.partition(" ")[2]), []).append((vendor, operation))
    costs = {
        unit: sum(operation_cost(by_operation[key]) for key in operations)
        for unit, operations in units.items()
    }
    loads = [0] * total
    assigned: dict[tuple[str, str], int] = {}
    for unit in sorted(costs, key=lambda u: (-costs[u], u)):
        lightest = min(range(total), key=lambda i: (loads[i], i))
        loads[lightest] += costs[unit]
        for key in units[unit]:
            assigned[key] = lightest + 1
    return assigned


def loads(cases: Iterable[Case], total: int) -> list[tuple[int, int, int]]:
    """Per shard ``(operations, cases, estimated cost)``: how even the split is (for reports and tests)."""
    cases = list(cases)
    assigned = split(cases, total)
    figures = [[0, 0, 0] for _ in range(total)]
    by_operation: dict[tuple[str, str], list[Case]] = {}
    for case in cases:
        by_operation.setdefault((case.vendor, case.operation.id), []).append(case)
    for key, found in by_operation.items():
        figure = figures[assigned[key] - 1]
        figure[0] += 1
        figure[1] += len(found)
        figure[2] += operation_cost(found)
    return [(a, b, c) for a, b, c in figures]
