"""``mlops-conformance diff``: breaking and non-breaking changes between two contracts.

Meant for attributing a change of results: if release N+1 of a target fails where N passed, a diff
of the contracts the two runs used tells whether the documentation moved under the suite.
Operations are matched by method and path *shape* (``/useCases/{id}`` matches
``/useCases/{useCaseId}``), path parameters by position, other parameters by location and name.
An ``x-`` key where names or codes are listed (a responses or content map, a parameters list, a
properties map) is an extension, never read as a status code, media type, parameter or field.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ..contract import Contract, Operation
from ..errors import ContractError
from ..extract.writer import dangling_refs
from .diff_schema import Change, SchemaDiffer, entries

_TEMPLATE = re.compile(r"\{[^}/]*\}")


def _shape(op: Operation) -> tuple[str, str]:
    return (op.method, _TEMPLATE.sub("{}", op.path))


def _parameters(op: Operation) -> list[dict[str, Any]]:
    """The operation's parameters; an entry of nothing but ``x-`` keys is an extension, not one."""
    return [p for p in op.parameters if isinstance(p, dict) and not all(str(k).startswith("x-") for k in p)]


def load_contract_file(path: Path) -> Contract:
    """Any OpenAPI JSON file as a ``Contract``; unreadable or invalid files raise ``ContractError``."""
    contract = Contract.load(Path(path).name.split(".", 1)[0] or "contract", Path(path))
    paths = contract.document.get("paths")
    if not isinstance(paths, dict) or not all(isinstance(item, dict) for item in paths.values()):
        raise ContractError(str(path), "'paths' must be an object of path items")
    missing = dangling_refs(contract.document)
    if missing:
        raise ContractError(str(path), f"unresolvable references: {', '.join(missing[:5])}")
    return contract


def diff_contracts(old: Contract, new: Contract) -> list[Change]:
    """Every change from ``old`` to ``new``, breaking ones first, then by operation."""
    differ = SchemaDiffer(old, new)
    old_ops = {_shape(op): op for op in old.operations()}
    new_ops = {_shape(op): op for op in new.operations()}
    for key in sorted(old_ops.keys() - new_ops.keys()):
        op = old_ops[key]
        differ.add("operation-removed", True, op.id, "", "operation removed")
    for key in sorted(new_ops.keys() - old_ops.keys()):
        op = new_ops[key]
        differ.add("operation-added", False, op.id, "", "operation added")
    for key in sorted(old_ops.keys() & new_ops.keys()):
        _diff_operation(differ, old_ops[key], new_ops[key])
    changes = differ.finish()
    return sorted(
        changes,
        key=lambda c: (not c.breaking, c.subject.startswith("schema "), c.subject, c.location, c.kind),
    )


def _param_key(op: Operation, param: dict[str, Any]) -> tuple[str, str]:
    where, name = str(param.get("in", "")), str(param.get("name", ""))
    if where == "path":
        names = [m.strip("{}") for m in _TEMPLATE.findall(op.path)]
        return (where, f"#{names.index(name)}" if name in names else name)
    return (where, name.lower() if where == "header" else name)


def _diff_operation(differ: SchemaDiffer, old: Operation, new: Operation) -> None:
    subject = new.id
    if old.path != new.path:
        differ.add(
            "path-renamed",
            False,
            subject,
            "path",
            f"path parameters renamed: {old.path} → {new.path}",
            old.path,
            new.path,
        )
    if not old.deprecated and new.deprecated:
        differ.add("deprecated", False, subject, "", "operation deprecated")
    old_params = {_param_key(old, p): p for p in _parameters(old)}
    new_params = {_param_key(new, p): p for p in _parameters(new)}
    for key in sorted(old_params.keys() - new_params.keys()):
        p = old_params[key]
        differ.add(
            "parameter-removed",
            True,
            subject,
            f"{p.get('in')} parameter {p.get('name')}",
            "parameter removed",
        )
    for key in sorted(new_params.keys() - old_params.keys()):
        p = new_params[key]
        where = f"{p.get('in')} parameter {p.get('name')}"
        if p.get("required"):
            differ.add("parameter-added-required", True, subject, where, "new required parameter")
        else:
            differ.add("parameter-added", False, subject, where, "optional parameter added")
    for key in sorted(old_params.keys() & new_params.keys()):
        before, after = old_params[key], new_params[key]
        where = f"{after.get('in')} parameter {after.get('name')}"
        if not before.get("required") and after.get("required"):
            differ.add("parameter-required", True, subject, where, "parameter became required")
        elif before.get("required") and not after.get("required"):
            differ.add("parameter-optional", False, subject, where, "parameter no longer required")
        differ.compare(before.get("schema", {}), after.get("schema", {}), subject, where)
    _diff_body(differ, subject, old, new)
    _diff_responses(differ, subject, old, new)


