"""Contract/spec pairs built from our own contracts: the spec is a copy with known changes.

Each change is one thing ``reconcile`` must find, so a test can assert it finds exactly those.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from mlops_conformance.resources import contract_path

DATASET = "/api/datasetrw/v1/datasets/{datasetId}"


def load(vendor: str) -> dict[str, Any]:
    return json.loads(contract_path(vendor).read_text(encoding="utf-8"))


def strip_extensions(node: Any) -> Any:
    """What a vendor's spec would hold: none of our ``x-`` keys (losses, sources, inferences)."""
    if isinstance(node, dict):
        return {k: strip_extensions(v) for k, v in node.items() if not k.startswith("x-")}
    if isinstance(node, list):
        return [strip_extensions(v) for v in node]
    return node


def domino_spec() -> dict[str, Any]:
    """The Domino contract as a vendor would publish it, with eight deliberate differences."""
    spec = strip_extensions(copy.deepcopy(load("domino")))
    spec["info"] = {"title": "Domino Public API", "version": "6.1.0"}
    schemas = spec["components"]["schemas"]
    # 1. an enum the docs only describe in prose (a string without enum)
    schemas["AsyncPredictionEnvelopeV1"]["properties"]["status"]["enum"] = [
        "Pending",
        "Processing",
        "Succeeded",
        "Failed",
    ]
    # 2. a required field the docs do not mark
    schemas["AsyncPredictionEnvelopeV1"]["required"] = ["asyncPredictionId"]
    # 3. an item type the docs lost (items: {}, x-doc-loss items)
    schemas["EnvironmentV1"]["properties"]["supportedClusters"]["items"] = {
        "$ref": "#/components/schemas/ClusterTypeV1"
    }
    # 4. a documented enum the spec contradicts (case)
    schemas["ClusterTypeV1"]["enum"] = ["DASK", "MPI", "RAY", "SPARK"]
    # 5. a parameter type the docs lost, and 6. a query parameter the spec requires
    listing = spec["paths"]["/api/datasetrw/v2/datasets"]["get"]["parameters"]
    listing[0]["schema"] = {"type": "string", "enum": ["Read", "ReadWrite", "Owner"]}
    listing[1]["required"] = True
    # 7. path parameters renamed: still the same operations
    item = spec["paths"].pop(DATASET)
    for operation in item.values():
        for parameter in operation.get("parameters", []):
            if parameter["name"] == "datasetId":
                parameter["name"] = "id"
    # 8. the schema an operation returns, where the docs only inferred it
    item["get"]["responses"]["200"]["content"]["application/json"]["schema"] = {
        "$ref": "#/components/schemas/DatasetRwDetailsV1"
    }
    # one operation dropped, one added
    del item["delete"]
    spec["paths"]["/api/datasetrw/v1/datasets/{id}"] = item
    spec["paths"]["/api/datasetrw/v1/datasets/{id}/audit"] = {
        "get": {"responses": {"200": {"description": "The audit trail."}}}
    }
    return spec


def write_json(path: Path, document: dict[str, Any]) -> Path:
    path.write_text(json.dumps(document), encoding="utf-8")
    return path
