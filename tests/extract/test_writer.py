"""The OpenAPI writer: merging pages, provenance, pagination and example checks on small models."""

from __future__ import annotations

from mlops_conformance.extract.examples_check import check_examples
from mlops_conformance.extract.model import (
    Document,
    Example,
    Operation,
    Parameter,
    Response,
    SchemaDef,
    Source,
)
from mlops_conformance.extract.writer import annotate_pagination, build_contract, dangling_refs

REF = "#/components/schemas/"


def _list_op(
    doc: str,
    line: int,
    tag: str,
    limit_desc: str = "The number of records to return in the range from 1 to 100.",
) -> Operation:
    return Operation(
        method="GET",
        path="/api/v2/things/",
        summary="List things.",
        description="",
        tag=tag,
        source=Source(doc, line),
        parameters=[
            Parameter("offset", "query", {"type": "integer"}, False, "skip"),
            Parameter("limit", "query", {"type": "integer", "default": 100}, False, limit_desc),
        ],
        responses=[
            Response(
                "200",
                "OK",
                {"$ref": REF + "ThingList"},
                example=Example({"data": [], "next": None}, line + 5),
            )
        ],
    )


def _envelope(doc: str) -> SchemaDef:
    return SchemaDef(
        "ThingList",
        {
            "type": "object",
            "properties": {
                "data": {"type": "array", "items": {"$ref": REF + "Thing"}, "maxItems": 100},
                "next": {"type": ["string", "null"], "format": "uri"},
                "previous": {"type": ["string", "null"], "format": "uri"},
                "totalCount": {"type": "integer"},
            },
            "required": ["data", "next", "previous", "totalCount"],
        },
        Source(doc, 90),
    )


def _thing(doc: str, *, role_enum: bool) -> SchemaDef:
    role: dict = {"type": "string"}
    if role_enum:
        role["enum"] = ["OWNER", "USER"]
    else:
        role["x-doc-loss"] = ["enum"]
    return SchemaDef(
        "Thing", {"type": "object", "properties": {"role": role}}, Source(doc, 120), recovered="order"
    )


def _docs() -> list[Document]:
    lossy = Document(
        "dr/c.txt",
        "datarobot",
        "C page",
        "C",
        operations=[_list_op("dr/c.txt", 10, "C page")],
        schemas=[_envelope("dr/c.txt"), SchemaDef("Thing", {}, Source("dr/c.txt", 11), placeholder=True)],
    )
    fuller = Document(
        "dr/b.txt",
        "datarobot",
        "B page",
        "B",
        operations=[_list_op("dr/b.txt", 20, "B page")],
        schemas=[_envelope("dr/b.txt"), _thing("dr/b.txt", role_enum=False)],
    )
    full = Document("dr/a.txt", "datarobot", "A page", "A", schemas=[_thing("dr/a.txt", role_enum=True)])
    return [lossy, fuller, full]


def test_an_operation_on_two_pages_comes_out_once_from_the_more_faithful_layout() -> None:
    contract, issues = build_contract("datarobot", _docs())
    op = contract["paths"]["/api/v2/things/"]["get"]
    assert op["x-source"] == {"document": "dr/b.txt", "line": 20}
    assert op["x-also-in"] == [{"document": "dr/c.txt", "line": 10}]
    assert op["tags"] == ["B page"]
    assert not [i for i in issues if i.kind == "disagreement"]


def test_renderings_that_disagree_are_reported_against_the_docs() -> None:
    docs = _docs()
    docs[0].operations[0].parameters[1].schema = {"type": "integer", "default": 50}
    _, issues = build_contract("datarobot", docs)
    [issue] = [i for i in issues if i.kind == "disagreement"]
    assert issue.source == Source("dr/c.txt", 10)
    assert "dr/b.txt:20" in issue.message


def test_a_placeholder_never_replaces_a_real_schema_and_a_lost_enum_is_taken_from_another_page() -> None:
    contract, _ = build_contract("datarobot", _docs())
    thing = contract["components"]["schemas"]["Thing"]
    assert "x-placeholder" not in thing
    assert thing["properties"]["role"]["enum"] == ["OWNER", "USER"]
    assert "x-doc-loss" not in thing["properties"]["role"]
    assert thing["x-name-recovered"] == "order"


def test_pagination_is_annotated_from_parameters_and_the_envelope() -> None:
    contract, _ = build_contract("datarobot", _docs())
    annotate_pagination("datarobot", contract)
    assert contract["paths"]["/api/v2/things/"]["get"]["x-pagination"] == {
        "style": "offset",
        "offset": "offset",
        "limit": "limit",
        "items": "data",
        "total": "totalCount",
        "next": "next",
        "previous": "previous",
        "maxLimit": 100,
        "defaultLimit": 100,
    }


def test_an_example_that_fails_its_own_schema_is_a_documentation_issue_with_its_line() -> None:
    contract, _ = build_contract("datarobot", _docs())
    issues = check_examples(contract)
    [issue] = issues
    assert issue.kind == "example-mismatch"
    assert issue.source == Source("dr/b.txt", 25)
    assert "'previous' is a required property" in issue.message or "required" in issue.message


def test_every_reference_resolves_or_is_listed() -> None:
    contract, _ = build_contract("datarobot", _docs())
    assert dangling_refs(contract) == []
    contract["components"]["schemas"].pop("Thing")
    assert dangling_refs(contract) == [REF + "Thing"]
