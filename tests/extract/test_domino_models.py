"""Domino model blocks: object fields, lost types, example-or-field ambiguity, scalar models."""

from __future__ import annotations

from textwrap import dedent

import pytest

from mlops_conformance.errors import ExtractionError
from mlops_conformance.extract.domino import parse_domino
from mlops_conformance.extract.model import Document

REF = "#/components/schemas/"


def _page(models: str) -> str:
    return f"REST API reference\n\nEndpoints\n\nThings\n\nModels\n\n{dedent(models).strip()}\n"


def _doc(models: str) -> Document:
    return parse_domino("domino/m.txt", _page(models))


def _schemas(models: str) -> dict[str, dict]:
    return {s.name: s.schema for s in _doc(models).schemas}


def _obj(name: str, body: str) -> str:
    return f"{name}\n\nField NameRequiredTypeDescriptionExample\n{dedent(body).strip()}\n\n"


def test_fields_read_type_description_and_single_examples() -> None:
    schemas = _schemas(
        _obj(
            "ComputeClusterConfigV1",
            """
            computeEnvironmentId
            StringId of compute environment to use.
            623139857a0af0281c01a6a4
            maxWorkerCount
            IntegerMax number of workers.
            10
            memoryGiB
            Double
            ratio
            NumberA ratio.
            0.73
            ready
            BooleanWhether it is ready.
            """,
        )
    )
    assert schemas["ComputeClusterConfigV1"] == {
        "type": "object",
        "properties": {
            "computeEnvironmentId": {"type": "string", "description": "Id of compute environment to use.", "example": "623139857a0af0281c01a6a4"},
            "maxWorkerCount": {"type": "integer", "description": "Max number of workers.", "example": 10},
            "memoryGiB": {"type": "number", "format": "double"},
            "ratio": {"type": "number", "description": "A ratio.", "example": 0.73},
            "ready": {"type": "boolean", "description": "Whether it is ready."},
        },
    }  # fmt: skip


def test_model_names_match_longest_first() -> None:
    schemas = _schemas(
        _obj("CostAssetsV1", "name\nString")
        + _obj("CostAssetsV1Window", "minutes\nDouble")
        + _obj("HolderV1", "asset\nCostAssetsV1\nwindow\nCostAssetsV1WindowThe window.")
    )
    assert schemas["HolderV1"]["properties"] == {
        "asset": {"$ref": REF + "CostAssetsV1"},
        "window": {"$ref": REF + "CostAssetsV1Window", "description": "The window."},
    }


def test_list_types_take_their_description_from_the_next_line_and_list_of_prose_is_not_a_type() -> None:
    schemas = _schemas(
        _obj("TagV1", "name\nString")
        + _obj(
            "DatasetV1",
            """
            snapshotIds
            List of string
            List of snapshot IDs belonging to this dataset
            tags
            List of TagV1
            """,
        )
    )
    assert schemas["DatasetV1"]["properties"] == {
        "snapshotIds": {"type": "array", "items": {"type": "string"}, "description": "List of snapshot IDs belonging to this dataset"},
        "tags": {"type": "array", "items": {"$ref": REF + "TagV1"}},
    }  # fmt: skip


def test_bare_names_between_anchored_fields_are_lost_type_arrays() -> None:
    schemas = _schemas(
        _obj(
            "JobV1",
            """
            collaborators
            List of collaborators, if any
            computeCluster
            Object
            datasetMounts
            dominoStats
            id
            String
            """,
        )
    )
    props = schemas["JobV1"]["properties"]
    assert list(props) == ["collaborators", "computeCluster", "datasetMounts", "dominoStats", "id"]
    assert props["collaborators"] == {
        "type": "array",
        "x-doc-loss": ["items"],
        "description": "List of collaborators, if any",
    }
    assert props["datasetMounts"] == {"type": "array", "x-doc-loss": ["items"]}


def test_identifier_examples_are_told_from_fields_by_ascii_order_and_plurals() -> None:
    schemas = _schemas(
        _obj("ProjectResultsSettingsV1", "branch\nString\nisolated\nmain")
        + _obj("SnapshotV1", "status\nString\nactive\nmarkForDeletion\ndeleted")
        + _obj("LogsV1", "isComplete\nBooleanWhether complete.\nlogContent\nproblem\nStringWhat went wrong.")
        + _obj(
            "OrgV1",
            "id\nString\n623132867a0af0281c01a69c\nmembers\nList of the organization members.\nname\nString",
        )
    )
    assert schemas["ProjectResultsSettingsV1"]["properties"] == {
        "branch": {"type": "string", "example": "isolated", "description": "Examples: isolated, main."}
    }
    assert list(schemas["SnapshotV1"]["properties"]) == ["status"]
    assert list(schemas["LogsV1"]["properties"]) == ["isComplete", "logContent", "problem"]
    assert schemas["OrgV1"]["properties"]["members"]["description"] == "List of the organization members."
    assert schemas["OrgV1"]["properties"]["id"]["example"] == "623132867a0af0281c01a69c"


def test_a_boolean_example_is_never_taken_for_a_lost_field() -> None:
    schemas = _schemas(_obj("FlagsV1", "isOn\nBooleanWhether on.\ntrue\nzone\nString"))
    assert schemas["FlagsV1"]["properties"]["isOn"] == {
        "type": "boolean",
        "description": "Whether on.",
        "example": True,
    }
    assert list(schemas["FlagsV1"]["properties"]) == ["isOn", "zone"]


