"""Provenance stays on the node an erratum touches, never as a key inside a map of names or codes.

An ``x-source`` inside ``responses`` reads as a status code (``diff`` reported it as one removed),
inside ``properties`` as a field: the generated contracts must carry neither.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mlops_conformance.extract.overlay import apply_overlay, load_overlay
from mlops_conformance.resources import VENDORS, contract_path

_MAPS = ("responses", "properties", "content", "headers", "schemas", "paths", "securitySchemes")


def _extension_keys_in_maps(node: Any, where: str = "$", names: bool = False) -> list[str]:
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if names and key.startswith("x-"):
                found.append(f"{where}.{key}")
            child_names = not names and key in _MAPS and isinstance(value, dict)
            found += _extension_keys_in_maps(value, f"{where}.{key}", child_names)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _extension_keys_in_maps(value, f"{where}[{index}]")
    return found


@pytest.mark.parametrize("vendor", VENDORS)
def test_the_contracts_carry_no_extension_key_inside_a_map_of_names(vendor: str) -> None:
    document = json.loads(contract_path(vendor).read_text(encoding="utf-8"))
    assert [f for f in _extension_keys_in_maps(document) if not f.startswith("$.paths.x-")] == []


def _contract() -> dict[str, Any]:
    page = {"document": "v/p.txt", "line": 3}
    return {
        "openapi": "3.1.0",
        "paths": {
            "/a": {
                "patch": {
                    "responses": {"204": {"description": "gone"}, "422": {"description": "bad"}},
                    "parameters": [{"name": "q", "in": "query"}],
                    "x-source": page,
                }
            }
        },
        "components": {
            "schemas": {
                "Thing": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string"},
                        "old": {"type": "string"},
                        "properties": {
                            "type": "object",
                            "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
                        },
                    },
                    "x-source": {"document": "v/p.txt", "line": 40},
                }
            }
        },
    }


def test_a_removal_inside_a_map_of_names_marks_the_object_holding_the_map(tmp_path: Path) -> None:
    path = tmp_path / "errata.yaml"
    path.write_text(
        """overlay: 1.0.0
info: {title: t, version: '1'}
actions:
  - target: $.paths['/a'].patch.responses['204']
    description: a 204 with a body is impossible
    remove: true
  - target: $.components.schemas.Thing.properties.old
    description: the field is gone
    remove: true
  - target: $.components.schemas.Thing.properties.properties.properties.b
    description: a field named properties is a schema, not a map
    remove: true
  - target: $.paths['/a'].patch.parameters[0]
    description: no such parameter
    remove: true
  - target: $.paths['/a'].patch.responses
    description: a new code in a map of codes is marked itself
    update: {"200": {description: ok}}
  - target: $.components.schemas
    description: a new schema whose properties map is new too
    update: {Other: {type: object, properties: {n: {type: integer}}}}
  - target: $.components.schemas.Thing
    description: a new map of names on an existing schema marks its entries
    update: {patternProperties: {"^z": {type: string}}}
""",
        encoding="utf-8",
    )
    contract = _contract()
    apply_overlay(contract, load_overlay(path, "overlays/x.yaml"))
    operation = contract["paths"]["/a"]["patch"]
    thing = contract["components"]["schemas"]["Thing"]
    assert set(operation["responses"]) == {"200", "422"}
    assert operation["responses"]["200"]["x-source"] == {"document": "overlays/x.yaml", "line": 16}
    assert operation["x-source"] == {"document": "overlays/x.yaml", "line": 13}
    assert operation["x-also-in"] == [
        {"document": "v/p.txt", "line": 3},
        {"document": "overlays/x.yaml", "line": 4},
    ]
    assert operation["parameters"] == []
    assert set(thing["properties"]) == {"id", "properties"}
    assert thing["x-source"] == {"document": "overlays/x.yaml", "line": 7}
    nested = thing["properties"]["properties"]
    assert set(nested["properties"]) == {"a"}
    assert nested["x-source"] == {"document": "overlays/x.yaml", "line": 10}
    assert thing["patternProperties"]["^z"]["x-source"] == {"document": "overlays/x.yaml", "line": 22}
    assert contract["components"]["schemas"]["Other"]["x-source"] == {
        "document": "overlays/x.yaml",
        "line": 19,
    }
    assert _extension_keys_in_maps(contract) == []
