"""Shared fixtures for the check unit tests: a small hand-written contract and exchange builders."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlops_conformance.checks import CheckContext
from mlops_conformance.contract import Contract

FIXTURE = Path(__file__).parent / "fixtures" / "mini.openapi.json"


@pytest.fixture(scope="session")
def contract() -> Contract:
    return Contract.load("mini", FIXTURE)


@pytest.fixture
def context(contract: Contract):  # type: ignore[no-untyped-def]
    """``context("GET", "/api/things/")``: the check context of one fixture operation."""

    def make(method: str, path: str) -> CheckContext:
        return CheckContext(contract, contract.operation(method, path))

    return make
