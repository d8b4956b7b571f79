"""Errata overlays: Overlay 1.0 semantics, provenance marking, and loud failures."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlops_conformance.errors import ContractError
from mlops_conformance.extract.overlay import apply_overlay, load_overlay


def _contract() -> dict:
    return {
        "openapi": "3.1.0",
        "paths": {"/a": {"get": {"summary": "A", "x-source": {"document": "v/p.txt", "line": 3}}}},
        "components": {
            "schemas": {
                "Thing": {
                    "type": "object",
                    "properties": {"id": {"type": "string"}},
                    "required": ["id"],
                    "x-source": {"document": "v/p.txt", "line": 40},
                },
                "Kind": {
                    "type": "string",
                    "enum": ["head", "tag"],
                    "x-source": {"document": "v/p.txt", "line": 50},
                },
            }
        },
        "security": [{"BearerAuth": []}],
    }


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "errata.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_update_adds_a_property_and_marks_the_schema_with_the_overlay_line(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """overlay: 1.0.0
info: {title: t, version: '1'}
actions:
  - target: $.components.schemas.Thing
    description: the SDK requires count
    update:
      properties: {count: {type: integer}}
      required: [count]
""",
    )
    contract = _contract()
    apply_overlay(contract, load_overlay(path, "overlays/x.yaml"))
    thing = contract["components"]["schemas"]["Thing"]
    assert thing["required"] == ["id", "count"]
    assert thing["properties"]["count"]["x-source"] == {"document": "overlays/x.yaml", "line": 4}
    assert thing["x-source"] == {"document": "overlays/x.yaml", "line": 4}
    assert thing["x-also-in"] == [{"document": "v/p.txt", "line": 40}]


def test_new_path_item_marks_its_operations_not_the_paths_object(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """overlay: 1.0.0
info: {title: t, version: '1'}
actions:
  - target: $.paths
    description: undocumented route the SDK calls
    update:
      /version/:
        get: {summary: version, responses: {'200': {description: ok}}}
""",
    )
    contract = _contract()
    apply_overlay(contract, load_overlay(path, "overlays/x.yaml"))
    assert contract["paths"]["/version/"]["get"]["x-source"] == {"document": "overlays/x.yaml", "line": 4}
    assert "x-source" not in contract["paths"]


def test_remove_then_update_replaces_an_enum(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """overlay: 1.0.0
info: {title: t, version: '1'}
actions:
  - target: $.components.schemas.Kind.enum
    description: mis-cased in the docs
    remove: true
  - target: $.components.schemas.Kind
    description: as the API sends it
    update: {enum: [Head, Tag]}
""",
    )
    contract = _contract()
    apply_overlay(contract, load_overlay(path, "overlays/x.yaml"))
    assert contract["components"]["schemas"]["Kind"]["enum"] == ["Head", "Tag"]
    assert contract["components"]["schemas"]["Kind"]["x-source"]["line"] == 7


def test_quoted_path_segments_select_paths_with_slashes(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """overlay: 1.0.0
info: {title: t, version: '1'}
actions:
  - target: $.paths['/a'].get
    description: deprecated in the release notes
    update: {deprecated: true}
""",
    )
    contract = _contract()
    apply_overlay(contract, load_overlay(path, "overlays/x.yaml"))
    assert contract["paths"]["/a"]["get"]["deprecated"] is True


def test_a_target_that_selects_nothing_is_an_error_naming_the_line(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """overlay: 1.0.0
info: {title: t, version: '1'}
actions:
  - target: $.components.schemas.Gone
    description: stale
    update: {type: object}
""",
    )
    with pytest.raises(
        ContractError, match=r"overlays/x.yaml: line 4: target \$.components.schemas.Gone selects nothing"
    ):
        apply_overlay(_contract(), load_overlay(path, "overlays/x.yaml"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("overlay: 1.0.0\nactions: []\n", "non-empty 'actions'"),
        ("openapi: 3.1.0\n", "not an OpenAPI Overlay"),
        (
            "overlay: 1.0.0\nactions:\n  - target: $.x\n    update: {}\n",
            "line 3: action needs a 'description'",
        ),
        (
            "overlay: 1.0.0\nactions:\n  - target: x\n    description: d\n    update: {}\n",
            "must start with '\\$'",
        ),
        (
            "overlay: 1.0.0\nactions:\n  - target: $..x\n    description: d\n    update: {}\n",
            "unsupported JSONPath",
        ),
        ("overlay: [1.0.0\n", "invalid YAML"),
    ],
)
def test_malformed_overlays_give_one_line_errors(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ContractError, match=message) as caught:
        load_overlay(_write(tmp_path, text), "overlays/x.yaml")
    assert "\n" not in caught.value.one_line()


def test_a_filter_selects_one_parameter_by_name_and_marks_it(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """overlay: 1.0.0
info: {title: t, version: '1'}
actions:
  - target: $.paths['/a'].get.parameters[?@.name == 'offset']
    description: the SDK pages without offset
    update: {required: false}
  - target: $.paths['/a'].get.parameters[1]
    description: second parameter by index
    update: {deprecated: true}
""",
    )
    contract = _contract()
    contract["paths"]["/a"]["get"]["parameters"] = [
        {"name": "offset", "in": "query", "required": True},
        {"name": "limit", "in": "query", "required": True},
    ]
    apply_overlay(contract, load_overlay(path, "overlays/x.yaml"))
    offset, limit = contract["paths"]["/a"]["get"]["parameters"]
    assert offset["required"] is False and offset["x-source"]["line"] == 4
    assert limit["required"] is True and limit["deprecated"] is True
