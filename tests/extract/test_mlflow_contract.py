"""The MLflow contract: extracted from the vendored protobuf descriptors, checked against them and the server."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from google.protobuf import descriptor_pb2
from openapi_spec_validator import validate

from mlops_conformance.extract.writer import dangling_refs
from mlops_conformance.resources import contracts_dir

CONTRACTS = contracts_dir()
DESCRIPTORS = CONTRACTS / "sources" / "mlflow" / "descriptors.pb"
SERVICES = ("mlflow.MlflowService", "mlflow.ModelRegistryService")


@pytest.fixture(scope="module")
def contract() -> dict:
    return json.loads((CONTRACTS / "mlflow.openapi.json").read_text(encoding="utf-8"))


def _operations(contract: dict) -> set[tuple[str, str]]:
    return {(method.upper(), path) for path, item in contract["paths"].items() for method in item}


def _wire(data: bytes) -> list[tuple[int, int | bytes]]:
    """A minimal protobuf wire-format reader (varints and length-delimited fields are all we need)."""
    fields, i = [], 0

    def varint() -> int:
        nonlocal i
        value, shift = 0, 0
        while True:
            byte = data[i]
            i += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                return value

    while i < len(data):
        key = varint()
        number, wire_type = key >> 3, key & 7
        if wire_type == 0:
            fields.append((number, varint()))
        elif wire_type == 2:
            size = varint()
            fields.append((number, data[i : i + size]))
            i += size
        elif wire_type in (1, 5):
            i += 8 if wire_type == 1 else 4
        else:
            raise AssertionError(f"unexpected wire type {wire_type}")
    return fields


def _declared_endpoints() -> list[tuple[str, str]]:
    """(method, server path) of every ``(mlflow.rpc).endpoints`` entry, read from the raw bytes."""
    files = descriptor_pb2.FileDescriptorSet.FromString(DESCRIPTORS.read_bytes()).file
    rpc = next(
        ext.number
        for f in files
        if f.name == "databricks.proto"
        for ext in f.extension
        if ext.name == "rpc" and ext.extendee == ".google.protobuf.MethodOptions"
    )
    found = []
    for f in files:
        for service in f.service:
            if f"{f.package}.{service.name}" not in SERVICES:
                continue
            for method in service.method:
                for number, options in _wire(method.options.SerializeToString()):
                    if number != rpc:
                        continue
                    for field, endpoint in _wire(options):
                        if field != 1:
                            continue
                        parts = dict(_wire(endpoint))
                        major = dict(_wire(parts.get(3, b""))).get(1, 0)
                        found.append((parts[1].decode(), f"/api/{major}.0{parts[2].decode()}"))
    return found


def _as_openapi(path: str) -> str:
    """The server's Flask rule (``<name>``) as an OpenAPI path template; ``{a.b}`` became ``<b>`` there."""
    import re

    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", re.sub(r"\{(?:\w+\.)*(\w+)\}", r"{\1}", path))


def test_the_mlflow_contract_passes_the_openapi_spec_validator(contract: dict) -> None:
    validate(contract)
    assert dangling_refs(contract) == []


def test_one_operation_per_declared_endpoint(contract: dict) -> None:
    declared = [(m, _as_openapi(p)) for m, p in _declared_endpoints()]
    assert len(declared) == len(set(declared)) == 173
    assert _operations(contract) == set(declared)


def test_every_operation_and_schema_names_its_proto_source(contract: dict) -> None:
    for item in contract["paths"].values():
        for op in item.values():
            assert op["x-source"]["document"] == "mlflow/descriptors.pb"
            assert op["x-source"]["method"].split(".")[1] in ("MlflowService", "ModelRegistryService")
            assert op["x-source"]["message"]
    for name, schema in contract["components"]["schemas"].items():
        assert schema["x-source"] == {"document": "mlflow/descriptors.pb", "message": name}


def test_create_experiment_requires_a_name(contract: dict) -> None:
    op = contract["paths"]["/api/2.0/mlflow/experiments/create"]["post"]
    assert op["x-source"]["message"] == "mlflow.CreateExperiment"
    body = op["requestBody"]["content"]["application/json"]["schema"]
    schema = contract["components"]["schemas"][body["$ref"].rsplit("/", 1)[-1]]
    assert schema["required"] == ["name"]
    response = op["responses"]["200"]["content"]["application/json"]["schema"]
    assert response == {"$ref": "#/components/schemas/mlflow.CreateExperiment.Response"}
    assert "required" not in contract["components"]["schemas"]["mlflow.CreateExperiment.Response"]


