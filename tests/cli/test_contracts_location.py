"""Which contracts a command uses: the working directory's ``contracts/``, else the installed copy.

``extract`` writes where the user is (``./contracts`` when it holds ``sources/``) and never into
the installed package; ``run`` and ``mock`` load ``./contracts`` when it holds contracts and say
which (path and short sha256) on their first lines. The installation under test here is a real
non-editable one (``pip install --no-deps --target``), as a user following the README gets.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlops_conformance import resources
from mlops_conformance.cli import cli

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = ROOT / "contracts"
LINE = re.compile(r"^contracts: (?P<path>\S.*) \((?P<hashes>[^)]*)\)$")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _snapshot(directory: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(directory)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project installed non-editable into a target directory (its ``site-packages``)."""
    site = tmp_path_factory.mktemp("site")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert (site / "mlops_conformance" / "_bundled" / "contracts" / "sources").is_dir()
    return site


def _cli(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(site)}
    return subprocess.run(
        [sys.executable, "-m", "mlops_conformance", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture()
def checkout(tmp_path: Path) -> Path:
    """A checkout's root: a copy of contracts/ (sources, overlays, committed contracts)."""
    root = tmp_path / "checkout"
    shutil.copytree(CONTRACTS, root / "contracts", ignore=shutil.ignore_patterns("__pycache__"))
    return root


def test_the_installed_copy_is_the_one_under_test(installed: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(installed)}
    where = subprocess.run(
        [sys.executable, "-c", "import mlops_conformance.resources as r; print(r.bundled_contracts_dir())"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(where) == installed / "mlops_conformance" / "_bundled" / "contracts"


def test_extract_in_a_checkout_changes_the_checkout_and_not_the_installed_package(
    installed: Path, checkout: Path
) -> None:
    bundled = installed / "mlops_conformance" / "_bundled" / "contracts"
    before = _snapshot(bundled)
    for vendor in resources.VENDORS:
        (checkout / "contracts" / f"{vendor}.openapi.json").write_text("{}\n", encoding="utf-8")
    result = _cli(installed, checkout, "extract")
    assert result.returncode == 0, result.stderr
    assert f"wrote {checkout / 'contracts' / 'datarobot.openapi.json'}" in result.stdout
    for vendor in resources.VENDORS:
        name = f"{vendor}.openapi.json"
        assert (checkout / "contracts" / name).read_bytes() == (CONTRACTS / name).read_bytes()
    assert _snapshot(bundled) == before
    check = _cli(installed, checkout, "extract", "--check")
    assert check.returncode == 0, check.stderr


def test_extract_outside_a_checkout_refuses_in_one_line(installed: Path, tmp_path: Path) -> None:
    bundled = installed / "mlops_conformance" / "_bundled" / "contracts"
    before = _snapshot(bundled)
    for args in ((), ("--check",), ("--contracts-dir", str(bundled))):
        result = _cli(installed, tmp_path, "extract", *args)
        assert result.returncode == 2, (args, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
        assert result.stderr.startswith("error: ")
    assert "no contracts/sources/ in" in _cli(installed, tmp_path, "extract").stderr
    assert _snapshot(bundled) == before
    assert not (tmp_path / "contracts").exists()


def test_extract_outside_a_checkout_with_output_reads_the_installed_pages(
    installed: Path, tmp_path: Path
) -> None:
    result = _cli(installed, tmp_path, "extract", "--output", "out")
    assert result.returncode == 0, result.stderr
    for vendor in resources.VENDORS:
        name = f"{vendor}.openapi.json"
        assert (tmp_path / "out" / name).read_bytes() == (CONTRACTS / name).read_bytes()


def test_extract_check_from_the_repository_root_passes() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mlops_conformance", "extract", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout


@pytest.fixture()
def mock_lines(installed: Path) -> Iterator[object]:
    processes: list[subprocess.Popen[str]] = []

    def start(cwd: Path) -> list[str]:
        env = {**os.environ, "PYTHONPATH": str(installed)}
        process = subprocess.Popen(
            [sys.executable, "-m", "mlops_conformance", "mock", "--vendor", "domino", "--port", "0"],
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        processes.append(process)
        assert process.stdout is not None
        return [process.stdout.readline().rstrip("\n"), process.stdout.readline().rstrip("\n")]

    yield start
    for process in processes:
        process.terminate()
        process.wait(timeout=10)


def test_mock_serves_the_working_directory_contracts_and_names_them(
    mock_lines, installed: Path, checkout: Path, tmp_path: Path
) -> None:
    served, named = mock_lines(checkout)
    assert served.startswith("mock serving domino on http://")
    match = LINE.match(named)
    assert match, named
    assert Path(match["path"]) == checkout / "contracts"
    assert match["hashes"] == f"domino {_digest(CONTRACTS / 'domino.openapi.json')[:8]}"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    _, named = mock_lines(elsewhere)
    assert LINE.match(named)["path"] == str(installed / "mlops_conformance" / "_bundled" / "contracts")  # type: ignore[index]


def test_contracts_dir_prefers_the_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert resources.contracts_dir() == resources.bundled_contracts_dir()
    (tmp_path / "contracts").mkdir()
    assert resources.contracts_dir() == resources.bundled_contracts_dir()  # no contract there
    shutil.copy(CONTRACTS / "domino.openapi.json", tmp_path / "contracts")
    assert resources.contracts_dir() == tmp_path / "contracts"
    assert resources.contract_path("domino") == tmp_path / "contracts" / "domino.openapi.json"
    digest = _digest(CONTRACTS / "domino.openapi.json")[:8]
    assert resources.contracts_line(["domino"]) == f"contracts: {tmp_path / 'contracts'} (domino {digest})"


def test_a_run_names_its_contracts_on_its_first_line(
    tmp_path: Path, checkout: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(checkout)
    args = ["run", "--vendor", "datarobot", "--operations", "^GET /api/v2/version/$", "--max-examples", "1"]
    result = CliRunner().invoke(cli, [*args, "--report-dir", str(tmp_path / "reports")])
    assert result.exit_code == 0, result.output
    digest = _digest(CONTRACTS / "datarobot.openapi.json")
    first = result.output.splitlines()[0]
    assert first == f"contracts: {checkout / 'contracts'} (datarobot {digest[:8]})"
    import json

    summary = json.loads((tmp_path / "reports" / "summary.json").read_text(encoding="utf-8"))
    assert summary["run"]["contract_sha256"] == {"datarobot": digest}


def test_a_run_without_a_selected_vendors_contract_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "contracts").mkdir()
    shutil.copy(CONTRACTS / "domino.openapi.json", tmp_path / "contracts")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["run", "--vendor", "datarobot", "--report-dir", str(tmp_path / "r")])
    assert result.exit_code == 2
    assert "datarobot.openapi.json: cannot read the datarobot contract" in result.stderr
