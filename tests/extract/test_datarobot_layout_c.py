"""Layout C (001, pipes): collapsed cells, broken rows, inline response trees, a truncated tail."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlops_conformance.extract.datarobot import detect, parse_datarobot
from mlops_conformance.extract.model import Document, Operation, SchemaDef

FIXTURE = Path(__file__).parent / "fixtures" / "datarobot" / "layout-c.txt"
PATH = "datarobot/layout-c.txt"
REF = "#/components/schemas/"


@pytest.fixture(scope="module")
def doc() -> Document:
    text = FIXTURE.read_text(encoding="utf-8")
    return parse_datarobot(PATH, text, layout=detect(text), title="Models")


def op(doc: Document, method: str, path: str) -> Operation:
    return next(o for o in doc.operations if (o.method, o.path) == (method, path))


def schema(doc: Document, name: str) -> SchemaDef:
    return next(s for s in doc.schemas if s.name == name)


def test_the_excerpt_is_detected_as_layout_c_and_pilcrows_are_ignored(doc):
    assert doc.layout == "C"
    assert len(doc.operations) == 12
    assert all(not o.path.endswith("¶") for o in doc.operations)


def test_broken_status_rows_take_the_schema_cell_from_the_next_line(doc):
    operation = op(doc, "POST", "/api/v2/customInferenceImages/{imageId}/featureImpact/")
    statuses = {r.status: r for r in operation.responses}
    assert statuses["404"].schema is None
    assert statuses["404"].description.endswith("which can be used for tracking its progress.")
    assert statuses["422"].description.startswith("If job cannot be submitted")
    assert operation.deprecated is True


def test_header_rows_with_and_without_a_format_cell(doc):
    without = (
        op(doc, "POST", "/api/v2/customInferenceImages/{imageId}/featureImpact/").responses[0].headers[0]
    )
    assert (without.name, without.schema) == ("Location", {"type": "string"})
    assert without.description == "Contains a url for tracking job status: GET /api/v2/status/{statusId}/."
    with_format = op(doc, "POST", "/api/v2/projects/{projectId}/blenderModels/").responses[0].headers[0]
    assert with_format.schema == {"type": "string", "format": "uri"}


def test_enum_values_with_spaces_before_commas_are_stripped(doc):
    params = {p.name: p for p in op(doc, "GET", "/api/v2/customTrainingBlueprints/").parameters}
    assert params["reverse"].schema["enum"] == ["false", "False", "true", "True"]
    assert params["targetTypes"].schema == {
        "type": "array",
        "items": {
            "type": "string",
            "enum": [
                "Binary",
                "Regression",
                "Multiclass",
                "Anomaly",
                "Transform",
                "TextGeneration",
                "Unstructured",
                "VectorDatabase",
            ],
        },
    }


def test_feature_flags_are_kept_out_of_the_description(doc):
    operation = op(doc, "POST", "/api/v2/projects/{projectId}/incrementalLearningModels/fromModel/")
    assert operation.extensions["x-feature-flags"][0]["name"] == "INCREMENTAL_LEARNING"
    assert "INCREMENTAL_LEARNING |" not in operation.description
    assert operation.description.startswith("Notice: Endpoint is currently in [PUBLIC_PREVIEW].")


def test_inline_response_schema_nests_by_depth_with_its_enums(doc):
    response = op(doc, "GET", "/api/v2/projects/{projectId}/modelJobs/").responses[0]
    job = response.schema["items"]["properties"]["data"]["items"]
    assert response.schema["type"] == "array"
    assert response.schema["items"]["required"] == ["data"]
    assert job["properties"]["status"]["enum"] == ["queue", "inprogress", "error", "ABORTED", "COMPLETED"]
    assert "isTrainedOnGpu" not in job["required"] and "status" in job["required"]
    assert response.example.value[0]["data"][0]["processes"] == []


def test_inline_row_broken_across_lines_still_says_inline(doc):
    response = op(doc, "GET", "/api/v2/projects/{projectId}/ratingTableModels/").responses[0]
    assert response.description.endswith("ratingTableModels/(modelId)/.")
    assert response.description.startswith(
        "The response will include a json list of models in the same format as"
    )
    item = response.schema["items"]
    assert item["properties"]["predictionThreshold"]["maximum"] == 1
    assert item["properties"]["predictionThreshold"]["description"] == (
        "threshold used for binary classification in predictions."
    )
    assert item["properties"]["samplePct"]["exclusiveMinimum"] == 0


def test_restriction_cell_with_duplicates_and_description_on_the_next_line(doc):
    feature = schema(doc, "BiasMitigationModelCreate").schema["properties"]["biasMitigationFeature"]
    assert feature == {
        "type": "string",
        "minLength": 1,
        "description": "The name of the protected feature used to mitigate bias on models.",
    }


def test_an_empty_body_example_is_no_example(doc):
    body = op(doc, "POST", "/api/v2/projects/{projectId}/models/{modelId}/primeRulesets/").request_body
    assert body.schema == {"$ref": REF + "PrimeRulesetsCreatePayload"}
    assert body.example is None


def test_yaml_multipart_body(doc):
    body = op(doc, "POST", "/api/v2/projects/{projectId}/ratingTables/").request_body
    assert body.media_type == "multipart/form-data"
    assert body.example.value == {
        "parentModelId": "string",
        "ratingTableFile": "string",
        "ratingTableName": "string",
    }


def test_names_are_recovered_and_the_truncated_block_stays_unnamed(doc):
    schemas_section = max(o.source.line for o in doc.operations)
    blocks = [s for s in doc.schemas if not s.placeholder and s.source.line > schemas_section]
    assert [(s.name, s.recovered) for s in blocks] == [
        ("BaseDependencyBuildMetadataResponse", "evidence"),
        ("BiasMitigationModelCreate", "evidence"),
        ("BlenderCreate", "evidence"),
        ("Unnamed_layout_c_L474", None),
    ]
    truncated = schema(doc, "Unnamed_layout_c_L474")
    assert truncated.schema == {"type": "object", "x-doc-loss": ["properties"]}
    assert [i.source.line for i in doc.issues if i.kind == "unnamed-schema"] == [474]


def test_blender_method_enum_lost_and_model_ids_lost_their_items(doc):
    blender = schema(doc, "BlenderCreate")
    assert blender.schema["properties"]["blenderMethod"]["x-doc-loss"] == ["enum"]
    assert blender.schema["properties"]["modelIds"]["x-doc-loss"] == ["example"]
    assert "x-doc-loss" not in blender.schema
    assert blender.example.value == {"blenderMethod": "PLS", "modelIds": []}
    assert doc.enums_lost == 1


def test_guided_examples_use_the_inline_shapes_of_truncated_names(doc):
    response = op(doc, "GET", "/api/v2/projects/{projectId}/modelJobs/{jobId}/").responses[0]
    assert response.schema == {"$ref": REF + "ModelJobResponse"}
    assert schema(doc, "ModelJobResponse").source.line == 226  # the inline row, not a block
    assert response.example.value["status"] == "queue"
    assert response.example.value["processes"] == []


def test_ambiguous_examples_are_reported_with_their_line(doc):
    unparsed = [i for i in doc.issues if i.kind == "example-unparsed"]
    assert [i.source.line for i in unparsed] == [70, 474]
    assert doc.examples_failed == 2
    assert doc.examples_parsed == 15
