"""Shared helpers of the mock tests: the fixture contracts and an independent judge of responses.

The judge validates with the pure-Python ``jsonschema`` package (the mock itself uses
``jsonschema_rs``), so a bug in one validator cannot hide a bug in the mock.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import orjson

from mlops_conformance.contract import Contract, Operation

FIXTURES = Path(__file__).parent / "fixtures"
TOKEN = "fixture-token"
BEARER = {"Authorization": f"Bearer {TOKEN}"}
_FILES = {"datarobot": "datarobot-like.openapi.json", "domino": "domino-like.openapi.json"}


def fixture_contract(vendor: str) -> Contract:
    """The hand-written fixture contract that follows ``vendor``'s conventions."""
    return Contract(vendor, orjson.loads((FIXTURES / _FILES[vendor]).read_bytes()))


def violations(contract: Contract, schema: Any, instance: Any) -> list[str]:
    """Every way ``instance`` breaks ``schema`` (formats included), as readable lines."""
    if schema is None:
        return []
    validator = jsonschema.Draft202012Validator(
        contract.rooted(schema), format_checker=jsonschema.FormatChecker()
    )
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}"
        for e in validator.iter_errors(instance)
    ]


def response_violations(contract: Contract, op: Operation, status: int, body: Any) -> list[str]:
    """What is wrong with a response: an undocumented status, or a body that breaks its schema."""
    if str(status) not in op.responses:
        return [f"status {status} is not documented (documented: {', '.join(op.documented_statuses())})"]
    if status == 204:  # no content, whatever schema the page attached to it
        return [] if body in (None, b"", "") else ["a 204 carries a body"]
    return violations(contract, contract.response_schema(op, str(status)), body)
