"""The reconciliation as an OpenAPI Overlay 1.0 document, and its one-screen summary.

The overlay is what ``extract --overlay FILE`` applies after the errata, so it must be
reproducible: actions sorted by target and keyword, keys in a fixed order, no timestamps, the spec
named by title, version and file name only (never an absolute path). Each action says why in its
``description`` (spec title, version, JSON pointer, what the docs have) and again, for tools, in
``x-reason``. Conflicts stay out of ``actions`` (listed under ``x-conflicts``) unless the caller
prefers the spec; operations found on one side only are listed, never added or removed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import yaml

from .findings import Finding
from .locations import Filter, Location, jsonpath


@dataclass(frozen=True, slots=True)
class Reconciliation:
    contract_name: str  # the contract's file name: the overlay's ``extends``
    contract_title: str
    spec_name: str  # the spec's file name
    spec_title: str
    spec_version: str
    matched: int
    findings: tuple[Finding, ...]  # sorted by target and keyword
    losses: dict[Location, Any]  # target -> its x-doc-loss value, for the findings that recover one
    only_in_contract: tuple[str, ...]
    only_in_spec: tuple[str, ...]

    def applied(self, prefer_spec: bool) -> list[Finding]:
        return [f for f in self.findings if f.edits and (not f.conflict or prefer_spec)]

    def unapplied_conflicts(self, prefer_spec: bool) -> list[Finding]:
        return [f for f in self.findings if f.conflict and not (prefer_spec and f.edits)]


def build_overlay(rec: Reconciliation, *, prefer_spec: bool = False) -> dict[str, Any]:
    """The overlay document (``actions`` may be empty: then there is nothing to write)."""
    actions: list[dict[str, Any]] = []
    for finding in rec.applied(prefer_spec):
        for edit in finding.edits:
            action: dict[str, Any] = {
                "target": jsonpath(edit.target),
                "description": _description(rec, finding),
            }
            if edit.remove:
                action["remove"] = True
            else:
                action["update"] = edit.update
            action["x-reason"] = _reason(rec, finding)
            actions.append(action)
    actions.extend(_doc_loss_actions(rec, rec.applied(prefer_spec)))
    document: dict[str, Any] = {
        "overlay": "1.0.0",
        "info": {
            "title": f"{rec.contract_title}: what {rec.spec_title} {rec.spec_version} adds",
            "version": rec.spec_version,
        },
        "extends": rec.contract_name,
        "actions": actions,
        "x-spec": {"title": rec.spec_title, "version": rec.spec_version, "file": rec.spec_name},
        "x-conflicts": [_conflict(f) for f in rec.unapplied_conflicts(prefer_spec)],
        "x-only-in-contract": list(rec.only_in_contract),
        "x-only-in-spec": list(rec.only_in_spec),
    }
    return document


def _description(rec: Reconciliation, finding: Finding) -> str:
    override = (
        " The docs say otherwise; applied because of --prefer spec (overrides the docs)."
        if finding.conflict
        else ""
    )
    return f"{rec.spec_title} {rec.spec_version}, {finding.pointer}: {finding.reason}.{override}"


def _reason(rec: Reconciliation, finding: Finding) -> dict[str, Any]:
    reason: dict[str, Any] = {
        "spec": rec.spec_title,
        "version": rec.spec_version,
        "pointer": finding.pointer,
        "kind": "overrides-docs" if finding.conflict else "docs-lost",
    }
    if finding.conflict:
        reason["docs"] = finding.docs
    if finding.operation:
        reason["operation"] = finding.operation
    return reason


def _conflict(finding: Finding) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "target": jsonpath(finding.target),
        "keyword": finding.keyword,
        "docs": finding.docs,
        "spec": finding.spec,
        "pointer": finding.pointer,
        "reason": finding.reason,
    }
    if finding.operation:
        entry["operation"] = finding.operation
    return entry


def _doc_loss_actions(rec: Reconciliation, applied: Iterable[Finding]) -> list[dict[str, Any]]:
    """``x-doc-loss`` keywords the spec recovered are no longer lost: drop them (the key when all are)."""
    recovered: dict[Location, tuple[set[str], list[str]]] = {}
    for finding in applied:
        if finding.recovers and rec.losses.get(finding.target) is not None:
            keywords, pointers = recovered.setdefault(finding.target, (set(), []))
            keywords |= finding.recovers
            pointers.append(finding.pointer)
    actions: list[dict[str, Any]] = []
    for target in sorted(recovered, key=jsonpath):
        keywords, pointers = recovered[target]
        lost = rec.losses[target]
        listed = {lost} if isinstance(lost, str) else set(lost) if isinstance(lost, list) else None
        description = f"{rec.spec_title} {rec.spec_version}, {', '.join(sorted(set(pointers)))}: the spec states what the docs lost here."
        reason = {
            "spec": rec.spec_title,
            "version": rec.spec_version,
            "pointer": min(pointers),
            "kind": "docs-lost",
        }
        if listed is None or "*" in keywords or listed <= keywords:
            removals: list[Location] = [(*target, "x-doc-loss")]
        else:
            removals = [(*target, "x-doc-loss", Filter("", keyword)) for keyword in sorted(listed & keywords)]
        actions.extend(
            {"target": jsonpath(removal), "description": description, "remove": True, "x-reason": reason}
            for removal in removals
        )
    return actions


def render(document: dict[str, Any]) -> str:
    """YAML with the keys in the order built (overlay, info, extends, actions, lists)."""
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)


def summary(rec: Reconciliation, *, prefer_spec: bool = False, limit: int | None = None) -> list[str]:
    """What a person reads first: counts, then every conflict and one-sided operation.

    ``limit`` shortens each one-sided list when the overlay file holds them in full.
    """
    applied = rec.applied(prefer_spec)
    overridden = sum(1 for f in applied if f.conflict)
    conflicts = rec.unapplied_conflicts(prefer_spec)
    lines = [
        f"{rec.contract_name} vs {rec.spec_title} {rec.spec_version} ({rec.spec_name}): "
        f"{_count(rec.matched, 'operation')} matched, {_count(len(applied), 'addition')}"
        + (f" ({overridden} overriding the docs)" if overridden else "")
        + f", {_count(len(conflicts), 'conflict')} listed, {len(rec.only_in_contract)} only in the contract, "
        f"{len(rec.only_in_spec)} only in the spec"
    ]
    for finding in conflicts:
        lines.append(
            f"conflict: {jsonpath(finding.target)} {finding.keyword}: {finding.reason} "
            f"(docs {_short(finding.docs)}, spec {_short(finding.spec)}; {finding.pointer})"
        )
    for side, labels, key in (
        ("the contract", rec.only_in_contract, "x-only-in-contract"),
        ("the spec", rec.only_in_spec, "x-only-in-spec"),
    ):
        shown = labels if limit is None else labels[:limit]
        lines.extend(f"only in {side}: {label}" for label in shown)
        if len(shown) < len(labels):
            lines.append(f"only in {side}: … and {len(labels) - len(shown)} more (all under {key})")
    return lines


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
