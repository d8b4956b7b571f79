"""Request path -> documented path template, with literal segments beating templates.

OpenAPI allows ``/useCases/{useCaseId}/{referenceCollectionType}/{entityId}/`` beside
``/useCases/{useCaseId}/datasets/{datasetId}/``; the spec says concrete paths match first. The router
is a segment trie searched depth-first, literal child before template child, with backtracking, so a
literal sibling wins wherever one exists and the template still catches everything else.

Segments are split on the *raw* (still percent-encoded) path, so a parameter value may contain an
encoded ``/`` (Domino's ``{path}`` parameter does) without changing the route.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Generic, TypeVar
from urllib.parse import unquote

T = TypeVar("T")
_TEMPLATE = re.compile(r"^\{([^{}/]+)\}$")


@dataclass(slots=True)
class _Node(Generic[T]):
    literal: dict[str, _Node[T]] = field(default_factory=dict)
    template: _Node[T] | None = None
    methods: dict[str, T] = field(default_factory=dict)
    path: str | None = None


@dataclass(frozen=True, slots=True)
class Match(Generic[T]):
    """The path template a request matched, its decoded template values (in order), its methods.

    Two templates may end at the same node with different parameter names (``/x/{id}`` for GET,
    ``/x/{name}`` for DELETE); :func:`parameters` names the values for one operation's template.
    """

    path: str
    values: tuple[str, ...]
    methods: dict[str, T]


def template_names(template: str) -> list[str]:
    return [m.group(1) for m in (_TEMPLATE.match(s) for s in split(template)) if m]


def parameters(template: str, values: tuple[str, ...]) -> dict[str, str]:
    return dict(zip(template_names(template), values, strict=False))


def split(path: str) -> list[str]:
    """``/a/b/`` -> ``["a", "b", ""]``: a trailing slash is a segment, so ``/a/`` and ``/a`` differ."""
    return path.split("/")[1:] if path.startswith("/") else path.split("/")


class Router(Generic[T]):
    """Maps ``(method, raw path)`` to the value registered for the documented template."""

    def __init__(self) -> None:
        self._root: _Node[T] = _Node()

    def add(self, method: str, template: str, value: T) -> None:
        node = self._root
        for segment in split(template):
            found = _TEMPLATE.match(segment)
            if found:
                if node.template is None:
                    node.template = _Node()
                node = node.template
            else:
                node = node.literal.setdefault(segment, _Node())
        if method.upper() in node.methods:
            raise ValueError(f"duplicate route {method.upper()} {template}")
        node.methods[method.upper()] = value
        node.path = node.path or template

    def match(self, raw_path: str, method: str | None = None) -> Match[T] | None:
        """The template serving ``raw_path`` (and ``method``, when given).

        Literal segments are tried first. When the best literal match does not document ``method``
        but a templated path does (``POST /useCases/{id}/{type}/{entityId}/`` beside a GET-only
        ``/useCases/{id}/datasets/{datasetId}/``), the templated path serves it; when no path
        documents the method, the best match is returned so the caller can answer 405.
        """
        segments = split(raw_path)
        first: list[tuple[_Node[T], tuple[str, ...]]] = []
        found = self._walk(self._root, segments, 0, [], method.upper() if method else None, first)
        if found is None:
            if not first:
                return None
            node, values = first[0]
            return Match(node.path or "", tuple(unquote(v) for v in values), node.methods)
        node, values = found
        return Match(node.path or "", tuple(unquote(v) for v in values), node.methods)

    def _walk(
        self,
        node: _Node[T],
        segments: list[str],
        index: int,
        values: list[str],
        method: str | None,
        first: list[tuple[_Node[T], tuple[str, ...]]],
    ) -> tuple[_Node[T], tuple[str, ...]] | None:
        if index == len(segments):
            if not node.methods:
                return None
            if method is None or method in node.methods:
                return node, tuple(values)
            if not first:
                first.append((node, tuple(values)))
            return None
        segment = segments[index]
        child = node.literal.get(segment)
        if child is not None:
            found = self._walk(child, segments, index + 1, values, method, first)
            if found is not None:
                return found
        if node.template is not None and segment:
            values.append(segment)
            found = self._walk(node.template, segments, index + 1, values, method, first)
            values.pop()
            if found is not None:
                return found
        return None
