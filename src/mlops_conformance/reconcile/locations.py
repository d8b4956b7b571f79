"""Where a node is: JSONPath targets in the contract, JSON pointers in the vendor spec.

An overlay action must name the contract's real location (a component when the operation uses a
``$ref``), and its reason must name the spec's, so both sides are walked as (node, location) pairs
and ``$ref`` chains are followed with the location moving to the referenced node. Only standard
RFC 9535 syntax is written (``.name`` for plain identifiers, ``['name']`` otherwise, ``[0]``,
``[?@.name == 'x']``, ``[?@ == 'x']``), so any Overlay 1.0 tool reads the targets, ours included.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..errors import ContractError


@dataclass(frozen=True, slots=True, order=True)
class Filter:
    """``[?@.member == 'value']``, or ``[?@ == 'value']`` when ``member`` is empty."""

    member: str
    value: str


Segment = str | int | Filter
Location = tuple[Segment, ...]

_SHORTHAND = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_TEMPLATE_PARAMETER = re.compile(r"\{([^{}/]*)\}")


def _quoted(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("'", "\\'")
    return f"'{escaped}'"


def jsonpath(location: Location) -> str:
    """``('paths', '/a/{id}', 'get')`` -> ``$.paths['/a/{id}'].get``."""
    parts = ["$"]
    for segment in location:
        if isinstance(segment, Filter):
            subject = f"@.{segment.member}" if segment.member else "@"
            parts.append(f"[?{subject} == {_quoted(segment.value)}]")
        elif isinstance(segment, int):
            parts.append(f"[{segment}]")
        elif _SHORTHAND.match(segment):
            parts.append(f".{segment}")
        else:
            parts.append(f"[{_quoted(segment)}]")
    return "".join(parts)


def json_pointer(location: Location) -> str:
    """``('paths', '/a', 'get')`` -> ``#/paths/~1a/get`` (RFC 6901 in a URI fragment)."""
    tokens = (str(t).replace("~", "~0").replace("/", "~1") for t in location)
    return "#/" + "/".join(tokens) if location else "#"


def template_key(path: str) -> str:
    """A path template without its parameter names: ``/a/{projectId}`` and ``/a/{id}`` are one."""
    return _TEMPLATE_PARAMETER.sub("{}", path)


def template_names(path: str) -> list[str]:
    """The path parameter names in the order the template places them."""
    return _TEMPLATE_PARAMETER.findall(path)


@dataclass(frozen=True, slots=True)
class Here:
    """A node and where it is in its document."""

    node: Any
    where: Location

    def child(self, *keys: str | int) -> Here | None:
        node, where = self.node, self.where
        for key in keys:
            in_object = isinstance(node, dict) and isinstance(key, str) and key in node
            in_array = isinstance(node, list) and isinstance(key, int) and key < len(node)
            if not (in_object or in_array):
                return None
            node = node[key]
            where = (*where, key)
        return Here(node, where)


class Document:
    """One OpenAPI document whose local ``$ref`` chains can be followed, keeping locations."""

    def __init__(self, document: dict[str, Any], label: str) -> None:
        self.document = document
        self.label = label

    @property
    def root(self) -> Here:
        return Here(self.document, ())

    def follow(self, here: Here) -> Here:
        """The node a ``$ref`` chain ends at, located there (``$ref`` siblings are annotations)."""
        seen: set[str] = set()
        while isinstance(here.node, dict) and isinstance(here.node.get("$ref"), str):
            ref = here.node["$ref"]
            if ref in seen:
                raise ContractError(self.label, f"$ref cycle at {ref!r}")
            seen.add(ref)
            here = self._target(ref)
        return here

    def ref_name(self, node: Any) -> str | None:
        """The ``$ref`` a schema node is, if it is one (for telling two named schemas apart)."""
        if isinstance(node, dict) and isinstance(node.get("$ref"), str):
            return str(node["$ref"])
        return None

    def _target(self, ref: str) -> Here:
        if not ref.startswith("#/"):
            raise ContractError(self.label, f"unsupported $ref {ref!r} (only local references are read)")
        keys = [part.replace("~1", "/").replace("~0", "~") for part in ref[2:].split("/")]
        found = self.root.child(*keys)
        if found is None:
            raise ContractError(self.label, f"unresolvable $ref {ref!r}")
        return found

    def inline(
        self,
        node: Any,
        reuse: Callable[[str], Any] | None = None,
        _expanding: tuple[str, ...] = (),
        _names: bool = False,
    ) -> Any:
        """A self-contained copy for the contract: references expanded, ``x-`` keys and examples dropped.

        A spec component name means nothing in the contract unless ``reuse`` says it does (it
        returns what to write instead of expanding that ``$ref``, or ``None``), so what is carried
        over is the content. Its examples are left behind: the contract's examples are the docs'
        own, judged against the docs' schemas. A recursive schema cannot be expanded; its inner
        repetition is left open (``{}``, which accepts anything), not guessed.
        """
        if isinstance(node, list):
            return [self.inline(item, reuse, _expanding) for item in node]
        if not isinstance(node, dict):
            return copy.deepcopy(node)
        ref = self.ref_name(node) if not _names else None
        if ref is not None:
            reused = reuse(ref) if reuse is not None else None
            if reused is not None:
                return reused
            if ref in _expanding:
                return {}
            return self.inline(self._target(ref).node, reuse, (*_expanding, ref))
        kept = {}
        for key, value in sorted(node.items()):
            if not _names and (key.startswith("x-") or key in ("example", "examples")):
                continue
            kept[key] = self.inline(value, reuse, _expanding, not _names and key in _NAME_MAPS)
        return kept


# Objects whose keys are names (fields, media types, status codes), not keywords to filter.
_NAME_MAPS = frozenset(
    {"properties", "patternProperties", "$defs", "dependentSchemas", "content", "headers", "encoding"}
)
