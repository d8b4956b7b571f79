"""Recovering the schema names the lossy scrapes deleted (VENDOR-DOCS §8).

Facts the recovery stands on: blocks are printed in ASCII order of their names, and the page
references (nearly) every schema it prints. So names and blocks are two sorted sequences, and an
order-preserving matching between them is all that is needed. Evidence ties a name to a block:

* 3: an operation's example for a status (or its body example) whose Schema cell (body type) is the
  name has exactly the block's example lines;
* 2: a property typed ``X``/``[X]`` whose nested example lines have the same set of lines as the
  block's example, or an inline ``»`` tree whose children under an ``X`` row are the block's keys;
* 1: the block's description paragraph equals the description of a property typed ``X``.

A maximum-weight order-preserving matching (a small DP) picks the anchors; a gap between anchors
with as many blocks as names is forced by order; a block still unnamed may take the name of a
schema on another page with the same properties, if that name sorts between its neighbours.
Nothing else is guessed: remaining blocks stay unnamed.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..model import SchemaDef
from .blocks import Block
from .examples import RawExample
from .nodes import Node

_KEY = re.compile(r'^\s*"([^"]+)":')
WEIGHTS = {"example": 3, "nested": 2, "keys": 2, "description": 1}


@dataclass(slots=True)
class Evidence:
    """Everything on the page that points at a name, gathered before matching."""

    #: (name, stripped example lines) from status rows and bodies.
    examples: list[tuple[str, list[str]]] = field(default_factory=list)
    #: (name, set of nested example lines) from typed properties.
    nested: list[tuple[str, frozenset[str]]] = field(default_factory=list)
    #: (name, key set) from inline trees.
    keys: list[tuple[str, frozenset[str]]] = field(default_factory=list)
    #: (name, description) from typed properties.
    descriptions: list[tuple[str, str]] = field(default_factory=list)


@dataclass(slots=True)
class Naming:
    """The outcome: a name and how it was found, per block (None where unnamed)."""

    names: list[str | None]
    kinds: list[str | None]


def node_evidence(nodes: Iterable[Node], evidence: Evidence) -> None:
    """Key sets and descriptions from typed nodes (blocks and inline trees alike)."""
    for top in nodes:
        for node in top.walk():
            if len(node.info.refs) != 1:
                continue
            name = node.info.refs[0]
            if node.children:
                evidence.keys.append((name, frozenset(child.name for child in node.children)))
            text = " ".join(node.row.description.split())
            if text and text != "none":
                evidence.descriptions.append((name, text))


def nested_evidence(block: Block, layout: str, evidence: Evidence) -> None:
    """For each top-level ``X``/``[X]`` property, the set of example lines nested under it."""
    if block.example is None:
        return
    lines = block.example.lines
    positions = _top_level_positions(lines, block.keys, layout)
    order = sorted(positions.items(), key=lambda item: item[1])
    by_name = {node.name: node for node in block.nodes}
    for index, (key, pos) in enumerate(order):
        node = by_name.get(key)
        if node is None or len(node.info.refs) != 1:
            continue
        stop = order[index + 1][1] if index + 1 < len(order) else len(lines)
        nested = frozenset(line.strip() for line in lines[pos + 1 : stop] if line.strip())
        if nested:
            evidence.nested.append((node.info.refs[0], nested))


def _top_level_positions(lines: list[str], keys: list[str], layout: str) -> dict[str, int]:
    """Line index of each top-level key: by indentation in B, by table order elsewhere."""
    positions: dict[str, int] = {}
    if layout == "B":
        for index, line in enumerate(lines):
            match = _KEY.match(line)
            if match and line.startswith('  "') and not line.startswith("   "):
                positions.setdefault(match[1], index)
        return positions
    pos = 0
    for key in keys:
        for index in range(pos, len(lines)):
            match = _KEY.match(lines[index])
            if match and match[1] == key:
                positions[key] = index
                pos = index + 1
                break
    return positions


def recover(
    blocks: list[Block],
    referenced: Iterable[str],
    evidence: Evidence,
    reference_schemas: Mapping[str, SchemaDef],
) -> Naming:
    names = sorted(set(referenced))
    scores = _scores(blocks, names, evidence)
    anchors = _match(len(blocks), len(names), scores)
    result: list[str | None] = [None] * len(blocks)
    kinds: list[str | None] = [None] * len(blocks)
    for b, n in anchors:
        result[b], kinds[b] = names[n], "evidence"
    bounds = [(-1, -1), *anchors, (len(blocks), len(names))]
    for (b0, n0), (b1, n1) in itertools.pairwise(bounds):
        if b1 - b0 == n1 - n0 and b1 - b0 > 1:
            for offset in range(1, b1 - b0):
                result[b0 + offset], kinds[b0 + offset] = names[n0 + offset], "order"
    _cross_file(blocks, result, kinds, reference_schemas)
    return Naming(result, kinds)


def _scores(blocks: list[Block], names: list[str], evidence: Evidence) -> dict[tuple[int, int], int]:
    index = {name: n for n, name in enumerate(names)}
    kinds: dict[tuple[int, int], set[str]] = {}
    by_lines: dict[tuple[str, ...], list[int]] = {}
    by_set: dict[frozenset[str], list[int]] = {}
    by_keys: dict[frozenset[str], list[int]] = {}
    by_text: dict[str, list[int]] = {}
    for b, block in enumerate(blocks):
        if block.example is not None:
            stripped = block.example.stripped()
            by_lines.setdefault(tuple(stripped), []).append(b)
            by_set.setdefault(frozenset(stripped), []).append(b)
        by_keys.setdefault(frozenset(block.keys), []).append(b)
        if block.text:
            by_text.setdefault(block.text, []).append(b)

    def add(name: str, matches: list[int], kind: str) -> None:
        n = index.get(name)
        if n is None:
            return
        for b in matches:
            kinds.setdefault((b, n), set()).add(kind)

    for name, lines in evidence.examples:
        add(name, by_lines.get(tuple(lines), []), "example")
    for name, nested in evidence.nested:
        add(name, by_set.get(nested, []), "nested")
    for name, keys in evidence.keys:
        add(name, by_keys.get(keys, []), "keys")
    for name, text in evidence.descriptions:
        add(name, by_text.get(text, []), "description")
    return {pair: _weight(found) for pair, found in kinds.items()}


def _weight(found: set[str]) -> int:
    nested_or_keys = max((WEIGHTS[k] for k in found if k in ("nested", "keys")), default=0)
    return (
        (WEIGHTS["example"] if "example" in found else 0)
        + nested_or_keys
        + (1 if "description" in found else 0)
    )


def _match(n_blocks: int, n_names: int, scores: dict[tuple[int, int], int]) -> list[tuple[int, int]]:
    """Maximum-weight order-preserving matching of blocks to names (an LCS-style DP)."""
    best = [[0] * (n_names + 1) for _ in range(n_blocks + 1)]
    for b in range(1, n_blocks + 1):
        row, above = best[b], best[b - 1]
        for n in range(1, n_names + 1):
            value = max(above[n], row[n - 1])
            weight = scores.get((b - 1, n - 1), 0)
            if weight and above[n - 1] + weight > value:
                value = above[n - 1] + weight
            row[n] = value
    pairs: list[tuple[int, int]] = []
    b, n = n_blocks, n_names
    while b > 0 and n > 0:
        weight = scores.get((b - 1, n - 1), 0)
        if weight and best[b][n] == best[b - 1][n - 1] + weight:
            pairs.append((b - 1, n - 1))
            b, n = b - 1, n - 1
        elif best[b][n] == best[b - 1][n]:
            b -= 1
        else:
            n -= 1
    return pairs[::-1]


def _signature(schema: dict[str, Any]) -> dict[str, tuple[Any, ...]] | None:
    properties = schema.get("properties")
    if not isinstance(properties, dict):
        return None
    return {key: _shape(value) for key, value in properties.items()}


def _shape(schema: dict[str, Any]) -> tuple[Any, ...]:
    kind = schema.get("type")
    items = schema.get("items")
    return (
        tuple(kind) if isinstance(kind, list) else kind,
        schema.get("format"),
        schema.get("$ref"),
        _shape(items) if isinstance(items, dict) else None,
        tuple(_shape(alt) for alt in schema.get("anyOf", ())),
    )


def _cross_file(
    blocks: list[Block],
    result: list[str | None],
    kinds: list[str | None],
    reference_schemas: Mapping[str, SchemaDef],
) -> None:
    """Unnamed blocks take the name of an identical schema elsewhere, if it fits the order."""
    if not reference_schemas:
        return
    used = {name for name in result if name}
    by_signature: dict[str, list[str]] = {}
    for name, definition in reference_schemas.items():
        if definition.placeholder:
            continue
        signature = _signature(definition.schema)
        if signature:
            by_signature.setdefault(repr(sorted(signature.items())), []).append(name)
    for b, block in enumerate(blocks):
        if result[b] is not None or block.schema is None:
            continue
        signature = _signature(block.schema)
        if not signature:
            continue
        low = next((name for name in reversed(result[:b]) if name), "")
        high = next((name for name in result[b + 1 :] if name), None)
        candidates = [
            name
            for name in by_signature.get(repr(sorted(signature.items())), [])
            if name not in used and low < name and (high is None or name < high)
        ]
        if len(candidates) == 1:
            result[b], kinds[b] = candidates[0], "evidence"
            used.add(candidates[0])


def example_evidence(name: str | None, example: RawExample | None, evidence: Evidence) -> None:
    if name and example is not None and not example.yaml:
        evidence.examples.append((name, example.stripped()))
