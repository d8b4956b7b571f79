"""`reconcile` on pairs built from our own contracts: it finds exactly the changes made to the copy."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate

from mlops_conformance.extract.overlay import apply_overlay, load_overlay
from mlops_conformance.reconcile import build_overlay, reconcile_files, render
from mlops_conformance.reconcile.locations import jsonpath
from mlops_conformance.resources import VENDORS, contract_path

from .pairs import DATASET, domino_spec, load, strip_extensions, write_json

SPEC = "Domino Public API 6.1.0"


@pytest.fixture(scope="module")
def domino(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_json(tmp_path_factory.mktemp("spec") / "domino-spec.json", domino_spec())


def _reconcile(spec: Path, vendor: str = "domino"):  # type: ignore[no-untyped-def]
    return reconcile_files(contract_path(vendor), spec)


def _applied(tmp_path: Path, overlay: dict[str, Any], vendor: str = "domino") -> dict[str, Any]:
    """The contract after the overlay, read back from its YAML file as `extract --overlay` reads it."""
    path = tmp_path / "reconciled.yaml"
    path.write_text(render(overlay), encoding="utf-8")
    contract = load(vendor)
    apply_overlay(contract, load_overlay(path, "reconciled.yaml"))
    return contract


def test_finds_exactly_the_changes_made_to_the_copy(domino: Path) -> None:
    result = _reconcile(domino)
    found = {(jsonpath(f.target), f.keyword, f.conflict) for f in result.findings}
    assert found == {
        ("$.components.schemas.AsyncPredictionEnvelopeV1", "required", False),
        ("$.components.schemas.AsyncPredictionEnvelopeV1.properties.status", "enum", False),
        ("$.components.schemas.EnvironmentV1.properties.supportedClusters", "items", False),
        ("$.components.schemas.ClusterTypeV1", "enum", True),
        (f"$.paths['{DATASET}'].get.responses['200']", "x-inferred", False),
        (f"$.paths['{DATASET}'].get.responses['200'].content['application/json']", "schema", False),
        (
            "$.paths['/api/datasetrw/v2/datasets'].get.parameters[?@.name == 'minimumPermission'].schema",
            "schema",
            False,
        ),
        (
            "$.paths['/api/datasetrw/v2/datasets'].get.parameters[?@.name == 'projectIdsToExclude']",
            "required",
            False,
        ),
    }
    # Renamed path parameters ({datasetId} -> {id}) do not stop the match: only the dropped
    # operation and the added one are one-sided.
    assert result.only_in_contract == (f"DELETE {DATASET}",)
    assert result.only_in_spec == ("GET /api/datasetrw/v1/datasets/{id}/audit",)
    assert result.matched == 81


def test_every_action_names_the_spec_and_a_pointer_that_resolves_there(domino: Path) -> None:
    overlay = build_overlay(_reconcile(domino))
    spec = domino_spec()
    assert overlay["overlay"] == "1.0.0" and overlay["extends"] == "domino.openapi.json"
    assert overlay["info"]["version"] == "6.1.0"
    for action in overlay["actions"]:
        assert action["description"].startswith(f"{SPEC}, #/"), action
        reason = action["x-reason"]
        assert (reason["spec"], reason["version"]) == ("Domino Public API", "6.1.0")
        node: Any = spec
        for token in reason["pointer"][2:].split("/"):
            key = token.replace("~1", "/").replace("~0", "~")
            node = node[int(key) if isinstance(node, list) else key]  # a pointer into nothing fails


def test_the_overlay_adds_what_the_docs_lost_and_leaves_the_conflict(domino: Path, tmp_path: Path) -> None:
    overlay = build_overlay(_reconcile(domino))
    contract = _applied(tmp_path, overlay)
    schemas = contract["components"]["schemas"]
    envelope = schemas["AsyncPredictionEnvelopeV1"]
    assert envelope["required"] == ["asyncPredictionId"]
    assert envelope["properties"]["status"]["enum"] == ["Pending", "Processing", "Succeeded", "Failed"]
    clusters = schemas["EnvironmentV1"]["properties"]["supportedClusters"]
    assert clusters["items"]["$ref"] == "#/components/schemas/ClusterTypeV1"  # the contract's own
    assert "x-doc-loss" not in clusters
    assert schemas["ClusterTypeV1"]["enum"] == ["dask", "mpi", "ray", "spark"]  # the docs' word stands
    response = contract["paths"][DATASET]["get"]["responses"]["200"]
    assert (
        response["content"]["application/json"]["schema"]["$ref"] == "#/components/schemas/DatasetRwDetailsV1"
    )
    assert "x-inferred" not in response
    parameters = {p["name"]: p for p in contract["paths"]["/api/datasetrw/v2/datasets"]["get"]["parameters"]}
    assert parameters["minimumPermission"]["schema"]["type"] == "string"
    assert "x-doc-loss" not in parameters["minimumPermission"]["schema"]
    assert parameters["projectIdsToExclude"]["required"] is True
    assert envelope["x-source"]["document"] == "reconciled.yaml"  # provenance, as for the errata
    assert [c["keyword"] for c in overlay["x-conflicts"]] == ["enum"]
    assert overlay["x-conflicts"][0]["docs"] == ["dask", "mpi", "ray", "spark"]
    validate(contract)


def test_prefer_spec_applies_the_conflict_and_says_it_overrode_the_docs(domino: Path, tmp_path: Path) -> None:
    overlay = build_overlay(_reconcile(domino), prefer_spec=True)
    assert overlay["x-conflicts"] == []
    overriding = [a for a in overlay["actions"] if a["x-reason"]["kind"] == "overrides-docs"]
    assert {a["target"] for a in overriding} == {
        "$.components.schemas.ClusterTypeV1.enum",
        "$.components.schemas.ClusterTypeV1",
    }
    assert all("overrides the docs" in a["description"] for a in overriding)
    assert overriding[0]["x-reason"]["docs"] == ["dask", "mpi", "ray", "spark"]
    contract = _applied(tmp_path, overlay)
    assert contract["components"]["schemas"]["ClusterTypeV1"]["enum"] == ["DASK", "MPI", "RAY", "SPARK"]


@pytest.mark.parametrize("vendor", VENDORS)
def test_a_contract_reconciled_with_itself_has_nothing_to_add(vendor: str) -> None:
    result = _reconcile(contract_path(vendor), vendor)
    assert result.findings == ()
    assert (result.only_in_contract, result.only_in_spec) == ((), ())
    assert build_overlay(result)["actions"] == []


def test_the_output_does_not_depend_on_the_order_of_the_spec(domino: Path, tmp_path: Path) -> None:
    def reversed_keys(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: reversed_keys(node[k]) for k in reversed(list(node))}
        if isinstance(node, list):
            return [reversed_keys(v) for v in node]
        return node

    shuffled = write_json(tmp_path / "domino-spec.json", reversed_keys(domino_spec()))
    first = render(build_overlay(_reconcile(domino)))
    assert render(build_overlay(_reconcile(domino))) == first
    assert render(build_overlay(_reconcile(shuffled))) == first


def test_a_3_0_yaml_spec_is_read_in_3_1_shapes(tmp_path: Path) -> None:
    spec = domino_spec()
    spec["openapi"] = "3.0.3"
    listing = spec["paths"]["/api/datasetrw/v2/datasets"]["get"]["parameters"]
    listing[0]["schema"] = {"type": "string", "enum": ["Read", "Owner"], "nullable": True}
    path = tmp_path / "domino-spec.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    overlay = build_overlay(_reconcile(path))
    [action] = [
        a for a in overlay["actions"] if "minimumPermission'].schema" in a["target"] and "update" in a
    ]
    assert action["update"] == {"enum": ["Read", "Owner", None], "type": ["string", "null"]}
    assert overlay["x-spec"] == {"title": "Domino Public API", "version": "6.1.0", "file": "domino-spec.yaml"}
    contract = _applied(tmp_path, overlay)
    validate(contract)


def test_datarobot_placeholders_lost_enums_and_a_documented_required_field(tmp_path: Path) -> None:
    spec = strip_extensions(copy.deepcopy(load("datarobot")))
    spec["info"] = {"title": "DataRobot Public API", "version": "2.36"}
    schemas = spec["components"]["schemas"]
    schemas["Empty"] = {"type": "object", "properties": {}, "additionalProperties": False}
    schemas["AccessControlWithGrant"]["properties"]["role"]["enum"] = ["ADMIN", "CONSUMER", "OWNER"]
    schemas["CustomJobFileResponse"]["required"].remove("content")
    path = write_json(tmp_path / "datarobot-spec.json", spec)
    result = _reconcile(path, "datarobot")
    found = {(jsonpath(f.target), f.keyword, f.conflict) for f in result.findings}
    assert found == {
        ("$.components.schemas.Empty", "schema", False),
        ("$.components.schemas.AccessControlWithGrant.properties.role", "enum", False),
        ("$.components.schemas.CustomJobFileResponse", "required/content", True),
    }
    contract = _applied(tmp_path, build_overlay(result), "datarobot")
    empty = contract["components"]["schemas"]["Empty"]
    assert "x-placeholder" not in empty and empty["additionalProperties"] is False
    role = contract["components"]["schemas"]["AccessControlWithGrant"]["properties"]["role"]
    assert role["enum"] == ["ADMIN", "CONSUMER", "OWNER"] and "x-doc-loss" not in role
    assert "content" in contract["components"]["schemas"]["CustomJobFileResponse"]["required"]
    preferred = _applied(tmp_path, build_overlay(result, prefer_spec=True), "datarobot")
    assert "content" not in preferred["components"]["schemas"]["CustomJobFileResponse"]["required"]
    json.dumps(preferred)  # still plain JSON data
