"""Operations of the Domino layout: segmentation, tables, and where a broken page is reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlops_conformance.errors import ExtractionError
from mlops_conformance.extract.domino import parse_domino
from mlops_conformance.extract.model import Document

FIXTURE = Path(__file__).parent / "fixtures" / "domino" / "mini-page.txt"
PATH = "domino/mini-page.txt"
REF = "#/components/schemas/"


@pytest.fixture(scope="module")
def text() -> str:
    return FIXTURE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def doc(text: str) -> Document:
    return parse_domino(PATH, text)


def _line_of(text: str, needle: str) -> int:
    return text.split("\n").index(needle) + 1


def _error(text: str) -> ExtractionError:
    with pytest.raises(ExtractionError) as info:
        parse_domino(PATH, text)
    assert info.value.path == PATH
    return info.value


def test_an_operation_reads_params_body_and_responses(doc: Document) -> None:
    op = doc.operations[0]
    assert (op.method, op.path, op.tag) == (
        "POST",
        "/api/modelApis/async/v1/{asyncModelId}",
        "AsyncPredictions",
    )
    assert op.summary == "Request a prediction from an Async model"
    assert [(p.name, p.location, p.required, p.description) for p in op.parameters] == [
        ("asyncModelId", "path", True, "Id of Async Model")
    ]
    assert op.parameters[0].example == "62604702b7e5d347dbe7a909"
    body = op.request_body
    assert body is not None
    assert (body.media_type, body.schema, body.required) == (
        "application/json",
        {"$ref": REF + "NewAsyncPredictionV1"},
        False,
    )
    assert body.description == "Information for new Async Prediction"
    assert [(r.status, r.description) for r in op.responses] == [
        ("200", "Success"), ("400", "Bad Request"), ("401", "Unauthorized"), ("413", "Payload Too Large"),
        ("422", "Unprocessable Entity"), ("429", "Too Many Requests"), ("500", "Internal Server Error"),
    ]  # fmt: skip


def test_the_beta_note_is_appended_to_the_description(doc: Document) -> None:
    assert doc.operations[0].description == (
        "Request a prediction from an Async Model\n\nNote: This is a beta endpoint with known limitations."
    )


def test_the_source_is_the_method_line(doc: Document, text: str) -> None:
    assert doc.operations[1].source.line == _line_of(text, "/api/jobs/beta/jobs") - 2
    assert doc.operations[1].source.document == PATH


def test_a_summary_ending_in_deprecated_marks_the_operation(doc: Document) -> None:
    assert [op.deprecated for op in doc.operations] == [False, False, True]


def test_an_undefined_body_description_and_an_empty_description_stay_empty(doc: Document) -> None:
    op = doc.operations[2]
    assert op.description == ""
    assert op.request_body is not None and op.request_body.description == ""
    assert [(r.status, r.description) for r in op.responses] == [("201", "Created"), ("400", "Bad Request")]


def test_headings_without_operations_are_not_tags_of_any_operation(doc: Document) -> None:
    assert [op.tag for op in doc.operations] == ["AsyncPredictions", "Jobs", "Jobs"]


def test_a_method_line_without_a_path_is_reported_at_the_method(text: str) -> None:
    broken = text.replace("/api/jobs/v1/jobs\n", "api/jobs/v1/jobs\n")
    assert _error(broken).line == _line_of(text, "Start a Job. Deprecated.") + 2


def test_a_parameter_row_matching_nothing_is_reported_at_its_line(text: str) -> None:
    broken = text.replace(
        "asyncModelIdId of Async Modelstringpath", "asyncModelIdId of Async Modelstringbody"
    )
    assert _error(broken).line == _line_of(text, "asyncModelIdId of Async Modelstringpath")


def test_a_body_naming_an_undefined_model_is_reported_at_its_line(text: str) -> None:
    broken = text.replace("NewJobV1undefined NewJobV1", "NewJobV9undefined NewJobV9")
    error = _error(broken)
    assert error.line == _line_of(text, "NewJobV1undefined NewJobV1")
    assert "NewJobV9" in error.message


def test_a_page_without_endpoints_is_refused(text: str) -> None:
    assert "Endpoints" in _error(text.replace("\nEndpoints\n", "\nEndpoint list\n")).message


def test_a_page_without_models_is_reported_as_truncated(text: str) -> None:
    cut = text[: text.index("\nMonitor\n")]
    error = _error(cut)
    assert "truncated" in error.message
    assert error.line == len(cut.rstrip("\n").split("\n"))


def test_a_page_ending_inside_an_operation_is_reported(text: str) -> None:
    cut = text[: text.index("Responses\nCodeMessageDatatype\n201Created")]
    assert "truncated" in _error(cut).message


def test_a_page_ending_inside_a_model_is_reported(text: str) -> None:
    cut = text[: text.index("PaginatedMetadataV1\n\nTypeDescription")] + "PaginatedMetadataV1\n"
    error = _error(cut)
    assert error.line == len(cut.rstrip("\n").split("\n"))


def test_a_page_ending_after_an_object_model_header_is_reported(text: str) -> None:
    cut = (
        text[: text.index("PaginatedMetadataV1\n\nTypeDescription")]
        + "UserV1\n\nField NameRequiredTypeDescriptionExample\n"
    )
    assert "ends inside model UserV1" in _error(cut).message


def test_an_operation_without_responses_is_reported(text: str) -> None:
    broken = text.replace("Responses\nCodeMessageDatatype\n200Success\n404\n", "")
    assert "Responses" in _error(broken).message


def test_cutting_the_page_at_any_line_parses_or_raises_an_extraction_error(text: str) -> None:
    lines = text.split("\n")
    outcomes = set()
    for end in range(1, len(lines) + 1):
        try:
            parse_domino(PATH, "\n".join(lines[:end]))
            outcomes.add("parsed")
        except ExtractionError as error:
            assert error.path == PATH and error.line is not None
            outcomes.add("error")
    assert outcomes == {"parsed", "error"}