def test_get_run_takes_run_id_as_a_query_parameter(contract: dict) -> None:
    op = contract["paths"]["/api/2.0/mlflow/runs/get"]["get"]
    params = {p["name"]: p for p in op["parameters"]}
    assert params["run_id"]["in"] == "query" and params["run_id"]["schema"] == {"type": "string"}
    assert "requestBody" not in op


def test_repeated_query_fields_are_arrays_and_int64_accepts_both_forms(contract: dict) -> None:
    op = contract["paths"]["/api/2.0/mlflow/experiments/search"]["get"]
    params = {p["name"]: p["schema"] for p in op["parameters"]}
    assert params["order_by"] == {"type": "array", "items": {"type": "string"}}
    assert params["max_results"] == {"type": ["integer", "string"], "format": "int64"}


def test_search_runs_is_cursor_paginated_in_its_body(contract: dict) -> None:
    assert contract["paths"]["/api/2.0/mlflow/runs/search"]["post"]["x-pagination"] == {
        "style": "cursor",
        "in": "body",
        "limit": "max_results",
        "cursor": "page_token",
        "next": "next_page_token",
        "items": "runs",
        "maxLimit": None,
        "defaultLimit": 1000,
        "x-inferred": "cursor rule: max_results, page_token and next_page_token by name",
    }
    assert (
        contract["paths"]["/api/2.0/mlflow/registered-models/search"]["get"]["x-pagination"]["in"] == "query"
    )


def test_enums_are_string_enums_of_their_names(contract: dict) -> None:
    view_type = contract["components"]["schemas"]["mlflow.ViewType"]
    assert view_type["type"] == "string"
    assert view_type["enum"] == ["ACTIVE_ONLY", "DELETED_ONLY", "ALL"]


def test_maps_are_objects_with_additional_properties(contract: dict) -> None:
    response = contract["components"]["schemas"]["mlflow.CreatePresignedUploadUrl.Response"]
    assert response["properties"]["headers"] == {"type": "object", "additionalProperties": {"type": "string"}}


def test_a_path_declared_without_its_slash_is_kept_where_the_server_mounts_it(contract: dict) -> None:
    assert "/api/2.0mlflow/experiments/search-datasets" in contract["paths"]
    issues = [i for i in contract["x-doc-issues"] if i["kind"] == "path-without-slash"]
    assert [i["method"] for i in issues] == ["mlflow.MlflowService.searchDatasets"]


def test_extraction_is_byte_identical_across_hash_seeds(tmp_path: Path) -> None:
    root = tmp_path / "contracts"
    shutil.copytree(CONTRACTS, root)
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"out{seed}"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "mlops_conformance",
                "extract",
                "--contracts-dir",
                str(root),
                "--output",
                str(out),
            ],
            check=True,
            capture_output=True,
            env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"},
        )
        outputs.append((out / "mlflow.openapi.json").read_bytes())
    assert outputs[0] == outputs[1] == (CONTRACTS / "mlflow.openapi.json").read_bytes()


def test_the_contract_matches_the_routes_mlflow_server_registers(contract: dict) -> None:
    from mlflow.protos.model_registry_pb2 import ModelRegistryService
    from mlflow.protos.service_pb2 import MlflowService
    from mlflow.server import handlers  # mlflow-skinny and the server's imports are in the test extra

    routes = set()
    for service in (MlflowService, ModelRegistryService):
        for path, _handler, methods in handlers.get_service_endpoints(service, lambda _request: None):
            if path.startswith("/ajax-api/"):
                continue
            routes.update((method.upper(), _as_openapi(path)) for method in methods)
    assert routes == _operations(contract)


def test_creates_name_the_delete_that_undoes_them(contract: dict) -> None:
    """RPC paths do not pair create and delete; the descriptors' method names do (x-cleanup)."""
    cleanups = {
        path: item["post"]["x-cleanup"]
        for path, item in contract["paths"].items()
        if "x-cleanup" in item.get("post", {})
    }
    assert (
        cleanups["/api/2.0/mlflow/experiments/create"]["operation"]
        == "POST /api/2.0/mlflow/experiments/delete"
    )
    assert cleanups["/api/2.0/mlflow/experiments/create"]["values"] == {"experiment_id": "/experiment_id"}
    assert cleanups["/api/2.0/mlflow/runs/create"]["values"] == {"run_id": "/run/info/run_id"}
    assert cleanups["/api/2.0/mlflow/model-versions/create"]["values"] == {
        "name": "/model_version/name",
        "version": "/model_version/version",
    }
    assert all("naming" in c["x-inferred"] for c in cleanups.values())
    # Every target is a documented operation, and nothing that is not a create gets one.
    operations = {f"{m.upper()} {p}" for p, item in contract["paths"].items() for m in item}
    assert {c["operation"] for c in cleanups.values()} <= operations
    assert all(path.endswith(("/create", "s", "/jobs", "/assessments")) for path in cleanups)
