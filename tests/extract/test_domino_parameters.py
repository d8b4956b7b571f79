"""Splitting Domino's glued ``<name><description><type><in>`` parameter rows, and their spilled examples."""

from __future__ import annotations

import pytest

from mlops_conformance.errors import ExtractionError
from mlops_conformance.extract.domino import parse_domino
from mlops_conformance.extract.model import NO_EXAMPLE, Parameter

MODELS = "Models\n\nThingV1\n\nField NameRequiredTypeDescriptionExample\nid\nString\n"


def _page(path: str, rows: str) -> str:
    return (
        "REST API reference\n\nEndpoints\n\nThings\n\nList things\n\nGET\n\n"
        f"{path}\n\nDescription\n\nList things.\n\nParameters\nNameDescriptionRequiredTypeInExample\n"
        f"{rows.strip()}\nResponses\nCodeMessageDatatype\n200Success\n\n{MODELS}"
    )


def _params(rows: str, path: str = "/api/things/v1/things") -> list[Parameter]:
    return parse_domino("domino/t.txt", _page(path, rows)).operations[0].parameters


def _split(rows: str, path: str = "/api/things/v1/things") -> list[tuple[str, str]]:
    return [(p.name, p.description) for p in _params(rows, path)]


def test_a_query_name_ends_before_the_first_capitalised_word() -> None:
    assert _split(
        "offsetHow many Things from the start to skip.integerquery\nnameFilterOptional value.stringquery"
    ) == [
        ("offset", "How many Things from the start to skip."),
        ("nameFilter", "Optional value."),
    ]


def test_a_description_may_open_with_an_acronym() -> None:
    assert _split("projectIdID of the project.stringquery") == [("projectId", "ID of the project.")]


def test_compound_capitals_inside_a_name_do_not_end_it() -> None:
    assert _split("memberToRemoveIdId of user to remove.stringquery") == [
        ("memberToRemoveId", "Id of user to remove.")
    ]


def test_a_path_name_is_the_placeholder_prefixing_the_cell() -> None:
    rows = "asyncModelIdId of Async Modelstringpath\nasyncPredictionIdId of Async Predictionstringpath"
    assert _split(rows, "/api/async/v1/{asyncModelId}/{asyncPredictionId}") == [
        ("asyncModelId", "Id of Async Model"),
        ("asyncPredictionId", "Id of Async Prediction"),
    ]


def test_a_lower_case_description_is_split_at_a_stop_word() -> None:
    rows = "shareIdleif the idle cost will be sharedbooleanquery\nshareNamespaceslist of namespaces to share the costsstringquery"
    assert _split(rows) == [
        ("shareIdle", "if the idle cost will be shared"),
        ("shareNamespaces", "list of namespaces to share the costs"),
    ]


def test_names_mentioned_elsewhere_split_camel_case_descriptions() -> None:
    rows = (
        "projectIdsToExcludeProjectIds of datasets to exclude from result.arrayquery\n"
        "projectIdsToIncludeProjectIds to get the datasets from. Should not be passed in if projectIdsToExclude is "
        "and vice versa.arrayquery"
    )
    assert [name for name, _ in _split(rows)] == ["projectIdsToExclude", "projectIdsToInclude"]


def test_an_unsplittable_cell_is_an_error_at_its_line() -> None:
    text = _page("/api/things/v1/things", "nocapitalsatall here stringquery")
    with pytest.raises(ExtractionError) as info:
        parse_domino("domino/t.txt", text)
    assert info.value.line == text.split("\n").index("nocapitalsatall here stringquery") + 1


def test_a_path_row_naming_no_placeholder_is_an_error() -> None:
    with pytest.raises(ExtractionError, match="placeholder"):
        _params("thingIdId of thingstringpath", "/api/things/v1/things/{otherId}")


def test_a_row_with_an_unknown_location_after_a_good_row_is_an_error_not_an_example() -> None:
    with pytest.raises(ExtractionError, match="matches no"):
        _params("offsetHow many to skip.integerquery\nlimitMax number to fetch.integerbody")


def test_types_map_to_schemas_and_lost_types_are_marked() -> None:
    rows = "idsProjectIds to get.arrayquery\nminimumPermissionFilter for permission.Undefinedquery\nscoreA score.numberquery"
    assert [p.schema for p in _params(rows)] == [
        {"type": "array", "x-doc-loss": ["items"]},
        {"x-doc-loss": ["type"]},
        {"type": "number"},
    ]


def test_only_path_parameters_are_required() -> None:
    params = _params(
        "thingIdId of thingstringpath\nverboseWhether to talk.booleanquery", "/api/things/v1/things/{thingId}"
    )
    assert [p.required for p in params] == [True, False]


def test_a_single_spilled_line_is_the_example_typed_to_the_parameter() -> None:
    params = _params(
        "offsetNumber to skip.integerquery\n2\ntagFilterTag to filter by.stringquery\nMyTag\nflagA flag.booleanquery"
    )
    assert [p.example for p in params] == [2, "MyTag", NO_EXAMPLE]


def test_an_enum_like_spill_is_not_an_enum_but_an_example_and_a_listing() -> None:
    (param,) = _params(
        'sortByField to sort Jobs by. Defaults to "number".stringquery\nnumber\ntitle\ncommand'
    )
    assert param.example == "number"
    assert "enum" not in param.schema
    assert (
        param.description
        == 'Field to sort Jobs by. Defaults to "number".\n\nExamples: number, title, command.'
    )


def test_literal_defaults_in_prose_become_typed_schema_defaults() -> None:
    rows = (
        "offsetHow many to skip. Defaults to 0.integerquery\n"
        "limitMax number to fetch. Defaults to 20integerquery\n"
        "ascendingWhether to sort ascending. Defaults to False.booleanquery\n"
        'statusFilterStatus to fetch. Defaults to "all".stringquery\n'
        "commitIdCommit to use. Defaults to head commitId for the project.stringquery"
    )
    assert [p.schema.get("default", "-") for p in _params(rows)] == [0, 20, False, "all", "-"]


def test_an_example_that_is_not_of_the_parameter_type_is_reported_not_kept() -> None:
    text = _page("/api/things/v1/things", "limitMax number.integerquery\nten")
    doc = parse_domino("domino/t.txt", text)
    assert doc.operations[0].parameters[0].example is NO_EXAMPLE
    assert [(i.kind, i.source.line) for i in doc.issues] == [
        ("example-unparsed", text.split("\n").index("ten") + 1)
    ]
    assert doc.examples_failed == 1
