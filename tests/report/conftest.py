"""Fixtures of the report tests; the summary factory itself lives in ``factory.py``."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from mlops_conformance.contract import Contract

from .factory import FIXTURES, contract_for, make_summary


@pytest.fixture(scope="session")
def contracts() -> dict[str, Contract]:
    return {vendor: contract_for(vendor) for vendor in ("datarobot", "domino")}


@pytest.fixture(scope="session")
def full_summary(contracts: dict[str, Contract]) -> dict[str, Any]:
    """A whole synthetic run over every operation; never mutate it (take ``summary_doc`` instead)."""
    return make_summary(contracts)


@pytest.fixture
def summary_doc(full_summary: dict[str, Any]) -> dict[str, Any]:
    """A private, mutable copy of the whole synthetic run."""
    return copy.deepcopy(full_summary)


@pytest.fixture
def small_summary(contracts: dict[str, Contract]) -> dict[str, Any]:
    """A run over the first few operations of each vendor: for tests that render many times."""
    return make_summary(contracts, limit=6)


@pytest.fixture
def fixture_contract_doc() -> dict[str, Any]:
    """A fresh, mutable copy of the fixture DataRobot contract (for contract-diff tests)."""
    return copy.deepcopy(json.loads((FIXTURES / "datarobot.openapi.json").read_text(encoding="utf-8")))
