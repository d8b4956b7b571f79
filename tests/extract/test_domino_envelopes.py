"""The documented rules that guess Domino response bodies from names (the page states none)."""

from __future__ import annotations

import pytest

from mlops_conformance.extract.domino import parse_domino
from mlops_conformance.extract.domino.envelopes import infer_responses
from mlops_conformance.extract.model import Operation, Parameter, Response, SchemaDef, Source
from mlops_conformance.resources import sources_dir

REF = "#/components/schemas/"
MODELS = [
    "DeleteEnvelopeV1",
    "FailureEnvelopeV1",
    "JobEnvelopeV1",
    "PaginatedJobEnvelopeV1",
    "JobV1",
    "DatasetRwEnvelopeV1",
    "PaginatedDatasetRwEnvelopeV2",
    "UserEnvelopeV1",
    "PaginatedGitCredentialsAccessorEnvelopeV1",
    "GitCredentialsAccessorV1",
    "ProjectGoalEnvelopeV1",
    "ProjectGoalsEnvelopeV1",
    "ProjectCopyResultEnvelopeV1",
    "RegisteredModelReviewUserInfoV1",
    "NewJobV1",
]


def _schemas() -> list[SchemaDef]:
    return [SchemaDef(name, {"type": "object", "properties": {}}, Source("d", 1)) for name in MODELS]


def _op(
    method: str, path: str, summary: str = "", statuses: tuple[str, ...] = ("200",), paged: bool = False
) -> Operation:
    params = [
        Parameter("offset", "query", {"type": "integer"}),
        Parameter("limit", "query", {"type": "integer"}),
    ]
    messages = {"200": "Success", "201": "Created", "204": "Updated"}
    return Operation(
        method=method,
        path=path,
        summary=summary,
        description="",
        tag="T",
        source=Source("d", 1),
        parameters=params if paged else [],
        responses=[Response(s, messages.get(s, "Error")) for s in statuses],
    )


def _infer(
    op: Operation, referenced: frozenset[str] = frozenset({"JobV1"})
) -> list[tuple[str | None, str | None]]:
    infer_responses([op], _schemas(), set(referenced))
    return [((r.schema or {}).get("$ref", "").removeprefix(REF) or None, r.inferred) for r in op.responses]


def test_a_paginated_list_answers_the_paginated_envelope() -> None:
    assert _infer(_op("GET", "/api/jobs/beta/jobs", "Get Jobs for a project", paged=True)) == [
        ("PaginatedJobEnvelopeV1", "domino-envelope-by-name")
    ]


def test_a_single_resource_answers_its_envelope() -> None:
    assert _infer(_op("GET", "/api/jobs/beta/jobs/{jobId}", "Get Job details")) == [
        ("JobEnvelopeV1", "domino-envelope-by-name")
    ]


def test_the_version_segment_selects_the_model_version() -> None:
    assert _infer(_op("GET", "/api/datasetrw/v2/datasets", "Get datasets", paged=True)) == [
        ("PaginatedDatasetRwEnvelopeV2", "domino-envelope-by-name")
    ]


def test_models_referenced_by_fields_or_bodies_are_never_response_candidates() -> None:
    op = _op("GET", "/api/jobs/beta/jobs/{jobId}", "Get Job details")
    assert _infer(op, frozenset({"JobV1", "JobEnvelopeV1"})) == [(None, None)]


def test_error_statuses_answer_the_failure_envelope_and_204_nothing() -> None:
    op = _op("PATCH", "/api/jobs/beta/jobs/{jobId}", "Update a job", statuses=("204", "400", "500"))
    assert _infer(op) == [
        (None, None),
        ("FailureEnvelopeV1", "domino-failure-envelope"),
        ("FailureEnvelopeV1", "domino-failure-envelope"),
    ]


def test_a_delete_answers_the_delete_envelope() -> None:
    assert _infer(_op("DELETE", "/api/jobs/beta/jobs/{jobId}", "Delete a job")) == [
        ("DeleteEnvelopeV1", "domino-delete-envelope")
    ]


def test_a_stream_message_gets_a_binary_body_of_any_media_type() -> None:
    op = _op("GET", "/api/projects/beta/projects/{projectId}/files/{commitId}/{path}/content")
    op.responses[0].description = "Success. It returns a stream of data with the file content."
    infer_responses([op], _schemas(), set())
    response = op.responses[0]
    assert (response.media_type, response.schema, response.inferred) == (
        "*/*",
        {"type": "string", "format": "binary"},
        "domino-stream-response",
    )


def test_a_trailing_word_that_names_nothing_falls_back_to_the_literal_before_it() -> None:
    assert _infer(_op("GET", "/api/users/v1/self", "Get the current user")) == [
        ("UserEnvelopeV1", "domino-envelope-by-name")
    ]


def test_a_placeholder_that_is_not_an_item_id_keeps_the_path_a_collection() -> None:
    op = _op("GET", "/api/users/beta/credentials/{userId}", "Get git credential accessor for a User")
    assert _infer(op) == [("PaginatedGitCredentialsAccessorEnvelopeV1", "domino-envelope-by-name")]


def test_a_plural_envelope_answers_a_collection_and_a_singular_one_an_item() -> None:
    listing = _op("GET", "/api/projects/v1/projects/{projectId}/goals", "Get goals in this project")
    update = _op(
        "PATCH", "/api/projects/v1/projects/{projectId}/goals/{goalId}", "Update project goal status"
    )
    assert _infer(listing) == [("ProjectGoalsEnvelopeV1", "domino-envelope-by-name")]
    assert _infer(update) == [("ProjectGoalEnvelopeV1", "domino-envelope-by-name")]


def test_one_unmentioned_word_is_tolerated_and_two_are_not() -> None:
    copy = _op(
        "POST", "/api/projects/v1/projects/{projectId}/copy-project", "Create a new project by copying"
    )
    review = _op(
        "POST",
        "/api/registeredmodels/beta/{modelName}/versions/{version}/reviews",
        "Create a review",
        statuses=("201",),
    )
    assert _infer(copy) == [("ProjectCopyResultEnvelopeV1", "domino-envelope-by-name")]
    assert _infer(review) == [(None, None)]


def test_request_side_models_are_never_responses() -> None:
    assert _infer(_op("POST", "/api/jobs/v1/jobs", "Start a Job"), frozenset()) == [
        ("JobEnvelopeV1", "domino-envelope-by-name")
    ]


@pytest.fixture(scope="module")
def real_operations() -> list[Operation]:
    path = "domino/rest-api.txt"
    return parse_domino(path, (sources_dir() / path).read_text(encoding="utf-8")).operations


def test_on_the_real_page_all_but_four_operations_get_an_inferred_success_body(
    real_operations: list[Operation],
) -> None:
    missing = {
        op.key
        for op in real_operations
        if not any(r.inferred for r in op.responses if r.status.startswith("2"))
    }
    assert missing == {
        ("POST", "/api/metricAlerts/v1"),
        ("POST", "/api/registeredmodels/beta/{modelName}/versions/{version}/reviews"),
        ("PATCH", "/api/registeredmodels/beta/{modelName}/versions/{version}/reviews/{modelReviewId}"),
        (
            "POST",
            "/api/registeredmodels/beta/{modelName}/versions/{version}/reviews/{modelReviewId}/responses",
        ),
    }


def test_on_the_real_page_every_error_status_answers_the_failure_envelope(
    real_operations: list[Operation],
) -> None:
    errors = [r for op in real_operations for r in op.responses if int(r.status) >= 400]
    assert len(errors) == 389
    assert all(r.schema == {"$ref": REF + "FailureEnvelopeV1"} for r in errors)
