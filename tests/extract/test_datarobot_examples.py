"""Reading examples whose braces the scrape deleted: by indentation (B) and by schema (C)."""

from __future__ import annotations

import pytest

from mlops_conformance.extract.datarobot.examples import (
    Unparsable,
    parse_json,
    parse_yaml,
    rebuild_guided,
    rebuild_indented,
)

REF = "#/components/schemas/"


def test_indented_lines_rebuild_nested_objects_and_arrays_of_objects():
    lines = [
        '  "count": 0,',
        '  "data": [',
        '      "created": {',
        '        "email": "string",',
        '        "id": "string"',
        '      "name": "a b"',
        '  "next": "",',
        '  "totalCount": 0',
    ]
    rebuilt = rebuild_indented(lines)
    assert rebuilt.value == {
        "count": 0,
        "data": [{"created": {"email": "string", "id": "string"}, "name": "a b"}],
        "next": "",
        "totalCount": 0,
    }
    assert rebuilt.lost == []


def test_arrays_whose_one_token_items_were_deleted_are_empty_and_reported():
    lines = ['  "binary": [', '  "regression": [', '    "FVE Poisson"', '  "samplePcts": [']
    rebuilt = rebuild_indented(lines)
    assert rebuilt.value == {"binary": [], "regression": ["FVE Poisson"], "samplePcts": []}
    assert rebuilt.lost == [("binary",), ("samplePcts",)]


def test_merged_array_items_are_split_at_the_repeated_key():
    lines = ['  "items": [', '      "id": "a",', '      "v": 1', '      "id": "b",', '      "v": 2']
    assert rebuild_indented(lines).value == {"items": [{"id": "a", "v": 1}, {"id": "b", "v": 2}]}


def test_a_root_array_of_objects_sits_at_indent_four():
    assert rebuild_indented(['    "id": "a",', '    "v": 1']).value == [{"id": "a", "v": 1}]


def test_indentation_that_fits_nowhere_is_unparsable():
    with pytest.raises(Unparsable):
        rebuild_indented(['  "a": 1,', ' "b": 2'])


SCHEMAS = {
    "List": {
        "type": "object",
        "properties": {
            "count": {"type": "integer"},
            "data": {"type": "array", "items": {"$ref": REF + "Item"}},
            "next": {"type": ["string", "null"]},
        },
    },
    "Item": {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "owner": {"$ref": REF + "Unknown"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "zone": {"type": "string"},
        },
    },
}


class Resolver:
    """A tiny stand-in for the parser's resolver: known schemas by name, anything else unknown."""

    def resolve(self, schema):
        while schema is not None and "$ref" in schema:
            schema = SCHEMAS.get(schema["$ref"].rsplit("/", 1)[1])
        return schema

    def keys(self, schema):
        resolved = self.resolve(schema)
        if resolved is None:
            return None
        if "properties" in resolved:
            return list(resolved["properties"])
        return []

    def child(self, schema, key):
        resolved = self.resolve(schema)
        if resolved is None:
            return None
        if key is None:
            return resolved.get("items")
        return resolved.get("properties", {}).get(key)


def guided(lines, name="List"):
    resolver = Resolver()
    return rebuild_guided(lines, {"$ref": REF + name}, resolver.keys, resolver.child)


def test_flat_lines_are_nested_by_the_schemas_key_order():
    lines = [
        '"count": 0,',
        '"data": [',
        '"id": "string",',
        '"owner": {',
        '"email": "string",',
        '"name": "string"',
        '"tags": [',
        '"zone": "eu"',
        '"next": ""',
    ]
    rebuilt = guided(lines)
    assert rebuilt.value == {
        "count": 0,
        "data": [{"id": "string", "owner": {"email": "string", "name": "string"}, "tags": [], "zone": "eu"}],
        "next": "",
    }
    assert rebuilt.lost == [("data", "tags")]


def test_an_unknown_object_cannot_swallow_the_key_its_known_parent_expects():
    lines = ['"id": "x",', '"owner": {', '"a": 1,', '"tags": [', '"zone": "z"']
    assert guided(lines, "Item").value == {"id": "x", "owner": {"a": 1}, "tags": [], "zone": "z"}


def test_a_key_two_unknown_objects_could_take_is_left_unparsed():
    lines = ['"a": {', '"b": 1,', '"c": 2']
    with pytest.raises(Unparsable, match="more than one object"):
        guided(lines, "Nothing")


def test_a_key_out_of_the_tables_order_is_unparsable():
    with pytest.raises(Unparsable):
        guided(['"next": "",', '"count": 0'])


def test_an_array_schema_wraps_the_lines_in_a_list():
    resolver = Resolver()
    schema = {"type": "array", "items": {"$ref": REF + "Item"}}
    rebuilt = rebuild_guided(
        ['"id": "a",', '"owner": {}', '"tags": [', '"zone": "b"'], schema, resolver.keys, resolver.child
    )
    assert rebuilt.value == [{"id": "a", "owner": {}, "tags": [], "zone": "b"}]


def test_json_and_yaml_examples():
    assert parse_json(["{", '  "a": [1, 2]', "}"]).value == {"a": [1, 2]}
    yaml_lines = ['isMajorUpdate: "false"', "gitModelVersion:", "  pullRequestCommitSha: null", "replicas: 0"]
    assert parse_yaml(yaml_lines).value == {
        "isMajorUpdate": "false",
        "gitModelVersion": {"pullRequestCommitSha": None},
        "replicas": 0,
    }
    with pytest.raises(Unparsable):
        parse_json(['"a": 1'])
    with pytest.raises(Unparsable):
        parse_yaml(["- just a list"])
