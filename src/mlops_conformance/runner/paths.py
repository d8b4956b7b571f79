"""Which documented list holds valid values for a path parameter, and how to read ids from items.

Pure functions of the contract (path shapes come from ``checks._paths``, shared with the lifecycle
family detection).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..contract import Contract, Operation

from ..checks._paths import TEMPLATE, is_template, segments, shape, template_names

__all__ = [
    "direct_lists",
    "fill",
    "id_and_field",
    "id_fields",
    "id_of",
    "is_list",
    "is_sure_id_field",
    "items_of",
    "lists_for",
    "segments",
    "shape",
    "template_names",
]


def fill(path: str, values: dict[str, Any]) -> str:
    """``path`` with its templates replaced by URL-safe values (unknown ones left as they are)."""
    from urllib.parse import quote

    return TEMPLATE.sub(
        lambda m: quote(str(values[m.group(1)]), safe="") if m.group(1) in values else m.group(0), path
    )


def ok_status(status: int | None) -> bool:
    """A success answer, whatever 2xx it is (an undocumented one is the checks' business, not ours)."""
    return status is not None and 200 <= status < 300


def fill_as(path: str, named_in: str, values: dict[str, Any]) -> str:
    """Fill ``path`` with ``values`` named after the templates of ``named_in``, matched by position
    (two versions of one resource path may name the same parameter differently)."""
    mapped = {
        mine: values[theirs]
        for mine, theirs in zip(template_names(path), template_names(named_in), strict=False)
        if theirs in values
    }
    return fill(path, {**values, **mapped})


def id_fields(parameter: str) -> tuple[str, ...]:
    """Fields that may carry the value of a path parameter: itself, ``id``, its last word.

    ``useCaseId`` -> (``useCaseId``, ``id``); ``modelName`` -> (``modelName``, ``name``).
    """
    words = re.findall(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])", parameter)
    last = words[-1].lower() if words else parameter
    return tuple(dict.fromkeys([parameter, "id", last]))


def at_pointer(document: Any, pointer: str) -> Any:
    """The value at a JSON pointer (RFC 6901), or None when the document has nothing there."""
    node = document
    for raw in pointer.split("/")[1:]:
        key = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        else:
            return None
    return node


def id_of(item: Any, parameter: str) -> str | None:
    """The value of ``parameter`` in an item, also inside a one-object envelope (``{"dataset": {...}}``)."""
    found = id_and_field(item, parameter)
    return found[0] if found else None


def id_and_field(item: Any, parameter: str) -> tuple[str, str] | None:
    """``(value, field it was read from)`` for ``parameter`` in an item (see ``id_of``)."""
    if not isinstance(item, dict):
        return None
    for key in id_fields(parameter):
        value = item.get(key)
        if _usable(value):
            return str(value), key
    # One top-level field named for the parameter (``modelVersion`` for ``version``) before any
    # nested object: a nested ``project.id`` is another resource's id.
    suffixed = [k for k, v in item.items() if k.lower().endswith(parameter.lower()) and _usable(v)]
    if len(suffixed) == 1:
        return str(item[suffixed[0]]), suffixed[0]
    words = _plural_words(parameter)
    named = [v for k, v in item.items() if isinstance(v, dict) and k.lower() in words]
    for candidate in named:
        found = id_and_field(candidate, parameter)
        if found is not None:
            return found
    return None


def _usable(value: Any) -> bool:
    return isinstance(value, (str, int)) and not isinstance(value, bool) and bool(str(value))


def is_sure_id_field(parameter: str, field: str) -> bool:
    """Whether a value read from ``field`` is certainly what ``parameter`` names: the same name, or
    ``id`` for a parameter named ``...Id``. Anything else (``name`` for ``modelName``, ``id`` for
    ``version``) is a reasonable guess, not proof."""
    return field == parameter or (field == "id" and re.search(r"(Id|ID|_id)$", parameter) is not None)


def is_list(contract: Contract, op: Operation) -> bool:
    """A GET on a collection that answers many items (paginated, or a bare array)."""
    if op.method != "GET" or (segments(op.path) and is_template(segments(op.path)[-1])):
        return False
    if op.pagination:
        return True
    schema = contract.resolve(contract.response_schema(op, "200") or {})
    kind = schema.get("type") if isinstance(schema, dict) else None
    return kind == "array" or (isinstance(kind, list) and "array" in kind)


def items_of(op: Operation, body: Any) -> list[Any]:
    if isinstance(body, list):
        return body
    pagination = op.pagination or {}
    key = pagination.get("items") or "data"
    if isinstance(body, dict) and isinstance(body.get(key), list):
        return body[key]
    return []


def _plural_words(parameter: str) -> set[str]:
    base = re.sub(r"(Id|ID|_id|Name|Key)$", "", parameter)
    lowered = base.lower()
    return {
        lowered + "s",
        lowered + "es",
        lowered,
        lowered[:-1] + "ies" if lowered.endswith("y") else lowered + "s",
    }


def direct_lists(contract: Contract, path: str, parameter: str) -> list[Operation]:
    """The lists of the collection right above ``parameter`` in ``path``: their ids are certain."""
    parts = segments(path)
    position = next(i for i, s in enumerate(parts) if s == "{" + parameter + "}")
    wanted = shape("/" + "/".join(parts[:position]))
    return [op for op in contract.operations() if is_list(contract, op) and shape(op.path) == wanted]


_RPC_LIST_VERBS = ("search", "list")


def _listed_name(path: str) -> str:
    """What a list lists: its last segment, or the one before an RPC verb (``/experiments/search``)."""
    parts = [p.lower() for p in segments(path)]
    if len(parts) >= 2 and parts[-1] in _RPC_LIST_VERBS:
        return parts[-2]
    return parts[-1] if parts else ""


def lists_for(contract: Contract, path: str, parameter: str) -> list[Operation]:
    """The list operations that may name valid values of ``parameter`` in ``path``, best first.

    First the list of the collection right above the parameter (same shape, version-insensitive);
    then, by name, lists whose last segment is the parameter's plural (``projectId`` ->
    ``.../projects``, or an RPC's ``.../experiments/search`` for ``experiment_id``), top-level ones
    before those under other parents (``snapshotId`` -> ``/datasets/{datasetId}/snapshots``), for APIs
    that list a resource elsewhere.
    """
    direct = direct_lists(contract, path, parameter)
    names = _plural_words(parameter)
    by_name = [
        op
        for op in contract.operations()
        if op not in direct and is_list(contract, op) and _listed_name(op.path) in names
    ]
    # Top-level lists first; a list under other parents needs those found first (``Resources``).
    by_name.sort(key=lambda op: len(template_names(op.path)))
    return direct + by_name
