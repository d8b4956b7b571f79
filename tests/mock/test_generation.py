"""Generated data is valid against its schema (judged independently) and deterministic for a seed."""

from __future__ import annotations

import pytest
from _mockkit import fixture_contract, violations

from mlops_conformance.contract import Contract
from mlops_conformance.mock.generate import GenerationError, Generator
from mlops_conformance.mock.schemas import SchemaTools

CONTRACTS = [fixture_contract("datarobot"), fixture_contract("domino")]
SCHEMAS = [(c, name) for c in CONTRACTS for name in c.schemas]


def _generator(contract: Contract, seed: int = 0) -> Generator:
    return Generator(SchemaTools(contract), seed)


@pytest.mark.parametrize(("contract", "name"), SCHEMAS, ids=[f"{c.vendor}-{n}" for c, n in SCHEMAS])
def test_every_generated_value_is_valid_against_its_schema(contract: Contract, name: str) -> None:
    schema = {"$ref": f"#/components/schemas/{name}"}
    generator = _generator(contract)
    for key in range(25):
        value = generator.value(schema, f"k{key}")
        assert violations(contract, schema, value) == []


def test_the_same_seed_and_key_give_the_same_value() -> None:
    schema = {"$ref": "#/components/schemas/WidgetResponse"}
    first = _generator(CONTRACTS[0], seed=5).value(schema, "w1")
    assert first == _generator(CONTRACTS[0], seed=5).value(schema, "w1")
    assert first != _generator(CONTRACTS[0], seed=6).value(schema, "w1")


def test_exclusive_bounds_are_never_reached() -> None:
    generator = _generator(CONTRACTS[0])
    schema = {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1}
    values = [generator.value(schema, str(k)) for k in range(200)]
    assert all(0 < v < 1 for v in values)
    integers = [
        generator.value({"type": "integer", "exclusiveMinimum": 3, "exclusiveMaximum": 5}, str(k))
        for k in range(20)
    ]
    assert set(integers) == {4}


def test_a_nullable_reference_gets_the_referenced_object_not_null() -> None:
    schema = {"anyOf": [{"$ref": "#/components/schemas/User"}, {"type": "null"}]}
    assert isinstance(_generator(CONTRACTS[0]).value(schema, "r"), dict)


def test_one_of_yields_values_that_match_exactly_one_branch() -> None:
    schema = {"oneOf": [{"type": "integer", "minimum": 0}, {"type": "number", "minimum": 0}]}
    for key in range(20):
        value = _generator(CONTRACTS[0]).value(schema, str(key))
        assert violations(CONTRACTS[0], schema, value) == []
        assert isinstance(value, float) and not value.is_integer()


def test_a_property_shared_by_two_schemas_gets_the_same_value_under_one_key() -> None:
    generator = _generator(CONTRACTS[0])
    full = generator.value({"$ref": "#/components/schemas/WidgetResponse"}, "resource|w")
    small = generator.value(
        {"type": "object", "properties": {"createdAt": {"type": "string", "format": "date-time"}}},
        "resource|w",
    )
    assert full["createdAt"] == small["createdAt"]


def test_a_contradictory_schema_raises_instead_of_serving_garbage() -> None:
    with pytest.raises(GenerationError):
        _generator(CONTRACTS[0]).value({"type": "integer", "minimum": 5, "maximum": 1}, "x")


def test_a_placeholder_schema_accepts_what_is_generated() -> None:
    value = _generator(CONTRACTS[0]).value({"$ref": "#/components/schemas/Truncated"}, "t")
    assert violations(CONTRACTS[0], {"$ref": "#/components/schemas/Truncated"}, value) == []
