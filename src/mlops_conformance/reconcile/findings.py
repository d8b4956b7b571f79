"""What reconciling found: additions (the docs lost it) and conflicts (the docs say otherwise).

A finding is about one contract node and one keyword, carries the spec's JSON pointer as its
reason, and knows the overlay edits that would apply it. Keeping the edits with the finding lets
``--prefer spec`` apply a conflict with exactly the edits an addition would use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .locations import Location, jsonpath


@dataclass(frozen=True, slots=True)
class Edit:
    """One overlay action: ``update`` merged into ``target``, or ``target`` removed."""

    target: Location
    update: Any = None
    remove: bool = False


@dataclass(frozen=True, slots=True)
class Finding:
    target: Location  # the contract node it is about (a component when the contract uses $ref)
    keyword: (
        str  # what differs there: "enum", "type", "required", "properties/id", "parameter query limit", ...
    )
    pointer: str  # where the spec says it, "#/components/schemas/X/properties/status/enum"
    reason: str  # one sentence: what the docs have, what the spec has
    edits: tuple[Edit, ...]
    conflict: bool = False  # the docs state it explicitly and the spec disagrees
    docs: Any = None
    spec: Any = None
    operation: str = ""  # the first operation (sorted) through which it was reached
    recovers: frozenset[str] = frozenset()  # the x-doc-loss keywords an applied finding recovers

    @property
    def sort_key(self) -> tuple[str, str]:
        return (jsonpath(self.target), self.keyword)


@dataclass
class Findings:
    """Findings keyed by (target, keyword): a node shared by many operations is reported once."""

    by_key: dict[tuple[str, str], Finding] = field(default_factory=dict)
    losses: dict[Location, Any] = field(default_factory=dict)  # target -> its x-doc-loss value

    def add(self, finding: Finding) -> None:
        key = finding.sort_key
        known = self.by_key.get(key)
        if known is None:
            self.by_key[key] = finding
        elif known.edits != finding.edits and known.edits:
            # Two places of the spec say different things about one contract node (a component
            # the spec splits in two): nothing is applied there, both are listed.
            self.by_key[key] = Finding(
                known.target,
                known.keyword,
                known.pointer,
                f"the spec disagrees with itself here: {known.pointer} and {finding.pointer}",
                (),  # not applied, also with --prefer spec: which of the two would it be?
                True,
                known.docs,
                [known.spec, finding.spec],
                known.operation,
                known.recovers,
            )

    def sorted(self) -> list[Finding]:
        return [self.by_key[key] for key in sorted(self.by_key)]
