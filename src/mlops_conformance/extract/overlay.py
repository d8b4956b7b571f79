"""Errata: apply OpenAPI Overlay 1.0 documents to an extracted contract.

The pages are not the whole truth (VENDOR-DOCS.md says where), and real clients prove it. An overlay
keeps each correction small, separate from the parsed reading and justified by its ``description``.
Every node an action touches is marked with ``x-source`` pointing at the action, so a reader of the
contract can always tell the docs' word from ours; the docs' own location moves to ``x-also-in``.

Targets use a small subset of RFC 9535 JSONPath that is enough for errata and easy to verify:
``$``, ``.name``, ``['name']`` / ``["name"]`` (with the RFC's escapes, ``'it\\'s'``), ``[*]`` /
``.*``, an index ``[0]`` and an equality filter on a member or on the item itself,
``[?@.name == 'offset']``, ``[?@ == 'id']`` (what ``reconcile`` writes). A target that selects
nothing is an error: a stale erratum must not pass silently.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import ContractError


def _string(quote_group: str) -> str:
    """A quoted string's body in RFC 9535: an escape, or any character but a backslash or its quote."""
    return rf"""(?:\\(?:[btnfr/\\'"]|u[0-9A-Fa-f]{{4}})|(?!(?P={quote_group}))[^\\])*"""


_SEGMENT = re.compile(
    r"""\.(?P<name>[A-Za-z_$][\w$-]*)|\.\*|\[\*\]"""
    rf"""|\[(?P<q>['"])(?P<quoted>{_string("q")})(?P=q)\]"""
    r"""|\[(?P<index>\d+)\]"""
    rf"""|\[\?@(?:\.(?P<member>[A-Za-z_$][\w$-]*))?\s*==\s*(?P<fq>['"])(?P<value>{_string("fq")})(?P=fq)\]"""
)
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", "/": "/", "\\": "\\", "'": "'", '"': '"'}


def _unescape(text: str) -> str:
    """The value of an RFC 9535 string literal's body (``\\'`` is ``'``, ``\\u00e9`` is ``é``)."""
    return re.sub(
        r"\\(u[0-9A-Fa-f]{4}|.)",
        lambda m: chr(int(m.group(1)[1:], 16)) if m.group(1)[0] == "u" else _ESCAPES[m.group(1)],
        text,
    )


@dataclass(frozen=True, slots=True)
class _Filter:
    """``[?@.member == 'value']``: the array items (or object values) whose member equals value.

    ``member`` empty: ``[?@ == 'value']``, the items that are that string (a name in ``required``).
    """

    member: str
    value: str


Segment = str | int | _Filter | None


@dataclass(frozen=True, slots=True)
class Action:
    target: str
    description: str
    line: int
    update: Any = None
    remove: bool = False


@dataclass(frozen=True, slots=True)
class Overlay:
    document: str  # relative to contracts/, e.g. "overlays/datarobot.yaml"
    title: str
    actions: tuple[Action, ...]
    extends: str = ""  # the document it applies to, as the file says (e.g. "domino.openapi.json")


