"""Layout A (003, full): an excerpt of the Custom Models page with every construct A has."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlops_conformance.extract.datarobot import detect, parse_datarobot
from mlops_conformance.extract.model import Document, Operation, SchemaDef

FIXTURE = Path(__file__).parent / "fixtures" / "datarobot" / "layout-a.txt"
PATH = "datarobot/layout-a.txt"
REF = "#/components/schemas/"


@pytest.fixture(scope="module")
def doc() -> Document:
    text = FIXTURE.read_text(encoding="utf-8")
    return parse_datarobot(PATH, text, layout=detect(text), title="Custom Models")


def op(doc: Document, method: str, path: str) -> Operation:
    return next(o for o in doc.operations if (o.method, o.path) == (method, path))


def schema(doc: Document, name: str) -> SchemaDef:
    return next(s for s in doc.schemas if s.name == name)


def test_the_excerpt_is_detected_as_layout_a(doc):
    assert doc.layout == "A"
    assert (doc.vendor, doc.title, doc.path) == ("datarobot", "Custom Models", PATH)
    assert [o.source.line for o in doc.operations] == [9, 102, 196, 227, 269]


def test_parameter_enums_attach_by_name_and_to_array_items(doc):
    params = {p.name: p for p in op(doc, "GET", "/api/v2/customJobs/").parameters}
    assert params["onlyRunning"].schema == {"type": "string", "enum": ["false", "False", "true", "True"]}
    assert params["jobType"].schema["items"]["enum"] == [
        "default",
        "hostedCustomMetric",
        "notification",
        "retraining",
    ]
    assert params["offset"].required is True and params["search"].required is False


def test_json_body_example_and_ref_schema(doc):
    body = op(doc, "POST", "/api/v2/customJobs/").request_body
    assert body.media_type == "application/json"
    assert body.schema == {"$ref": REF + "CreateCustomJob"}
    assert body.example.line == 116
    assert body.example.value["resources"] == {"egressNetworkPolicy": "none", "resourceBundleId": "string"}


def test_response_example_attaches_to_its_status(doc):
    responses = op(doc, "POST", "/api/v2/customJobs/").responses
    assert [(r.status, r.description) for r in responses] == [
        ("201", "Created."),
        ("403", "Custom jobs are not enabled."),
        ("422", "Input parameters are invalid."),
    ]
    assert responses[0].example.value["items"][0]["repositoryName"] == "string"
    assert responses[1].schema is None and responses[1].example is None


def test_response_header_without_format_cell(doc):
    response = op(doc, "GET", "/api/v2/customJobs/{customJobId}/runs/{customJobRunId}/logs/").responses[0]
    header = response.headers[0]
    assert (header.name, header.schema) == ("Content-Disposition", {"type": "string"})
    assert header.description.startswith("Contains an auto generated filename")


def test_deprecated_directive_marks_the_operation(doc):
    operation = op(doc, "POST", "/api/v2/customModels/predictionExplanationsInitialization/")
    assert operation.deprecated is True
    assert operation.description.startswith(".. minversion:: v2.23 DEPRECATED")


def test_multipart_body_example_is_read_as_yaml(doc):
    operation = op(doc, "PATCH", "/api/v2/customModels/{customModelId}/versions/")
    body = operation.request_body
    assert body.media_type == "multipart/form-data"
    assert (
        body.example.value["gitModelVersion"]["mainBranchCommitSha"]
        == "stringstringstringstringstringstringstri"
    )
    assert body.example.value["isMajorUpdate"] == "false"
    assert operation.responses[-1].description.endswith('["errors", "dependencies", "invalidDependencies"]')
    assert operation.responses[3].description == "Item or collection of items was too large in size (bytes)."


def test_one_of_xor_continued_markers(doc):
    definition = schema(doc, "CreateCustomJob")
    props = definition.schema["properties"]
    assert props["filePath"]["oneOf"] == [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
    assert list(props)[-4:] == ["jobType", "name", "resources", "runtimeParameterValues"]
    assert definition.schema["required"] == ["name"]
    assert props["name"]["maxLength"] == 255
    assert definition.recovered is None and definition.source.line == 408


def test_any_of_or_markers_with_a_restricted_alternative(doc):
    value = schema(doc, "RuntimeParameterValue").schema["properties"]["value"]
    assert value["anyOf"][0] == {
        "type": ["string", "null"],
        "maxLength": 4096,
        "description": "The value for the given field.",
    }
    assert [alt["type"] for alt in value["anyOf"][1:]] == ["boolean", "number"]


def test_single_value_enum_row_and_array_of_one_of(doc):
    props = schema(doc, "SharedRolesUpdate").schema["properties"]
    assert props["operation"]["enum"] == ["updateRoles"]
    assert props["roles"]["items"]["oneOf"][0] == {"$ref": REF + "GrantAccessControlWithUsername"}


def test_repeated_restrictions_are_deduplicated(doc):
    sha = schema(doc, "GitModelVersion").schema["properties"]["mainBranchCommitSha"]
    assert (sha["maxLength"], sha["minLength"]) == (40, 40)


def test_referenced_names_without_a_block_become_placeholders(doc):
    placeholders = {s.name: s for s in doc.schemas if s.placeholder}
    assert set(placeholders) == {
        "CustomJobListResponse",
        "CustomJobResponse",
        "CustomModelPredictionExplanations",
        "CustomModelVersionCreateFromLatest",
        "CustomModelVersionResponse",
        "GrantAccessControlWithId",
        "GrantAccessControlWithUsername",
    }
    assert placeholders["CustomJobListResponse"].schema == {}
    assert placeholders["CustomJobListResponse"].source.line == 95


def test_footer_and_banner_are_attached_to_nothing(doc):
    last = schema(doc, "SharedRolesUpdate")
    assert "description" not in last.schema
    assert not doc.issues
    assert doc.enums_lost == 0 and (doc.examples_parsed, doc.examples_failed) == (11, 0)


def test_a_page_without_a_schemas_heading_has_no_blocks_and_bearer_auth_is_no_name():
    text = FIXTURE.read_text(encoding="utf-8").split("\nSchemas\n")[0] + "\n"
    doc = parse_datarobot(PATH, text, layout="A", title="Custom Models")
    assert len(doc.operations) == 5
    assert all(s.placeholder for s in doc.schemas)
    assert "BearerAuth" not in {s.name for s in doc.schemas}


def test_layout_detection_follows_the_headings():
    assert detect("GET /api/v2/x/\nSchemas\n") == "A"
    assert detect("GET /api/v2/x/¶\nName | In | Type | Required | Description |\nProperties\n") == "C"
    assert detect('GET /api/v2/x/\n  "a": 1\n') == "B"
