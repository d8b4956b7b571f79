"""Names only 001's inline ``Response Schema`` trees document become components, not placeholders."""

from __future__ import annotations

import pytest

from mlops_conformance.extract.datarobot import detect, parse_datarobot
from mlops_conformance.extract.model import Document, SchemaDef
from mlops_conformance.resources import sources_dir

MODELS = "datarobot/models.txt"


@pytest.fixture(scope="module")
def models() -> Document:
    text = (sources_dir() / MODELS).read_text(encoding="utf-8")
    return parse_datarobot(MODELS, text, layout=detect(text), title="Models")


def schema(doc: Document, name: str) -> SchemaDef:
    return next(s for s in doc.schemas if s.name == name)


def test_model_job_response_is_read_from_the_rows_under_the_data_row(models):
    job = schema(models, "ModelJobResponse")
    assert not job.placeholder
    assert (job.source.document, job.source.line) == (MODELS, 1720)  # » data | [ModelJobResponse]
    assert job.schema["required"] == [
        "blueprintId",
        "featurelistId",
        "id",
        "isBlocked",
        "modelCategory",
        "modelId",
        "modelType",
        "processes",
        "projectId",
        "status",
    ]
    assert job.schema["properties"]["processes"]["type"] == "array"
    assert job.schema["properties"]["status"]["enum"] == [
        "queue",
        "inprogress",
        "error",
        "ABORTED",
        "COMPLETED",
    ]


def test_model_lifecycle_is_read_from_the_first_tree_that_nests_it(models):
    lifecycle = schema(models, "ModelLifecycle")
    assert not lifecycle.placeholder
    assert lifecycle.source.line == 1934  # under GET .../models/, before GET .../ratingTableModels/
    assert lifecycle.schema["required"] == ["reason", "stage"]
    assert lifecycle.schema["properties"]["reason"]["type"] == ["string", "null"]
    assert lifecycle.schema["properties"]["stage"]["enum"] == ["active", "deprecated", "disabled"]


def test_a_root_row_documents_its_item_schema_with_restrictions(models):
    details = schema(models, "ModelDetailsResponse")
    assert details.source.line == 1920  # anonymous | [ModelDetailsResponse]
    assert "nClusters" in details.schema["properties"] and "nClusters" not in details.schema["required"]
    assert details.schema["properties"]["predictionThreshold"] == {
        "type": "number",
        "maximum": 1,
        "minimum": 0,
        "description": "threshold used for binary classification in predictions.",
    }


def test_a_lost_enum_stays_marked_on_the_recovered_component(models):
    recommended = schema(models, "RecommendedModelResponse")
    assert recommended.schema["properties"]["recommendationType"]["x-doc-loss"] == ["enum"]


def test_names_the_trees_only_reference_stay_placeholders(models):
    placeholders = [s for s in models.schemas if s.placeholder]
    assert len(placeholders) == 74
    assert all(s.schema == {} for s in placeholders)
    assert schema(models, "ModelRetrainResponse").placeholder


PAGE = """GET /api/v2/alphas/
List alphas.
Code samples
curl -X GET \\
-H "Accept: application/json"
Status | Meaning | Description | Schema |
200 | OK | The alphas. | Inline |
Response Schema¶
Status Code 200
Name | Type | Required | Restrictions | Description |
anonymous | [Alpha] | false | none | |
» beta | Beta | true | The beta. | |
»» x | integer | true | The x. | |
» gamma | Gamma | false | Only named here. | |
GET /api/v2/others/
List others.
Code samples
curl -X GET \\
-H "Accept: application/json"
Status | Meaning | Description | Schema |
200 | OK | The others. | Inline |
Response Schema¶
Status Code 200
Name | Type | Required | Restrictions | Description |
anonymous | [Other] | false | none | |
» beta | Beta | true | The beta. | |
»» x | string | true | The x. | |
To perform this operation, you must be authenticated by means of one of the following methods:
"""


@pytest.fixture(scope="module")
def page() -> Document:
    return parse_datarobot("datarobot/inline.txt", PAGE, layout="C", title="Inline")


def test_a_name_without_nested_rows_stays_a_placeholder(page):
    assert schema(page, "Gamma").placeholder
    assert schema(page, "Alpha").schema["required"] == ["beta"]


def test_two_trees_that_disagree_keep_the_first_and_report_the_second(page):
    beta = schema(page, "Beta")
    assert (beta.source.line, beta.schema["properties"]["x"]["type"]) == (12, "integer")
    disagreements = [(i.source.line, i.message) for i in page.issues if i.kind == "disagreement"]
    assert disagreements == [(26, "inline tree documents Beta unlike line 12")]
