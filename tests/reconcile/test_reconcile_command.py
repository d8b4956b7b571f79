"""`mlops-conformance reconcile` and `extract --overlay` as a user runs them: files, exit codes, one-line errors."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from mlops_conformance.extract.pipeline import extract
from mlops_conformance.resources import contract_path, contracts_dir

from .pairs import DATASET, domino_spec, write_json


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mlops_conformance", *args],
        check=False,
        capture_output=True,
        text=True,
        timeout=180,
        cwd=cwd,
    )


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_json(tmp_path_factory.mktemp("spec") / "domino-spec.json", domino_spec())


def _one_line_error(result: subprocess.CompletedProcess[str], *expected: str) -> None:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for text in expected:
        assert text in lines[0], lines[0]


def test_conflicts_are_listed_and_exit_1(spec: Path, tmp_path: Path) -> None:
    output = tmp_path / "domino-reconciled.yaml"
    result = _run("reconcile", str(contract_path("domino")), str(spec), "--output", str(output))
    assert result.returncode == 1, result.stderr
    assert (
        "81 operations matched, 7 additions, 1 conflict listed, 1 only in the contract, 1 only in the spec"
        in result.stdout
    )
    assert "conflict: $.components.schemas.ClusterTypeV1 enum:" in result.stdout
    assert f"only in the contract: DELETE {DATASET}" in result.stdout
    assert "only in the spec: GET /api/datasetrw/v1/datasets/{id}/audit" in result.stdout
    overlay = yaml.safe_load(output.read_text(encoding="utf-8"))
    assert [c["target"] for c in overlay["x-conflicts"]] == ["$.components.schemas.ClusterTypeV1"]
    assert overlay["x-only-in-spec"] == ["GET /api/datasetrw/v1/datasets/{id}/audit"]
    again = tmp_path / "again.yaml"
    _run("reconcile", "domino", str(spec), "--output", str(again))  # a bundled vendor's name works too
    assert again.read_bytes() == output.read_bytes()


def test_prefer_spec_exits_0_and_stdout_holds_only_the_overlay(spec: Path) -> None:
    result = _run("reconcile", "domino", str(spec), "--output", "-", "--prefer", "spec")
    assert result.returncode == 0, result.stderr
    overlay = yaml.safe_load(result.stdout)
    assert overlay["overlay"] == "1.0.0" and overlay["x-conflicts"] == []
    assert "(1 overriding the docs), 0 conflicts listed" in result.stderr


def test_nothing_to_add_writes_no_file(tmp_path: Path) -> None:
    output = tmp_path / "none.yaml"
    result = _run("reconcile", "domino", str(contract_path("domino")), "--output", str(output))
    assert result.returncode == 0, result.stderr
    assert "nothing to add" in result.stdout and not output.exists()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "no such file"),
        (
            '{"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {}}',
            "Swagger 2.0 is not supported",
        ),
        ("openapi: 3.0.3\ninfo: {title: t, version: '1'}\n", "no 'paths'"),
    ],
)
def test_a_bad_spec_is_one_line_and_exit_2(tmp_path: Path, content: str | None, expected: str) -> None:
    path = tmp_path / "spec.yaml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = _run("reconcile", "domino", str(path), "--output", str(tmp_path / "out.yaml"))
    _one_line_error(result, "spec.yaml", expected)
    assert not (tmp_path / "out.yaml").exists()


def test_a_missing_contract_is_one_line_and_exit_2(spec: Path, tmp_path: Path) -> None:
    result = _run("reconcile", str(tmp_path / "nope.json"), str(spec), "-o", "-")
    _one_line_error(result, "nope.json", "no such file")


def test_extract_applies_the_overlay_after_the_errata(spec: Path, tmp_path: Path) -> None:
    root = tmp_path / "contracts"
    shutil.copytree(contracts_dir(), root)
    overlay = root / "overlays" / "domino-spec.yaml"
    _run("reconcile", "domino", str(spec), "--output", str(overlay))
    result = extract(root, extra_overlays=(overlay,))
    contract = result.contracts["domino"]
    status = contract["components"]["schemas"]["AsyncPredictionEnvelopeV1"]["properties"]["status"]
    assert status["enum"] == ["Pending", "Processing", "Succeeded", "Failed"]
    assert status["x-source"]["document"] == "overlays/domino-spec.yaml"  # relative: reproducible
    assert contract["components"]["schemas"]["ClusterTypeV1"]["enum"] == ["dask", "mpi", "ray", "spark"]
    assert "x-inferred" not in contract["paths"][DATASET]["get"]["responses"]["200"]
    # The other vendors are untouched, and the same inputs give the same contract.
    assert result.contracts["datarobot"] == extract(root).contracts["datarobot"]
    assert extract(root, extra_overlays=(overlay,)).contracts["domino"] == contract


def test_extract_overlay_from_the_command_line(spec: Path, tmp_path: Path) -> None:
    overlay = tmp_path / "domino-spec.yaml"
    _run("reconcile", "domino", str(spec), "--output", str(overlay))
    root = tmp_path / "contracts"
    shutil.copytree(contracts_dir(), root)
    out = tmp_path / "out"
    result = _run("extract", "--contracts-dir", str(root), "--overlay", str(overlay), "--output", str(out))
    assert result.returncode == 0, result.stderr
    text = (out / "domino.openapi.json").read_text(encoding="utf-8")
    assert '"document": "domino-spec.yaml"' in text and '"Succeeded"' in text


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "cannot read overlay"),
        ("openapi: 3.1.0\n", "not an OpenAPI Overlay 1.x document"),
        (
            (
                "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nextends: acme.openapi.json\n"
                "actions: [{target: $.info, description: d, update: {x-a: 1}}]\n"
            ),
            "extends acme.openapi.json: names none of the contracts extracted",
        ),
        (
            (
                "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nextends: domino.openapi.json\n"
                "actions: [{target: \"$.paths['/nowhere']\", description: d, update: {x-a: 1}}]\n"
            ),
            "selects nothing",
        ),
    ],
)
def test_extract_overlay_errors_are_one_line_and_exit_2(
    tmp_path: Path, content: str | None, expected: str
) -> None:
    overlay = tmp_path / "extra.yaml"
    if content is not None:
        overlay.write_text(content, encoding="utf-8")
    root = tmp_path / "contracts"
    shutil.copytree(contracts_dir(), root)
    result = _run(
        "extract", "--contracts-dir", str(root), "--overlay", str(overlay), "--output", str(tmp_path / "o")
    )
    _one_line_error(result, "extra.yaml", expected)
    assert not (tmp_path / "o").exists()


def test_extract_overlay_needs_output(spec: Path, tmp_path: Path) -> None:
    root = tmp_path / "contracts"
    shutil.copytree(contracts_dir(), root)
    result = _run("extract", "--contracts-dir", str(root), "--overlay", str(spec))
    _one_line_error(result, "--overlay", "--output DIR")


def test_long_one_sided_lists_are_shortened_only_when_the_file_holds_them(tmp_path: Path) -> None:
    spec = domino_spec()
    dropped = sorted(spec["paths"])[-30:]  # keeps the operations with additions
    for path in dropped:
        del spec["paths"][path]
    source = write_json(tmp_path / "spec.json", spec)
    output = tmp_path / "out.yaml"
    result = _run("reconcile", "domino", str(source), "--output", str(output))
    shown = [line for line in result.stdout.splitlines() if line.startswith("only in the contract: ")]
    assert len(shown) == 21 and "more (all under x-only-in-contract)" in shown[-1]
    assert len(yaml.safe_load(output.read_text(encoding="utf-8"))["x-only-in-contract"]) > 20


def test_the_contract_must_be_an_extracted_3_1_contract(spec: Path, tmp_path: Path) -> None:
    yaml_contract = tmp_path / "domino.openapi.yaml"
    yaml_contract.write_text("openapi: 3.1.0\npaths: {}\n", encoding="utf-8")
    _one_line_error(
        _run("reconcile", str(yaml_contract), str(spec), "-o", "-"), "domino.openapi.yaml", "not valid JSON"
    )
    old = write_json(tmp_path / "old.openapi.json", {"openapi": "3.0.3", "paths": {}})
    _one_line_error(
        _run("reconcile", str(old), str(spec), "-o", "-"), "old.openapi.json", "found openapi: 3.0.3"
    )
