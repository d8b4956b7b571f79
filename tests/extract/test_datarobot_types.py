"""The DataRobot type grammar, restrictions and enum cells (VENDOR-DOCS §3.2, §10)."""

from __future__ import annotations

import pytest

from mlops_conformance.extract.datarobot.types import (
    TypeSyntaxError,
    coerce_enum,
    enum_values,
    parse_restrictions,
    parse_type,
)

REF = "#/components/schemas/"


@pytest.mark.parametrize(
    ("cell", "schema"),
    [
        ("string", {"type": "string"}),
        ("integer", {"type": "integer"}),
        ("object", {"type": "object"}),
        ("any", {}),
        ("string(date-time)", {"type": "string", "format": "date-time"}),
        ("string(binary)", {"type": "string", "format": "binary"}),
        ("string¦null", {"type": ["string", "null"]}),
        ("string,null", {"type": ["string", "null"]}),
        ("string(uri)¦null", {"type": ["string", "null"], "format": "uri"}),
        ("string,null(uri)", {"type": ["string", "null"], "format": "uri"}),
        ("object¦null", {"type": ["object", "null"]}),
        ("[string]", {"type": "array", "items": {"type": "string"}}),
        ("array[string]", {"type": "array", "items": {"type": "string"}}),
        ("[integer]¦null", {"type": ["array", "null"], "items": {"type": "integer"}}),
        ("[array]", {"type": "array", "items": {"type": "array"}}),
        ("[Feature]", {"type": "array", "items": {"$ref": REF + "Feature"}}),
        ("Feature", {"$ref": REF + "Feature"}),
        ("Feature¦null", {"anyOf": [{"$ref": REF + "Feature"}, {"type": "null"}]}),
    ],
)
def test_type_cells_become_json_schema(cell, schema):
    assert parse_type(cell).schema == schema


def test_one_of_arrays_leave_their_items_to_the_alternatives():
    info = parse_type("[oneOf]")
    assert info.item_combinator == "oneOf"
    assert info.schema == {"type": "array", "items": {}}


def test_referenced_names_are_reported():
    assert parse_type("[AccessControlV2]").refs == ["AccessControlV2"]
    assert parse_type("string¦null").refs == []


@pytest.mark.parametrize("cell", ["str ing", "[", "string(uri"])
def test_cells_outside_the_grammar_are_refused(cell):
    with pytest.raises(TypeSyntaxError):
        parse_type(cell)


def test_exclusive_bounds_use_the_numeric_2020_12_keywords():
    keywords, conflicts = parse_restrictions("maximum: 100 (exclusive) minimum: 0 (exclusive)")
    assert keywords == {"exclusiveMaximum": 100, "exclusiveMinimum": 0}
    assert conflicts == []


def test_repeated_restrictions_collapse_and_conflicting_ones_are_reported():
    assert parse_restrictions("maxLength: 50 minLength: 1 minLength: 1") == (
        {"maxLength": 50, "minLength": 1},
        [],
    )
    keywords, conflicts = parse_restrictions("minLength: 1 minLength: 2")
    assert keywords == {"minLength": 1}
    assert conflicts == ["minLength: 1 and 2"]


def test_fractional_restrictions_stay_numbers():
    assert parse_restrictions("maximum: 0.5")[0] == {"maximum": 0.5}


def test_enum_cells_are_split_and_stripped():
    assert enum_values("[false , False , true , True ]") == ["false", "False", "true", "True"]
    assert enum_values("updateRoles") == ["updateRoles"]
    assert enum_values("[]") == []


def test_mixed_case_booleans_on_a_string_stay_strings():
    assert coerce_enum(["false", "False", "true", "True"], {"type": "string"}) == (
        ["false", "False", "true", "True"],
        [],
    )


def test_null_literal_is_kept_only_where_the_type_allows_null():
    assert coerce_enum(["a", "null"], {"type": ["string", "null"]}) == (["a", None], [])
    assert coerce_enum(["a", "null"], {"type": "string"}) == (["a"], ["null"])


def test_a_nullable_enum_admits_null_even_when_not_listed():
    assert coerce_enum(["a", "b"], {"type": ["string", "null"]}) == (["a", "b", None], [])


def test_numeric_enums_follow_their_type():
    assert coerce_enum(["1", "2"], {"type": "integer"}) == ([1, 2], [])
