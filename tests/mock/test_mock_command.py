"""``mlops-conformance mock``: options, one-line usage errors, the token's sources, the public API."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys

import httpx
import pytest
from click.testing import CliRunner

from mlops_conformance.cli import cli
from mlops_conformance.mock import FAULTS, serve_in_background


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["mock", *args])
    return result.exit_code, result.stdout, result.stderr


def test_list_faults_prints_one_line_per_fault() -> None:
    code, out, _ = _run("--list-faults")
    lines = out.strip().splitlines()
    assert code == 0 and len(lines) == len(FAULTS)
    assert [line.split()[0] for line in lines] == list(FAULTS)
    assert all(FAULTS[line.split()[0]].description in line for line in lines)


@pytest.mark.parametrize(
    ("args", "mentions"),
    [
        (["--fault", "gremlins"], "--fault gremlins"),
        (["--vendor", "sagemaker"], "--vendor sagemaker"),
        (["--seed", "twelve"], "--seed twelve"),
        (["--port", "99999"], "--port 99999"),
        (["--port", "eighty"], "--port eighty"),
    ],
)
def test_bad_options_give_a_one_line_error_and_a_non_zero_exit(args: list[str], mentions: str) -> None:
    code, _, err = _run(*args)
    assert code != 0 and mentions in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_a_port_in_use_is_a_one_line_error() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        code, _, err = _run("--port", str(busy.getsockname()[1]))
    assert code != 0 and "already in use" in err and len(err.strip().splitlines()) == 1


def test_without_token_option_or_variable_the_default_token_is_accepted() -> None:
    env = {k: v for k, v in os.environ.items() if k != "MLOPS_CONFORMANCE_MOCK_TOKEN"}
    process = subprocess.Popen(
        [sys.executable, "-m", "mlops_conformance", "mock", "--vendor", "domino", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        line = process.stdout.readline() if process.stdout else ""
        url = re.search(r"on (http://\S+)", line).group(1)  # type: ignore[union-attr]
        assert "mock-token" not in line  # the token itself is never printed
        assert (
            httpx.get(f"{url}/version", headers={"X-Domino-Api-Key": "mock-token"}, timeout=10).status_code
            == 200
        )
        assert (
            httpx.get(f"{url}/version", headers={"X-Domino-Api-Key": "other"}, timeout=10).status_code == 401
        )
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_serve_in_background_serves_the_real_contracts_on_a_free_port() -> None:
    with serve_in_background(["datarobot"], token="t", seed=1) as running:
        assert running.url.startswith("http://127.0.0.1:") and running.port > 0
        answer = httpx.get(f"{running.url}/api/v2/version/", headers={"Authorization": "Token t"})
        assert answer.status_code == 200 and answer.json()["versionString"].startswith("2.")
        assert (
            httpx.get(f"{running.url}/api/environments/beta/environments").status_code == 404
        )  # domino not served


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data() -> None:
    pages = []
    for seed in (5, 5, 6):
        with serve_in_background(["datarobot"], token="t", seed=seed) as running:
            pages.append(
                httpx.get(f"{running.url}/api/v2/useCases/", headers={"Authorization": "Bearer t"}).json()
            )
    assert pages[0] == pages[1] and pages[0]["data"] != pages[2]["data"]
