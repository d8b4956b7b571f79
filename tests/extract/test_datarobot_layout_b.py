"""Layout B (000/002, lossy): one-token lines and upper-case enum rows deleted, names recovered."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlops_conformance.extract.datarobot import detect, parse_datarobot
from mlops_conformance.extract.model import Document, Operation, SchemaDef

FIXTURE = Path(__file__).parent / "fixtures" / "datarobot" / "layout-b.txt"
PATH = "datarobot/layout-b.txt"
REF = "#/components/schemas/"


@pytest.fixture(scope="module")
def doc() -> Document:
    text = FIXTURE.read_text(encoding="utf-8")
    return parse_datarobot(PATH, text, layout=detect(text), title="Model Management")


def op(doc: Document, method: str, path: str) -> Operation:
    return next(o for o in doc.operations if (o.method, o.path) == (method, path))


def schema(doc: Document, name: str) -> SchemaDef:
    return next(s for s in doc.schemas if s.name == name)


def test_the_excerpt_is_detected_as_layout_b(doc):
    assert doc.layout == "B"
    assert len(doc.operations) == 4


def test_every_block_is_named_by_evidence_or_forced_by_order(doc):
    assert [(s.name, s.recovered) for s in doc.schemas] == [
        ("AccessControlV2", "evidence"),
        ("Feature", "evidence"),
        ("FeatureListResponse", "evidence"),
        ("GrantAccessControlWithId", "order"),
        ("GrantAccessControlWithUsername", "order"),
        ("ModelPackageModelLogsEntry", "evidence"),
        ("ModelPackageModelLogsListResponse", "evidence"),
        ("SharedRolesUpdate", "evidence"),
        ("SharingListV2Response", "evidence"),
    ]
    assert [s.source.line for s in doc.schemas][:3] == [174, 192, 207]


def test_examples_are_rebuilt_from_indentation(doc):
    response = op(doc, "GET", "/api/v2/modelPackages/{modelPackageId}/features/").responses[0]
    assert response.example.value["data"] == [
        {
            "dateFormat": "string",
            "featureType": "string",
            "importance": 0,
            "knownInAdvance": True,
            "name": "string",
        }
    ]
    assert response.example.line == 40


def test_comma_null_notations(doc):
    props = schema(doc, "FeatureListResponse").schema["properties"]
    assert props["next"]["type"] == ["string", "null"] and props["next"]["format"] == "uri"
    assert schema(doc, "Feature").schema["properties"]["importance"]["type"] == ["number", "null"]


def test_empty_enum_table_marks_the_upper_case_property(doc):
    level = schema(doc, "ModelPackageModelLogsEntry").schema["properties"]["level"]
    assert level["x-doc-loss"] == ["enum"] and "enum" not in level
    role = schema(doc, "AccessControlV2").schema["properties"]["role"]
    assert role["x-doc-loss"] == ["enum"]
    assert doc.enums_lost == 2


def test_deprecated_in_version_prefix_marks_the_operation(doc):
    operation = op(doc, "GET", "/api/v2/modelPackages/{modelPackageId}/sharedRoles/")
    assert operation.deprecated is True
    assert operation.summary.startswith("(Deprecated in v2.32)")


def test_undefined_body_placeholder_leaves_the_body_row_in_charge(doc):
    body = op(doc, "PATCH", "/api/v2/registeredModels/{registeredModelId}/sharedRoles/").request_body
    assert body.schema == {"$ref": REF + "SharedRolesUpdate"}
    assert body.example.value["roles"][0]["username"] == "string"


def test_description_none_falls_back_to_the_reason_phrase(doc):
    response = op(doc, "GET", "/api/v2/modelPackages/{modelPackageId}/modelLogs/").responses[0]
    assert response.description == "OK"


def test_restrictions_on_following_lines(doc):
    data = schema(doc, "ModelPackageModelLogsListResponse").schema["properties"]["data"]
    assert data["maxItems"] == 100
    assert data["description"] == "Log entries."


def test_footer_is_not_taken_for_a_description(doc):
    assert all("Updated" not in s.schema.get("description", "") for s in doc.schemas)
    assert not [i for i in doc.issues if i.kind != "unnamed-schema"]


PAGE = """Things

GET /api/v2/things/

List things.

Code samples

curl -X GET \\
  -H "Accept: application/json" \\
  -H "Authorization: Bearer {access-token}"


Name In Type Required Description
kind query any false [DEPRECATED] Kind of thing. Defaults to 7
limit query integer false At most this many. Default 100.

Example responses

200 Response

  "holder": {
    "id": "string"
  "value": "a b"
Status Meaning Description Schema
200 OK none Thing

To perform this operation, you must be authenticated by means of one of the following methods:



  "id": "string"

The holder of a thing.


Name Type Required Restrictions Description
id string true The identifier.


  "holder": {
    "id": "string"
  "value": "a b"


Name Type Required Restrictions Description
holder Holder false The holder of a thing.
value any true The value.


Name Type Required Restrictions Description
» anonymous string false none


Name Type Required Restrictions Description
» anonymous [string] false none


Name Type Required Restrictions Description
zone string¦null true minimum: 0 (exclusive)
maximum: 9
Where it is.

Enumerated Values

Property Value
zone [a, null]
"""


def test_a_handwritten_b_page_nests_alternatives_and_resumes_after_them():
    doc = parse_datarobot("datarobot/things.txt", PAGE, layout="B", title="Things")
    thing = next(s for s in doc.schemas if s.name == "Thing")
    holder = next(s for s in doc.schemas if s.name == "Holder")
    assert (holder.recovered, thing.recovered) == ("evidence", "evidence")
    assert holder.schema["description"] == "The holder of a thing."
    value = thing.schema["properties"]["value"]
    assert value["anyOf"] == [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
    assert value["x-doc-loss"] == ["combinator"]
    zone = thing.schema["properties"]["zone"]
    assert zone == {
        "type": ["string", "null"],
        "exclusiveMinimum": 0,
        "maximum": 9,
        "enum": ["a", None],
        "description": "Where it is.",
    }
    assert thing.schema["required"] == ["value", "zone"]


def test_a_handwritten_b_page_reads_parameters_and_an_example_glued_to_its_table():
    doc = parse_datarobot("datarobot/things.txt", PAGE, layout="B", title="Things")
    operation = doc.operations[0]
    params = {p.name: p for p in operation.parameters}
    assert params["kind"].schema == {} and params["kind"].deprecated is True
    assert params["limit"].schema == {"type": "integer", "default": 100}
    assert operation.responses[0].example.value == {"holder": {"id": "string"}, "value": "a b"}
    assert operation.responses[0].description == "OK"