def test_a_field_name_may_contain_a_space() -> None:
    schemas = _schemas(
        _obj(
            "ProjectV1",
            """
            id
            StringProject ID
            internal tags
            List of string
            Optional list of strings containing internal tags of project
            restricted
            mainRepository
            String
            """,
        )
    )
    assert schemas["ProjectV1"]["properties"]["internal tags"] == {
        "type": "array",
        "items": {"type": "string"},
        "description": "Optional list of strings containing internal tags of project",
        "example": ["restricted"],
    }


def test_glued_object_ids_become_a_list_example() -> None:
    schemas = _schemas(
        _obj(
            "NewJobV1",
            "mountIds\nList of string\nIds to mount.\n6231327c7a0af0281c01a69b623132867a0af0281c01a69c",
        )
    )
    assert schemas["NewJobV1"]["properties"]["mountIds"]["example"] == [
        "6231327c7a0af0281c01a69b",
        "623132867a0af0281c01a69c",
    ]


def test_a_lost_item_model_is_guessed_only_when_one_model_fits() -> None:
    schemas = _schemas(
        _obj("DatasetMountV1", "id\nString")
        + _obj("JobV1", "datasetMounts\nprojects\ntitle\nString")
        + _obj("MountedProjectV1", "id\nString")
        + _obj("ProjectV1", "id\nString")
    )
    props = schemas["JobV1"]["properties"]
    assert props["datasetMounts"] == {
        "type": "array",
        "items": {"$ref": REF + "DatasetMountV1"},
        "x-inferred": "item-model-by-field-name",
    }
    assert props["projects"] == {"type": "array", "x-doc-loss": ["items"]}


def test_an_envelope_with_one_lost_field_holds_its_own_item_model() -> None:
    schemas = _schemas(_obj("CostAllocationEnvelopeV1", "data") + _obj("CostAllocationV1", "name\nString"))
    assert schemas["CostAllocationEnvelopeV1"]["properties"]["data"]["items"] == {
        "$ref": REF + "CostAllocationV1"
    }
    assert (
        schemas["CostAllocationEnvelopeV1"]["properties"]["data"]["x-inferred"]
        == "item-model-by-envelope-name"
    )


def test_a_scalar_model_with_several_values_is_an_enum_in_documented_case() -> None:
    models = """
        ClusterTypeV1

        TypeDescriptionExampleFormat

        string

        Type of compute cluster

        dask
        mpi

        GitReferenceTypeV1

        TypeDescriptionExampleFormat

        string

        head
        branch
        """
    schemas = _schemas(models)
    assert schemas["ClusterTypeV1"] == {
        "type": "string",
        "description": "Type of compute cluster",
        "enum": ["dask", "mpi"],
    }
    assert schemas["GitReferenceTypeV1"] == {"type": "string", "enum": ["head", "branch"]}


def test_scalar_maps_empty_blocks_and_pattern_examples() -> None:
    models = """
        DatasetRwTagsV1

        TypeDescriptionExampleFormat

        object

        A map of tagName -> snapshotId

        [object Object]

        EnvironmentRevisionSpecV1

        TypeDescriptionExampleFormat

        string

        Which revision. Defaults to "ActiveRevision"

        ActiveRevision | LatestRevision

        PaginatedMetadataV1

        TypeDescriptionExampleFormat

        ZetaV1

        Field NameRequiredTypeDescriptionExample
        id
        String
        """
    doc = _doc(models)
    schemas = {s.name: s for s in doc.schemas}
    assert schemas["DatasetRwTagsV1"].schema == {
        "type": "object",
        "description": "A map of tagName -> snapshotId",
        "additionalProperties": True,
    }
    assert schemas["DatasetRwTagsV1"].example is None
    spec = schemas["EnvironmentRevisionSpecV1"]
    assert spec.schema == {
        "type": "string",
        "description": 'Which revision. Defaults to "ActiveRevision"\n\nExamples: ActiveRevision, LatestRevision.',
        "default": "ActiveRevision",
    }
    assert spec.example is not None and spec.example.value == "ActiveRevision"
    assert schemas["PaginatedMetadataV1"].schema == {"type": "object", "x-doc-loss": ["properties"]}
    assert [i.kind for i in doc.issues] == ["example-unparsed"]


def test_sources_are_model_name_lines_and_nothing_is_required() -> None:
    text = _page(_obj("AV1", "id\nString") + _obj("BV1", "name\nString"))
    doc = parse_domino("domino/m.txt", text)
    lines = text.split("\n")
    assert [lines[s.source.line - 1] for s in doc.schemas] == ["AV1", "BV1"]
    assert doc.schemas[0].source.line == lines.index("AV1") + 1
    assert all("required" not in s.schema and s.recovered is None and not s.placeholder for s in doc.schemas)


def test_a_model_defined_twice_is_an_error() -> None:
    with pytest.raises(ExtractionError, match="defined twice"):
        _doc(_obj("AV1", "id\nString") + _obj("AV1", "name\nString"))


def test_a_scalar_model_with_an_unknown_base_type_is_an_error_at_that_line() -> None:
    text = _page("OddV1\n\nTypeDescriptionExampleFormat\n\nstrung\n\nSomething\n")
    with pytest.raises(ExtractionError) as info:
        parse_domino("domino/m.txt", text)
    assert info.value.line == text.split("\n").index("strung") + 1