def load_overlay(path: Path, display: str) -> Overlay:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ContractError(display, f"cannot read overlay: {exc}") from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        raise ContractError(display, f"{where}invalid YAML: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(data, dict) or not str(data.get("overlay", "")).startswith("1."):
        raise ContractError(display, "not an OpenAPI Overlay 1.x document (missing 'overlay: 1.0.0')")
    raw_actions = data.get("actions")
    if not isinstance(raw_actions, list) or not raw_actions:
        raise ContractError(display, "an overlay needs a non-empty 'actions' list")
    action_nodes = _action_nodes(root)
    actions = []
    for index, raw in enumerate(raw_actions):
        line = action_nodes[index].start_mark.line + 1 if index < len(action_nodes) else 0
        if not isinstance(raw, dict) or not isinstance(raw.get("target"), str):
            raise ContractError(display, f"line {line}: action needs a 'target' JSONPath string")
        if not str(raw.get("description", "")).strip():
            raise ContractError(display, f"line {line}: action needs a 'description' giving its reason")
        if ("update" in raw) == bool(raw.get("remove")):
            raise ContractError(
                display, f"line {line}: action needs exactly one of 'update' or 'remove: true'"
            )
        _parse_path(raw["target"], display, line)
        actions.append(
            Action(
                raw["target"],
                str(raw["description"]).strip(),
                line,
                raw.get("update"),
                bool(raw.get("remove")),
            )
        )
    title = str((data.get("info") or {}).get("title", display))
    return Overlay(display, title, tuple(actions), str(data.get("extends") or ""))


def _action_nodes(root: yaml.Node | None) -> list[yaml.Node]:
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if key.value == "actions" and isinstance(value, yaml.SequenceNode):
            return list(value.value)
    return []


def _parse_path(target: str, display: str, line: int) -> list[Segment]:
    """``$.paths['/x'].get`` -> ``['paths', '/x', 'get']``; ``None`` stands for a wildcard."""
    if not target.startswith("$"):
        raise ContractError(display, f"line {line}: target {target!r} must start with '$'")
    segments: list[Segment] = []
    position = 1
    while position < len(target):
        match = _SEGMENT.match(target, position)
        if match is None:
            raise ContractError(
                display, f"line {line}: unsupported JSONPath syntax in {target!r} at {target[position:]!r}"
            )
        if match.group("name") is not None:
            segments.append(match.group("name"))
        elif match.group("quoted") is not None:
            segments.append(_unescape(match.group("quoted")))
        elif match.group("index") is not None:
            segments.append(int(match.group("index")))
        elif match.group("value") is not None:
            segments.append(_Filter(match.group("member") or "", _unescape(match.group("value"))))
        else:
            segments.append(None)
        position = match.end()
    return segments


# Objects whose keys are names or codes, not keywords: status codes, field names, media types,
# component names. A key of ours (``x-source``) inside one would read as a status code or a field.
_NAME_MAPS = frozenset(
    {
        "paths",
        "responses",
        "properties",
        "patternProperties",
        "dependentSchemas",
        "$defs",
        "definitions",
        "content",
        "headers",
        "schemas",
        "parameters",
        "securitySchemes",
        "examples",
        "links",
        "callbacks",
        "requestBodies",
        "encoding",
        "variables",
        "webhooks",
        "pathItems",
        "mapping",
        "scopes",
    }
)


@dataclass(frozen=True, slots=True)
class _Place:
    """A selected node with its parent, its key there, and the object provenance goes on."""

    parent: Any
    key: Any
    node: Any
    names: bool  # node is a map of names or codes (see ``_NAME_MAPS``)
    holder: dict[str, Any] | None  # the nearest enclosing object that is neither a list nor a names map


def _child(place: _Place, key: Any, value: Any) -> _Place:
    names = isinstance(value, dict) and not place.names and isinstance(key, str) and key in _NAME_MAPS
    node = place.node
    holder = node if isinstance(node, dict) and not place.names else place.holder
    return _Place(node, key, value, names, holder)


def _select(document: Any, segments: list[Segment]) -> list[_Place]:
    """Every place the path selects."""
    current = [_Place(None, None, document, False, None)]
    for segment in segments:
        following: list[_Place] = []
        for place in current:
            node = place.node
            if segment is None:
                if isinstance(node, dict):
                    following.extend(_child(place, key, value) for key, value in node.items())
                elif isinstance(node, list):
                    following.extend(_child(place, index, value) for index, value in enumerate(node))
            elif isinstance(segment, _Filter):
                children = (
                    node.items()
                    if isinstance(node, dict)
                    else enumerate(node)
                    if isinstance(node, list)
                    else []
                )
                following.extend(
                    _child(place, key, value)
                    for key, value in children
                    if (
                        value == segment.value
                        if not segment.member
                        else isinstance(value, dict) and value.get(segment.member) == segment.value
                    )
                )
            elif isinstance(segment, int):
                if isinstance(node, list) and segment < len(node):
                    following.append(_child(place, segment, node[segment]))
            elif isinstance(node, dict) and segment in node:
                following.append(_child(place, segment, node[segment]))
        current = following
    return current


_HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})


