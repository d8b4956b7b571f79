"""Which operations of the contract and the spec are the same operation.

Two operations are one when their methods are equal and their path templates are equal once the
parameter names are dropped (``/a/{id}`` is ``/a/{projectId}``): the name of a path parameter never
reaches the wire, so docs and spec may call it what they like. Path parameters are then paired by
position in the template. A path is read below the path of the document's first server URL (a
spec with ``servers: [{url: https://host/api/v2}]`` and ``/useCases/`` is ``/api/v2/useCases/``),
since that, too, is what reaches the wire.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from .locations import template_key, template_names

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True, slots=True, order=True)
class Match:
    contract_path: str
    method: str  # lower case, as the document keys it
    spec_path: str

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.contract_path}"

    def spec_to_contract_names(self) -> dict[str, str]:
        """The spec's path parameter names mapped to the contract's, by position."""
        return dict(zip(template_names(self.spec_path), template_names(self.contract_path), strict=False))


@dataclass(frozen=True, slots=True)
class Pairing:
    matches: tuple[Match, ...]
    only_in_contract: tuple[str, ...]  # "METHOD /path", sorted
    only_in_spec: tuple[str, ...]


def base_path(document: dict[str, Any]) -> str:
    """The path of the first server URL, its variables at their defaults (``""`` when none)."""
    servers = document.get("servers")
    if not isinstance(servers, list) or not servers or not isinstance(servers[0], dict):
        return ""
    server = servers[0]
    url = str(server.get("url") or "")
    for name, variable in (server.get("variables") or {}).items():
        if isinstance(variable, dict):
            url = url.replace("{" + str(name) + "}", str(variable.get("default", "")))
    return urlsplit(url).path.rstrip("/")


def _operations(document: dict[str, Any]) -> dict[tuple[str, str], str]:
    """``(method, template key) -> path`` (the first path in sorted order when two share a key)."""
    found: dict[tuple[str, str], str] = {}
    base = base_path(document)
    for path in sorted(document.get("paths") or {}):
        item = document["paths"][path]
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            if isinstance(item.get(method), dict):
                found.setdefault((method, template_key(base + path)), path)
    return found


def pair_operations(contract: dict[str, Any], spec: dict[str, Any]) -> Pairing:
    ours, theirs = _operations(contract), _operations(spec)
    matches = sorted(Match(ours[key], key[0], theirs[key]) for key in ours.keys() & theirs.keys())
    return Pairing(
        tuple(matches),
        _labels(ours, ours.keys() - theirs.keys()),
        _labels(theirs, theirs.keys() - ours.keys()),
    )


def _labels(operations: dict[tuple[str, str], str], keys: set[tuple[str, str]]) -> tuple[str, ...]:
    """``"GET /a/{id}"`` labels sorted by path, then method in document order."""
    order = {method: index for index, method in enumerate(HTTP_METHODS)}
    ranked = sorted((operations[key], order[key[0]], key[0]) for key in keys)
    return tuple(f"{method.upper()} {path}" for path, _, method in ranked)
