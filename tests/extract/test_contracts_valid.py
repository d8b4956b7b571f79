"""The committed contracts: valid OpenAPI 3.1, every reference resolves, the documented counts hold."""

from __future__ import annotations

import json

import pytest
from openapi_spec_validator import validate

from mlops_conformance.extract.writer import dangling_refs
from mlops_conformance.resources import contract_path

EXPECTED_OPERATIONS = {"datarobot": 190, "domino": 81}


def _load(vendor: str) -> dict:
    return json.loads(contract_path(vendor).read_text(encoding="utf-8"))


def _doc_origins(op: dict) -> list[str]:
    """Pages an operation was read from; an erratum moves the page's x-source to x-also-in."""
    places = [op["x-source"], *op.get("x-also-in", [])]
    return [p["document"] for p in places if not p["document"].startswith("overlays/")]


@pytest.mark.parametrize("vendor", ["datarobot", "domino"])
def test_the_contract_passes_the_openapi_spec_validator(vendor: str) -> None:
    validate(_load(vendor))


@pytest.mark.parametrize("vendor", ["datarobot", "domino"])
def test_every_reference_in_the_contract_resolves(vendor: str) -> None:
    assert dangling_refs(_load(vendor)) == []


@pytest.mark.parametrize("vendor", ["datarobot", "domino"])
def test_the_documented_operations_are_all_there_once(vendor: str) -> None:
    contract = _load(vendor)
    documented = [
        (method, path)
        for path, item in contract["paths"].items()
        for method, op in item.items()
        if _doc_origins(op)
    ]
    assert len(documented) == len(set(documented)) == EXPECTED_OPERATIONS[vendor]


def test_operations_shared_by_models_and_model_management_come_out_once_with_x_also_in() -> None:
    contract = _load("datarobot")
    shared = [_doc_origins(op) for item in contract["paths"].values() for op in item.values()]
    shared = [origins for origins in shared if len(origins) > 1]
    assert len(shared) == 18
    assert all(origins == ["datarobot/model-management.txt", "datarobot/models.txt"] for origins in shared)


@pytest.mark.parametrize(
    ("vendor", "document", "count"),
    [
        ("datarobot", "datarobot/use-cases.txt", 17),
        ("datarobot", "datarobot/models.txt", 22),
        ("datarobot", "datarobot/model-management.txt", 9),
        ("datarobot", "datarobot/custom-models.txt", 10),
        ("domino", "domino/rest-api.txt", 13),
    ],
)
def test_every_offset_limit_list_carries_x_pagination(vendor: str, document: str, count: int) -> None:
    contract = _load(vendor)
    found = 0
    for item in contract["paths"].values():
        for op in item.values():
            if document in _doc_origins(op) and "x-pagination" in op:
                found += 1
    assert found == count


def test_an_envelope_without_total_count_is_annotated_with_a_null_total() -> None:
    op = _load("datarobot")["paths"]["/api/v2/customModels/{customModelId}/accessControl/"]["get"]
    assert op["x-pagination"]["total"] is None
    assert op["x-pagination"]["items"] == "data"


def test_every_overlay_touch_points_at_the_overlay_entry() -> None:
    contract = _load("datarobot")
    version = contract["paths"]["/api/v2/version/"]["get"]
    assert version["x-source"]["document"] == "overlays/datarobot.yaml"
    use_case = contract["components"]["schemas"]["UseCaseResponse"]
    assert "filesCount" in use_case["required"]
    assert use_case["x-source"]["document"] == "overlays/datarobot.yaml"
    assert {"document": "datarobot/use-cases.txt", "line": use_case["x-also-in"][0]["line"]} in use_case[
        "x-also-in"
    ]


def test_domino_enum_case_is_corrected_by_the_overlay() -> None:
    schema = _load("domino")["components"]["schemas"]["GitReferenceTypeV1"]
    assert schema["enum"] == ["Head", "Branch", "Tag", "Commit"]
    assert schema["x-source"]["document"] == "overlays/domino.yaml"


def test_documentation_issues_are_listed_with_their_lines() -> None:
    issues = _load("datarobot")["x-doc-issues"]
    replicas = [i for i in issues if i["kind"] == "example-mismatch" and "replicas" in i["message"]]
    assert replicas and all(
        i["document"] == "datarobot/custom-models.txt" and i["line"] > 0 for i in replicas
    )
    assert any(i["kind"] == "unnamed-schema" and i["document"] == "datarobot/models.txt" for i in issues)
