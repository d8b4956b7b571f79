"""`mlops-conformance extract` as a user runs it: real files, real exit codes, one-line errors."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mlops_conformance.resources import contracts_dir


@pytest.fixture()
def workdir(tmp_path: Path) -> Path:
    """A private copy of contracts/ (sources, overlays, committed contracts) to write into."""
    root = tmp_path / "contracts"
    shutil.copytree(contracts_dir(), root)
    return root


def _extract(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mlops_conformance", "extract", *args],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_extract_check_passes_on_the_committed_contracts(workdir: Path) -> None:
    result = _extract("--contracts-dir", str(workdir), "--check")
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout


def test_extract_check_names_the_stale_contract(workdir: Path) -> None:
    path = workdir / "domino.openapi.json"
    path.write_text(path.read_text().replace('"openapi": "3.1.0"', '"openapi": "3.1.1"'))
    result = _extract("--contracts-dir", str(workdir), "--check")
    assert result.returncode == 1
    assert "domino.openapi.json: stale" in result.stderr
    assert "datarobot.openapi.json" not in result.stderr


def test_regeneration_is_byte_identical_across_hash_seeds(workdir: Path) -> None:
    outputs = []
    for seed in ("1", "2"):
        out = workdir.parent / f"out{seed}"
        env_python = [
            sys.executable,
            "-m",
            "mlops_conformance",
            "extract",
            "--contracts-dir",
            str(workdir),
            "--output",
            str(out),
        ]
        subprocess.run(
            env_python, check=True, capture_output=True, env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"}
        )
        outputs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert outputs[0] == outputs[1]
    assert set(outputs[0]) == {"datarobot.openapi.json", "domino.openapi.json", "mlflow.openapi.json"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "datarobot/use-cases.txt: file is empty"),
        (b"Use Cases\n\nNothing here but prose.\n", "datarobot/use-cases.txt:1: unknown layout"),
        (b"GET /api/v2/useCases/\n\nList.\n\xc3\x28 bad\n", "datarobot/use-cases.txt:4: not valid UTF-8"),
    ],
)
def test_a_bad_page_fails_in_one_line_and_leaves_the_contracts_untouched(
    workdir: Path, content: bytes, message: str
) -> None:
    (workdir / "sources/datarobot/use-cases.txt").write_bytes(content)
    before = {p.name: p.read_bytes() for p in workdir.glob("*.openapi.json")}
    result = _extract("--contracts-dir", str(workdir))
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: {message}" or result.stderr.startswith(f"error: {message}")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert {p.name: p.read_bytes() for p in workdir.glob("*.openapi.json")} == before


def test_a_truncated_page_fails_with_its_file_and_line(workdir: Path) -> None:
    page = workdir / "sources/datarobot/custom-models.txt"
    lines = page.read_text(encoding="utf-8").splitlines(keepends=True)
    page.write_text("".join(lines[:120]), encoding="utf-8")
    result = _extract("--contracts-dir", str(workdir))
    assert result.returncode == 2
    assert result.stderr.startswith("error: datarobot/custom-models.txt:")
    assert len(result.stderr.strip().splitlines()) == 1


def test_no_overlays_needs_an_output_directory(workdir: Path) -> None:
    result = _extract("--contracts-dir", str(workdir), "--no-overlays")
    assert result.returncode == 2
    assert "--output" in result.stderr


def test_no_overlays_gives_the_raw_reading_without_errata(workdir: Path) -> None:
    raw = workdir.parent / "raw"
    result = _extract("--contracts-dir", str(workdir), "--no-overlays", "--output", str(raw))
    assert result.returncode == 0, result.stderr
    text = (raw / "datarobot.openapi.json").read_text()
    assert "/api/v2/version/" not in text
    assert "overlays/datarobot.yaml" not in text


def test_stats_prints_a_row_per_document(workdir: Path) -> None:
    result = _extract("--contracts-dir", str(workdir), "--check", "--stats")
    assert result.returncode == 0, result.stderr
    for page in ("use-cases.txt", "models.txt", "model-management.txt", "custom-models.txt", "rest-api.txt"):
        assert page in result.stdout


@pytest.mark.parametrize(
    ("page", "keep"),
    [
        ("datarobot/use-cases.txt", 0.6),
        ("datarobot/model-management.txt", 0.3),
        ("datarobot/custom-models.txt", 0.9),
    ],
)
def test_a_page_cut_inside_its_schema_section_is_refused_as_truncated(
    workdir: Path, page: str, keep: float
) -> None:
    path = workdir / "sources" / page
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[: int(len(lines) * keep)]), encoding="utf-8")
    result = _extract("--contracts-dir", str(workdir), "--output", str(workdir.parent / "out"))
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: {page}:")
    assert "truncated" in result.stderr
    assert not (workdir.parent / "out").exists()


def test_missing_errata_are_an_error_unless_the_raw_reading_is_asked_for(workdir: Path) -> None:
    shutil.rmtree(workdir / "overlays")
    result = _extract("--contracts-dir", str(workdir), "--output", str(workdir.parent / "out"))
    assert result.returncode == 2
    assert "overlays/datarobot.yaml: errata overlay missing" in result.stderr


def test_stats_and_issues_report_without_rewriting_the_contracts(workdir: Path) -> None:
    before = {p.name: p.stat().st_mtime_ns for p in workdir.glob("*.openapi.json")}
    result = _extract("--contracts-dir", str(workdir), "--stats", "--issues")
    assert result.returncode == 0, result.stderr
    assert "example-mismatch" in result.stdout
    assert {p.name: p.stat().st_mtime_ns for p in workdir.glob("*.openapi.json")} == before
