"""A pair the project already has: the raw reading of the docs vs the contract with the errata applied.

The errata are exactly "what a better source knows and the docs lost or got wrong", so reconciling
the raw reading (CONTRACT) with the errata contract (SPEC) must find them, and the overlay applied
with --prefer spec must give back the errata contract, but for what reconcile leaves alone by
design: operations on one side only (listed), security (not compared) and documented statuses the
spec lacks (never removed), and a documented field the spec does not list (kept).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mlops_conformance.extract.overlay import apply_overlay, load_overlay
from mlops_conformance.extract.pipeline import extract, render
from mlops_conformance.reconcile import build_overlay, reconcile_files
from mlops_conformance.reconcile import render as render_overlay
from mlops_conformance.reconcile.matching import HTTP_METHODS
from mlops_conformance.resources import contract_path, contracts_dir

_IGNORED = frozenset({"x-source", "x-also-in", "description", "examples", "x-invalid-examples"})


@pytest.fixture(scope="module")
def raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("raw")
    result = extract(contracts_dir(), overlays=False, vendors=("datarobot", "domino"))
    for vendor, contract in result.contracts.items():
        (folder / f"{vendor}.openapi.json").write_bytes(render(contract))
    return folder


def _expanded(node: Any, document: dict[str, Any], depth: int = 0) -> Any:
    """References expanded and provenance dropped: an inline schema equals the component it copies."""
    if isinstance(node, list):
        return [_expanded(v, document, depth) for v in node]
    if not isinstance(node, dict):
        return node
    if isinstance(node.get("$ref"), str) and depth < 12:
        target: Any = document
        for part in node["$ref"][2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        return _expanded(target, document, depth + 1)
    return {k: _expanded(v, document, depth) for k, v in node.items() if k not in _IGNORED}


def _differences(ours: dict[str, Any], theirs: dict[str, Any]) -> set[str]:
    """The operations (and statuses) whose expanded descriptions differ."""
    found = set()
    for path in sorted(set(ours["paths"]) | set(theirs["paths"])):
        for method in HTTP_METHODS:
            a = ours["paths"].get(path, {}).get(method)
            b = theirs["paths"].get(path, {}).get(method)
            if a is None and b is None:
                continue
            if a is None or b is None:
                found.add(f"{method.upper()} {path}: only one side")
                continue
            for key in sorted(set(a) | set(b)):
                if key == "responses":
                    for status in sorted(set(a[key]) | set(b[key])):
                        if _expanded(a[key].get(status), ours) != _expanded(b[key].get(status), theirs):
                            found.add(f"{method.upper()} {path}: responses {status}")
                elif (
                    key != "security"
                    and key not in _IGNORED
                    and _expanded(a.get(key), ours) != _expanded(b.get(key), theirs)
                ):
                    found.add(f"{method.upper()} {path}: {key}")
    return found


@pytest.mark.parametrize(
    ("vendor", "conflicts", "left_alone"),
    [
        (
            "domino",
            {
                "$.components.schemas.EnvironmentVisibilityV1",
                "$.components.schemas.GitReferenceTypeV1",
                "$.components.schemas.NewEnvironmentVisibilityV1",
            },
            {"GET /version: only one side"},
        ),
        (
            "datarobot",
            None,  # many; checked through the round trip below
            {
                "GET /api/v2/version/: only one side",
                "GET /api/v2/projects/{projectId}/: only one side",
                "PATCH /api/v2/useCases/{useCaseId}/: responses 204",  # the errata removed it; reconcile never removes
                # The page reads each item as an envelope with a required `data`; the errata make the
                # items ModelJobResponse. Reconcile adds ModelJobResponse's fields but keeps `data`: a
                # field the spec does not list is no contradiction (its objects are open).
                "GET /api/v2/projects/{projectId}/modelJobs/: responses 200",
            },
        ),
    ],
)
def test_the_errata_come_back_from_the_raw_reading(
    raw: Path, tmp_path: Path, vendor: str, conflicts: set[str] | None, left_alone: set[str]
) -> None:
    result = reconcile_files(raw / f"{vendor}.openapi.json", contract_path(vendor))
    overlay = build_overlay(result)
    if conflicts is not None:
        assert {c["target"] for c in overlay["x-conflicts"]} == conflicts
    path = tmp_path / "errata.yaml"
    path.write_text(render_overlay(build_overlay(result, prefer_spec=True)), encoding="utf-8")
    reading = json.loads((raw / f"{vendor}.openapi.json").read_text(encoding="utf-8"))
    apply_overlay(reading, load_overlay(path, "errata.yaml"))
    errata = json.loads(contract_path(vendor).read_text(encoding="utf-8"))
    assert _differences(reading, errata) == left_alone