def _content(contract: Contract, node: Any) -> dict[str, Any]:
    node = contract.resolve(node) if node is not None else None
    return entries(node.get("content") if isinstance(node, dict) else None)


def _diff_body(differ: SchemaDiffer, subject: str, old: Operation, new: Operation) -> None:
    before = differ.old.resolve(old.request_body) if old.request_body else None
    after = differ.new.resolve(new.request_body) if new.request_body else None
    if before is None and after is None:
        return
    if before is None:
        required = bool(isinstance(after, dict) and after.get("required"))
        differ.add(
            "body-added",
            required,
            subject,
            "request body",
            "required request body added" if required else "optional request body added",
        )
        return
    if after is None:
        differ.add("body-removed", True, subject, "request body", "request body removed")
        return
    if not before.get("required") and after.get("required"):
        differ.add("body-required", True, subject, "request body", "request body became required")
    old_c, new_c = _content(differ.old, before), _content(differ.new, after)
    for media in sorted(old_c.keys() - new_c.keys()):
        differ.add(
            "media-type-removed",
            True,
            subject,
            f"request body ({media})",
            f"media type {media} no longer accepted",
        )
    for media in sorted(new_c.keys() - old_c.keys()):
        differ.add(
            "media-type-added", False, subject, f"request body ({media})", f"media type {media} accepted"
        )
    for media in sorted(old_c.keys() & new_c.keys()):
        differ.compare(
            old_c[media].get("schema", {}), new_c[media].get("schema", {}), subject, f"request body ({media})"
        )


def _diff_responses(differ: SchemaDiffer, subject: str, old: Operation, new: Operation) -> None:
    old_r, new_r = entries(old.responses), entries(new.responses)
    for status in sorted(old_r.keys() - new_r.keys()):
        differ.add(
            "status-removed",
            True,
            subject,
            f"response {status}",
            f"status code {status} no longer documented",
        )
    for status in sorted(new_r.keys() - old_r.keys()):
        differ.add("status-added", False, subject, f"response {status}", f"status code {status} documented")
    for status in sorted(old_r.keys() & new_r.keys()):
        old_c, new_c = _content(differ.old, old_r[status]), _content(differ.new, new_r[status])
        for media in sorted(old_c.keys() - new_c.keys()):
            differ.add(
                "media-type-removed",
                True,
                subject,
                f"response {status} ({media})",
                f"media type {media} no longer documented",
            )
        for media in sorted(new_c.keys() - old_c.keys()):
            differ.add(
                "media-type-added",
                False,
                subject,
                f"response {status} ({media})",
                f"media type {media} documented",
            )
        for media in sorted(old_c.keys() & new_c.keys()):
            where = f"response {status}" if media == "application/json" else f"response {status} ({media})"
            differ.compare(old_c[media].get("schema", {}), new_c[media].get("schema", {}), subject, where)


# -- rendering ----------------------------------------------------------------------------------


def _md(text: Any) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _where(change: Change) -> str:
    subject = (
        f"`{change.subject}`"
        if not change.subject.startswith("schema ")
        else f"schema `{change.subject[7:]}`"
    )
    location = f" › {_md(change.location)}" if change.location else ""
    users = ""
    if change.subject.startswith("schema "):
        n = len(change.operations)
        users = f" (used by {n} operation{'s' if n != 1 else ''})" if n else " (not used by any operation)"
    return subject + location + users


def to_markdown(changes: list[Change], old_label: str, new_label: str) -> str:
    breaking = [c for c in changes if c.breaking]
    other = [c for c in changes if not c.breaking]
    out = [
        f"## Contract diff: `{old_label}` → `{new_label}`",
        "",
        f"**{len(breaking)} breaking**, {len(other)} non-breaking change{'s' if len(other) != 1 else ''}.",
        "",
    ]
    for title, group in (("Breaking changes", breaking), ("Non-breaking changes", other)):
        if not group:
            continue
        out += [f"### {title} ({len(group)})", "", "| change | where | detail |", "|---|---|---|"]
        out += [f"| {c.kind} | {_where(c)} | {_md(c.message)} |" for c in group]
        out.append("")
    if not changes:
        out.append("The contracts describe the same operations, parameters, fields and status codes.")
    return "\n".join(out).rstrip() + "\n"


def to_json(changes: list[Change], old_label: str, new_label: str) -> str:
    document = {
        "old": old_label,
        "new": new_label,
        "summary": {
            "breaking": sum(c.breaking for c in changes),
            "non_breaking": sum(not c.breaking for c in changes),
        },
        "breaking": [c.as_dict() for c in changes if c.breaking],
        "non_breaking": [c.as_dict() for c in changes if not c.breaking],
    }
    return json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n"