def _merge(place: _Place, update: dict[str, Any], touched: list[dict[str, Any]]) -> None:
    """Overlay 1.0 update semantics: objects merge recursively, arrays append, scalars replace.

    ``touched`` collects the nodes to mark: a newly added object is marked itself (a new path item
    marks its operations), a changed scalar or array marks the object that holds it, and a change
    directly inside a map of names or codes (``responses``, ``properties``) marks the object that
    holds the map, never the map itself.
    """
    target = place.node
    marked = place.holder if place.names else target
    for key, value in update.items():
        existing = target.get(key)
        if isinstance(existing, dict) and isinstance(value, dict):
            _merge(_child(place, key, existing), value, touched)
            continue
        if existing is None and isinstance(value, dict) and _child(place, key, value).names:
            # A new map of names: its entries are what was added, each marked as new.
            target[key] = {}
            _merge(_child(place, key, target[key]), value, touched)
            continue
        if isinstance(existing, list) and isinstance(value, list):
            existing.extend(item for item in copy.deepcopy(value) if item not in existing)
            _touch(touched, marked)
            continue
        target[key] = copy.deepcopy(value)
        added = target[key]
        if existing is None and isinstance(added, dict) and not key.startswith("x-"):
            operations = [added[m] for m in added if m in _HTTP_METHODS and isinstance(added[m], dict)]
            for node in operations or [added]:
                _touch(touched, node)
        else:
            _touch(touched, marked)


def _touch(touched: list[dict[str, Any]], node: dict[str, Any] | None) -> None:
    if node is not None and not any(node is seen for seen in touched):
        touched.append(node)


def _mark(node: Any, source: dict[str, Any]) -> None:
    if not isinstance(node, dict):
        return
    previous = node.get("x-source")
    if previous and previous != source:
        also = node.setdefault("x-also-in", [])
        if previous not in also:
            also.append(previous)
    node["x-source"] = dict(source)


def apply_overlay(document: dict[str, Any], overlay: Overlay) -> None:
    """Apply every action in order, in place; raise when a target selects nothing."""
    for action in overlay.actions:
        segments = _parse_path(action.target, overlay.document, action.line)
        selected = _select(document, segments)
        source = {"document": overlay.document, "line": action.line}
        if not selected:
            raise ContractError(
                overlay.document, f"line {action.line}: target {action.target} selects nothing"
            )
        for place in selected:
            parent, key, node = place.parent, place.key, place.node
            if action.remove:
                if isinstance(parent, dict):
                    del parent[key]
                elif isinstance(parent, list):
                    parent.remove(node)
                # The object the removal changed: the parent itself, unless it is a list or a map
                # of names or codes (a removed status code or field marks the operation or schema).
                changed = parent if isinstance(parent, dict) and not _is_names_parent(place) else place.holder
                if changed is not None and changed is not document:
                    _mark(changed, source)
            elif isinstance(node, dict) and isinstance(action.update, dict):
                touched: list[dict[str, Any]] = []
                _merge(place, action.update, touched)
                for changed in touched:
                    if changed is not document:  # the root carries no provenance of its own
                        _mark(changed, source)
            elif isinstance(node, list):
                node.extend(
                    copy.deepcopy(action.update if isinstance(action.update, list) else [action.update])
                )
                changed = parent if isinstance(parent, dict) and not _is_names_parent(place) else place.holder
                if changed is not None and changed is not document:
                    _mark(changed, source)
            else:
                raise ContractError(
                    overlay.document,
                    f"line {action.line}: cannot update {action.target}: not an object or array",
                )


def _is_names_parent(place: _Place) -> bool:
    """Whether the selected node's parent is a map of names or codes."""
    return isinstance(place.parent, dict) and place.holder is not place.parent
