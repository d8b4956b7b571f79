"""Every corpus spec, run against the embedded mock serving it, is clean: no ``fail``, no ``error``.

The corpus: the specs in ``tests/corpus/`` (3.0/3.1, JSON/YAML, the paging styles and security schemes
users have, and one with every contradiction real specs carry) plus every OpenAPI document that ships
inside an installed package. The spec's own contradictions are ``docs`` rows with JSON pointers, each
reported once; nothing is ever blamed on the (mock) target for them.
"""

from __future__ import annotations

import re
import site
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from mlops_conformance.cli import cli
from mlops_conformance.contract import Contract

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
# ``openapi: 3.x`` as a top-level YAML key, or an ``"openapi": "3.x"`` member anywhere in JSON (a
# document written with sorted keys has it after ``components``)
_OPENAPI = re.compile(rb'^openapi:\s*["\']?3\.|"openapi"\s*:\s*"3\.', re.MULTILINE)


def _installed_specs() -> list[Path]:
    """OpenAPI 3.x documents shipped inside installed packages (site-packages), by content."""
    found: list[Path] = []
    for root in {Path(p) for p in site.getsitepackages()}:
        for pattern in ("*.json", "*.yaml", "*.yml"):
            for path in root.rglob(pattern):
                try:
                    if path.stat().st_size > 5_000_000:
                        continue
                    text = path.read_bytes()
                except OSError:
                    continue
                if _OPENAPI.search(text):
                    found.append(path)
    return sorted(found)


SPECS = sorted(CORPUS.iterdir()) + _installed_specs()
# A large installed document (the bundled DataRobot contract: 192 operations) is run in half (the
# first of two shards, split by path as ``--shard`` does): its full run against the embedded mock is
# ``tests/suites``'; here it is the ``--contract`` reading of it that is under test, and the corpus
# test stays under a minute on two cores.
LARGE = 100


def _id(path: Path) -> str:
    return path.name if path.parent == CORPUS else f"installed:{path.parent.name}/{path.name}"


@pytest.mark.parametrize("spec", SPECS, ids=_id)
def test_a_run_against_the_mock_serving_the_spec_is_clean(spec, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no contracts/ here: only the given document counts
    reports = tmp_path / "reports"
    contract = Contract.load_openapi(spec, "x")
    shard = ["--shard", "1/2"] if len(contract.operations()) > LARGE else []
    result = CliRunner().invoke(
        cli,
        ["run", "--contract", f"x={spec}", "--max-examples", "1", "--report-dir", str(reports), "-q", *shard],
    )
    rows = orjson.loads((reports / "summary.json").read_bytes())["rows"]
    bad = [
        (r["operation"], r["check"], r.get("evidence", {}).get("message"))
        for r in rows
        if r["verdict"] in ("fail", "error")
    ]
    assert result.exit_code == 0, (result.output, bad[:5])
    assert not bad
    ran = {r["operation"] for r in rows if r["check"].startswith("examples.")}  # not the run-level rows
    recorded = [issue for op in contract if op.id in ran for issue in op.spec.get("x-spec-defects") or []]
    reported = [r for r in rows if r["check"] == "examples.spec_defects"]
    assert all(r["verdict"] == "docs" and r["evidence"]["schema_path"].startswith("#/") for r in reported)
    # every recorded defect is in exactly one row: the first as its message, the others as details
    shown = [r["evidence"]["message"] for r in reported] + [
        d for r in reported for d in r["evidence"].get("details", [])
    ]
    for issue in recorded:
        assert sum(issue["pointer"] in line and issue["message"] in line for line in shown) == 1, issue


def test_the_messy_spec_carries_every_defect_kind_once_with_its_pointer():
    contract = Contract.load_openapi(CORPUS / "messy-30.yaml")
    issues = {(i["kind"], i["pointer"]) for i in contract.document["x-doc-issues"]}
    assert issues == {
        ("dangling-ref", "#/paths/~1features~1{featureId}~1materialize/post/requestBody"),
        ("dangling-ref", "#/paths/~1features~1{featureId}/get/responses/404"),
        ("dangling-ref", "#/paths/~1features/get/parameters/0"),
        ("dangling-ref", "#/components/schemas/Feature/properties/spec"),
        ("ref-cycle", "#/components/schemas/LoopB"),
        ("required-undefined", "#/components/schemas/Feature/required"),
        ("empty-enum", "#/components/schemas/Feature/properties/kind/enum"),
        ("invalid-pattern", "#/components/schemas/Feature/properties/code/pattern"),
        ("duplicate-operationId", "#/paths/~1features~1{featureId}/get/operationId"),
        ("no-responses", "#/paths/~1features~1{featureId}~1materialize/post/responses"),
        ("no-response-schema", "#/paths/~1stats/get/responses"),
        ("example-mismatch", "#/components/schemas/Feature/properties/name/examples/0"),
        ("invalid-default", "#/components/schemas/Feature/properties/size/default"),
        ("example-mismatch", "#/paths/~1features/get/parameters/1/example"),
    }
    feature = contract.schemas["Feature"]
    assert feature["required"] == ["id", "name"]
    assert "enum" not in feature["properties"]["kind"] and "pattern" not in feature["properties"]["code"]
    assert feature["properties"]["spec"] == {} and "default" not in feature["properties"]["size"]
    assert "examples" not in feature["properties"]["name"]
    lineage = contract.schemas["Lineage"]["properties"]["parents"]["items"]
    assert lineage == {"$ref": "#/components/schemas/Lineage"}  # recursion is legitimate: kept
    listing = contract.operation("GET", "/features")
    assert [p["name"] for p in listing.parameters] == ["skip", "limit"]
    assert "example" not in listing.parameters[1]
    media = listing.responses["200"]["content"]["application/json"]
    assert "example" not in media and media["x-invalid-examples"]["example"]["value"]["items"] == "not a list"
    create = contract.operation("POST", "/features").request_body["content"]["application/json"]
    assert set(create["examples"]) == {"good"} and set(create["x-invalid-examples"]) == {"bad"}
    action = contract.operation("POST", "/features/{featureId}/materialize")
    assert "requestBody" not in action.spec and set(action.responses) == {"default"}
    duplicate = contract.operation("GET", "/features/{featureId}")
    assert duplicate.spec["operationId"] == "listFeatures_2"
    assert duplicate.responses["404"] == {
        "description": "(unresolvable $ref #/components/responses/NotFound)"
    }


def test_the_file_is_never_written(tmp_path):
    spec = tmp_path / "messy.yaml"
    spec.write_bytes((CORPUS / "messy-30.yaml").read_bytes())
    before = spec.read_bytes()
    Contract.load_openapi(spec)
    assert spec.read_bytes() == before


def test_a_clean_spec_has_no_defects():
    for name in ("petstore-30.yaml", "registry-31.yaml", "inventory-30.json", "tracker-31.json"):
        contract = Contract.load_openapi(CORPUS / name)
        assert not contract.document.get("x-doc-issues"), name
        assert not any(op.spec.get("x-spec-defects") for op in contract), name
