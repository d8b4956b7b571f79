"""Targeted invalid inputs: one documented rule broken per request, lost rules left alone."""

from __future__ import annotations

from pathlib import Path

from mlops_conformance.contract import Contract
from mlops_conformance.runner.generate import Request
from mlops_conformance.runner.mutations import NOT_IN_ENUM, apply, mutations

FIXTURE = Path(__file__).parents[1] / "checks" / "fixtures" / "mini.openapi.json"


def base(**changes) -> Request:  # type: ignore[no-untyped-def]
    request = Request(
        "GET", "/api/things/", [("sort", "name"), ("limit", 5)], {}, None, None, None, None, {}, False
    )
    for key, value in changes.items():
        setattr(request, key, value)
    return request


def test_each_mutation_breaks_one_documented_parameter_rule():
    contract = Contract.load("mini", FIXTURE)
    found = {m.description for m in mutations(contract, contract.operation("GET", "/api/things/"), base())}
    assert f"value '{NOT_IN_ENUM}' outside the documented enum of query parameter `sort`" in found
    assert "'not-a-number' for integer query parameter `limit`" in found
    assert "101 beyond maximum 100 of query parameter `limit`" in found
    assert "required query parameter `sort` left out" in found


def test_a_mutation_changes_a_copy_of_the_request():
    contract = Contract.load("mini", FIXTURE)
    original = base()
    dropped = next(
        m
        for m in mutations(contract, contract.operation("GET", "/api/things/"), original)
        if "left out" in m.description
    )
    assert ("sort", "name") not in apply(original, dropped).params
    assert ("sort", "name") in original.params


def test_body_mutations_break_required_fields_types_and_enums():
    contract = Contract.load("mini", FIXTURE)
    request = base(method="POST", params=[], json={"name": "n", "status": "active"}, has_json=True)
    found = {m.description for m in mutations(contract, contract.operation("POST", "/api/things/"), request)}
    assert {"a JSON array where the body must be an object", "required body field 'name' left out"} <= found
    assert any("outside its documented enum" in d for d in found)
    assert any("not of type string" in d for d in found)
