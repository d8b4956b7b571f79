"""Fixtures of the mock tests: one in-thread mock over the fixture contracts, shared per module."""

from __future__ import annotations

import os
from collections.abc import Iterator

import httpx
import pytest
from _mockkit import BEARER, TOKEN, fixture_contract

from mlops_conformance.contract import Contract
from mlops_conformance.mock import create_app
from mlops_conformance.mock.server import RunningMock, serve_app

SDK_TOKEN = "sdk-secret"  # passed through the environment variable, as users would


@pytest.fixture(scope="session")
def dr_fixture() -> Contract:
    return fixture_contract("datarobot")


@pytest.fixture(scope="session")
def domino_fixture() -> Contract:
    return fixture_contract("domino")


@pytest.fixture(scope="module")
def fixture_mock(dr_fixture: Contract, domino_fixture: Contract) -> Iterator[RunningMock]:
    """A real HTTP server (uvicorn, loopback) serving both fixture contracts."""
    with serve_app(create_app([dr_fixture, domino_fixture], token=TOKEN, seed=7)) as running:
        yield running


@pytest.fixture
def http(fixture_mock: RunningMock) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=fixture_mock.url, headers=BEARER, timeout=10) as client:
        yield client


@pytest.fixture(scope="session")
def mock_process() -> Iterator[str]:
    """``mlops-conformance mock`` over the real contracts, as a subprocess on a free port; its base URL."""
    import re
    import subprocess
    import sys
    import time

    env = {**os.environ, "MLOPS_CONFORMANCE_MOCK_TOKEN": SDK_TOKEN}
    process = subprocess.Popen(
        [sys.executable, "-m", "mlops_conformance", "mock", "--port", "0", "--seed", "11"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        found = re.search(r"on (http://\S+)", line)
        assert found, (
            f"the mock did not announce its address: {line!r} {process.stderr.read() if process.poll() is not None else ''}"
        )
        url = found.group(1)
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{url}/api/v2/version/", timeout=1)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the mock never answered"
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
