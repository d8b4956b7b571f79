"""Facts about the real vendored Domino page, as VENDOR-DOCS.md §6-7 measured them."""

from __future__ import annotations

from collections import Counter

import pytest

from mlops_conformance.extract.domino import parse_domino
from mlops_conformance.extract.model import Document, Operation
from mlops_conformance.resources import sources_dir

PATH = "domino/rest-api.txt"
REF = "#/components/schemas/"


@pytest.fixture(scope="module")
def doc() -> Document:
    return parse_domino(PATH, (sources_dir() / PATH).read_text(encoding="utf-8"))


def _op(doc: Document, method: str, path: str) -> Operation:
    return next(op for op in doc.operations if op.key == (method, path))


def _schema(doc: Document, name: str) -> dict:
    return next(s.schema for s in doc.schemas if s.name == name)


def test_the_page_has_81_operations_on_62_paths(doc: Document) -> None:
    assert len(doc.operations) == 81
    assert len({op.path for op in doc.operations}) == 62
    assert (doc.vendor, doc.layout) == ("domino", "D")


def test_operations_carry_their_section_heading_as_tag(doc: Document) -> None:
    assert Counter(op.tag for op in doc.operations) == {
        "Projects": 18, "DatasetRw": 14, "RegisteredModels": 13, "Jobs": 9, "Environments": 6,
        "Organizations": 6, "CustomMetrics": 3, "ProjectSharedDatasets": 3, "Users": 3,
        "AsyncPredictions": 2, "Cost": 2, "ProjectsFiles": 1, "Workspaces": 1,
    }  # fmt: skip


def test_the_page_has_155_parameters_79_in_path_and_76_in_query(doc: Document) -> None:
    params = [p for op in doc.operations for p in op.parameters]
    assert Counter(p.location for p in params) == {"path": 79, "query": 76}
    assert all(p.required == (p.location == "path") for p in params)


def test_every_path_parameter_is_a_placeholder_of_its_path(doc: Document) -> None:
    for op in doc.operations:
        placeholders = {part[1:-1] for part in op.path.split("/") if part.startswith("{")}
        assert {p.name for p in op.parameters if p.location == "path"} == placeholders, op.key


def test_the_four_known_name_splitting_failures_come_out_right(doc: Document) -> None:
    names = {p.name: p.description for op in doc.operations for p in op.parameters}
    assert names["shareIdle"] == "if the idle cost will be shared"
    assert names["shareNamespaces"] == "list of namespaces to share the costs"
    assert names["projectIdsToExclude"] == "ProjectIds of datasets to exclude from result."
    assert names["projectIdsToInclude"].startswith("ProjectIds to get the datasets from.")


def test_33_operations_have_a_json_body_referring_to_a_defined_model(doc: Document) -> None:
    bodies = [op.request_body for op in doc.operations if op.request_body]
    defined = {s.name for s in doc.schemas}
    assert len(bodies) == 33
    assert all(b.schema["$ref"].removeprefix(REF) in defined for b in bodies)


def test_async_prediction_lists_413_422_and_429(doc: Document) -> None:
    op = _op(doc, "POST", "/api/modelApis/async/v1/{asyncModelId}")
    assert [r.status for r in op.responses] == ["200", "400", "401", "403", "404", "413", "422", "429", "500"]
    assert op.request_body is not None and op.request_body.schema == {"$ref": REF + "NewAsyncPredictionV1"}


def test_the_page_defines_162_models_145_objects_and_17_scalars(doc: Document) -> None:
    assert len(doc.schemas) == 162
    assert sum(1 for s in doc.schemas if "properties" in s.schema) == 145


def test_the_533_model_fields_keep_the_documented_type_counts(doc: Document) -> None:
    kinds: Counter[str] = Counter()
    for s in doc.schemas:
        for prop in s.schema.get("properties", {}).values():
            if "$ref" in prop:
                kinds["model"] += 1
            elif prop["type"] == "array" and ("x-doc-loss" in prop or "x-inferred" in prop):
                kinds["lost"] += 1
            else:
                kinds[prop["type"] + ("/" + prop["format"] if "format" in prop else "")] += 1
    assert kinds == {
        "string": 263, "model": 121, "lost": 44, "boolean": 26, "number/double": 22, "integer": 18,
        "array": 21, "object": 10, "number": 8,
    }  # fmt: skip


def test_project_results_settings_has_one_field_whose_examples_look_like_field_names(doc: Document) -> None:
    schema = _schema(doc, "ProjectResultsSettingsV1")
    assert list(schema["properties"]) == ["branch"]
    assert schema["properties"]["branch"]["example"] == "isolated"


def test_git_reference_type_keeps_the_documented_enum_case(doc: Document) -> None:
    assert _schema(doc, "GitReferenceTypeV1") == {
        "type": "string",
        "enum": ["head", "branch", "tag", "commit"],
    }


def test_a_lost_type_field_is_an_array_with_unknown_items(doc: Document) -> None:
    assert _schema(doc, "JobV1")["properties"]["projects"] == {"type": "array", "x-doc-loss": ["items"]}


def test_the_job_list_answers_the_paginated_job_envelope_by_inference(doc: Document) -> None:
    success = _op(doc, "GET", "/api/jobs/beta/jobs").responses[0]
    assert success.schema == {"$ref": REF + "PaginatedJobEnvelopeV1"}
    assert success.inferred == "domino-envelope-by-name"


def test_deprecation_and_the_beta_note_come_from_the_prose(doc: Document) -> None:
    deprecated = {op.key for op in doc.operations if op.deprecated}
    assert deprecated == {
        ("GET", "/api/datasetrw/v1/datasets"),
        ("POST", "/api/projects/beta/projects/{projectId}/copy-project"),
    }
    assert (
        sum(
            1
            for op in doc.operations
            if op.description.endswith("This is a beta endpoint with known limitations.")
        )
        == 28
    )


def test_sources_point_at_the_method_and_model_name_lines(doc: Document) -> None:
    assert _op(doc, "POST", "/api/modelApis/async/v1/{asyncModelId}").source.line == 13
    assert next(s for s in doc.schemas if s.name == "AsyncPredictionEnvelopeV1").source.line == 2091


def test_the_only_documentation_issues_are_the_two_object_placeholders(doc: Document) -> None:
    assert [(i.kind, i.source.line) for i in doc.issues] == [
        ("example-unparsed", 2469),
        ("example-unparsed", 3784),
    ]
    assert doc.examples_failed == 2
