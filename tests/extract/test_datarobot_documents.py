"""Facts read from the four real DataRobot pages (VENDOR-DOCS §7-§8 measured them by hand)."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from mlops_conformance.extract.datarobot import detect, parse_datarobot
from mlops_conformance.extract.model import Document, Operation, SchemaDef
from mlops_conformance.resources import sources_dir

PAGES = (
    ("datarobot/custom-models.txt", "Custom Models"),
    ("datarobot/model-management.txt", "Model Management"),
    ("datarobot/models.txt", "Models"),
    ("datarobot/use-cases.txt", "Use Cases"),
)
USE_CASES, MODELS, MANAGEMENT, CUSTOM = (
    "datarobot/use-cases.txt",
    "datarobot/models.txt",
    "datarobot/model-management.txt",
    "datarobot/custom-models.txt",
)


@pytest.fixture(scope="module")
def docs() -> dict[str, Document]:
    """Parsed in the extractor's order, full pages first, so lossy pages can borrow names."""
    references: dict[str, SchemaDef] = {}
    out: dict[str, Document] = {}
    for path, title in PAGES:
        text = (sources_dir() / path).read_text(encoding="utf-8")
        document = parse_datarobot(path, text, layout=detect(text), title=title, reference_schemas=references)
        out[path] = document
        for schema in document.schemas:
            if not schema.placeholder and not schema.name.startswith("Unnamed_"):
                references.setdefault(schema.name, schema)
    return out


def op(doc: Document, key: str) -> Operation:
    method, path = key.split(" ", 1)
    return next(o for o in doc.operations if o.method == method and o.path == path)


def schema(doc: Document, name: str) -> SchemaDef:
    return next(s for s in doc.schemas if s.name == name)


def named(doc: Document) -> list[SchemaDef]:
    return [s for s in doc.schemas if not s.placeholder and not s.name.startswith("Unnamed_")]


# --- all four pages -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "layout", "operations"),
    [(USE_CASES, "B", 28), (MODELS, "C", 104), (MANAGEMENT, "B", 19), (CUSTOM, "A", 57)],
)
def test_each_page_yields_its_measured_number_of_operations(docs, path, layout, operations):
    assert docs[path].layout == layout
    assert len(docs[path].operations) == operations
    assert len({o.key for o in docs[path].operations}) == operations


@pytest.mark.parametrize(
    ("path", "status_rows", "header_rows"),
    [(USE_CASES, 53, 0), (MODELS, 188, 26), (MANAGEMENT, 35, 0), (CUSTOM, 139, 15)],
)
def test_every_status_row_and_response_header_row_is_read(docs, path, status_rows, header_rows):
    responses = [r for o in docs[path].operations for r in o.responses]
    assert len(responses) == status_rows
    assert sum(len(r.headers) for r in responses) == header_rows


@pytest.mark.parametrize(
    ("path", "query", "path_params", "bodies"),
    [(USE_CASES, 91, 30, 7), (MODELS, 150, 146, 32), (MANAGEMENT, 81, 17, 4), (CUSTOM, 45, 66, 20)],
)
def test_every_parameter_row_is_read(docs, path, query, path_params, bodies):
    locations = Counter(p.location for o in docs[path].operations for p in o.parameters)
    assert locations == {"query": query, "path": path_params}
    assert sum(1 for o in docs[path].operations if o.request_body) == bodies


@pytest.mark.parametrize(("path", "deprecated"), [(USE_CASES, 0), (MODELS, 10), (MANAGEMENT, 3), (CUSTOM, 3)])
def test_deprecated_operations_are_read_from_the_prose(docs, path, deprecated):
    assert sum(o.deprecated for o in docs[path].operations) == deprecated


def test_operations_carry_the_page_title_as_tag_and_their_source_line(docs):
    for path, title in PAGES:
        for operation in docs[path].operations:
            assert operation.tag == title
            assert operation.source.document == path
            line = (sources_dir() / path).read_text(encoding="utf-8").split("\n")[operation.source.line - 1]
            assert line.startswith(f"{operation.method} {operation.path}")


@pytest.mark.parametrize(
    ("path", "blocks", "evidence", "order", "unnamed", "inline", "placeholders"),
    [
        (USE_CASES, 66, 55, 11, 0, 0, 0),
        (MANAGEMENT, 37, 35, 2, 0, 0, 0),
        (MODELS, 39, 34, 0, 5, 7, 74),
        (CUSTOM, 71, 0, 0, 0, 0, 0),
    ],
)
def test_schema_names_are_recovered_as_measured(
    docs, path, blocks, evidence, order, unnamed, inline, placeholders
):
    doc = docs[path]
    kinds = Counter(s.recovered for s in named(doc))
    schemas_section = max(o.source.line for o in doc.operations)
    defined = [s for s in doc.schemas if not s.placeholder]
    assert sum(s.source.line > schemas_section for s in defined) == blocks
    assert sum(s.source.line < schemas_section for s in defined) == inline
    assert kinds["evidence"] == evidence
    assert kinds["order"] == order
    assert sum(s.name.startswith("Unnamed_") for s in doc.schemas) == unnamed
    assert sum(s.placeholder for s in doc.schemas) == placeholders
    assert sum(i.kind == "unnamed-schema" for i in doc.issues) == unnamed


def test_recovered_names_are_in_ascii_order_like_the_blocks(docs):
    for path in (USE_CASES, MANAGEMENT, MODELS):
        names = [s.name for s in named(docs[path])]
        assert names == sorted(names)


def test_every_example_of_the_full_and_space_pages_is_read(docs):
    assert (docs[CUSTOM].examples_parsed, docs[CUSTOM].examples_failed) == (129, 0)
    assert (docs[MANAGEMENT].examples_parsed, docs[MANAGEMENT].examples_failed) == (54, 0)
    assert (docs[USE_CASES].examples_parsed, docs[USE_CASES].examples_failed) == (96, 0)


def test_pipe_page_examples_are_rebuilt_or_reported_never_guessed(docs):
    doc = docs[MODELS]
    unparsed = [i for i in doc.issues if i.kind == "example-unparsed"]
    assert doc.examples_parsed >= 110
    assert len(unparsed) == doc.examples_failed
    assert all(i.source.document == MODELS and i.source.line > 0 for i in unparsed)


# --- Use Cases (000, layout B) --------------------------------------------------------------------


def test_use_cases_list_parameters_have_enums_defaults_and_deprecation(docs):
    operation = op(docs[USE_CASES], "GET /api/v2/useCases/")
    params = {p.name: p for p in operation.parameters}
    assert params["limit"].schema == {"type": "integer", "default": 100}
    assert params["offset"].schema["default"] == 0
    assert params["sort"].deprecated and params["sort"].required
    assert len(params["sort"].schema["enum"]) == 26
    assert params["usecaseType"].schema["enum"] == ["all", "general", "walkthrough"]


def test_use_cases_nested_example_is_rebuilt_from_indentation(docs):
    response = op(docs[USE_CASES], "GET /api/v2/useCases/").responses[0]
    assert response.schema == {"$ref": "#/components/schemas/UseCaseListResponse"}
    item = response.example.value["data"][0]
    assert item["created"]["email"] == "string"
    assert item["members"][0]["isOrganization"] is True
    assert response.example.value["next"] == ""


def test_use_cases_forced_names_follow_the_order_of_their_keys(docs):
    doc = docs[USE_CASES]
    for suffix, key in (("Id", "id"), ("Name", "name"), ("Username", "username")):
        definition = schema(doc, f"ExperimentContainerSharingRoleUpdateDataWith{suffix}")
        assert definition.recovered == "order"
        assert key in definition.schema["properties"]


def test_use_cases_any_property_with_alternatives_is_an_anyof_marked_as_lossy(docs):
    metadata = schema(docs[USE_CASES], "ExperimentContainerReferenceRetrieve").schema["properties"][
        "metadata"
    ]
    assert [alt["$ref"].rsplit("/", 1)[1] for alt in metadata["anyOf"]] == [
        "ExperimentContainerReferenceProjectMetadata",
        "ExperimentContainerReferenceDatasetMetadata",
        "ExperimentContainerReferenceRecipeMetadata",
        "ExperimentContainerReferencePlaygroundMetadata",
    ]
    assert metadata["x-doc-loss"] == ["combinator"]


def test_use_cases_continued_table_resumes_the_property_list(docs):
    definition = schema(docs[USE_CASES], "ExperimentContainerReferenceRetrieve").schema
    assert list(definition["properties"]) == [
        "createdBy",
        "entityId",
        "entityType",
        "id",
        "lastActivity",
        "metadata",
        "name",
        "processingState",
        "updated",
        "updatedAt",
        "updatedBy",
        "useCaseId",
    ]
    assert "name" in definition["required"] and "metadata" not in definition["required"]


def test_use_cases_empty_enum_tables_mark_the_lost_enum(docs):
    doc = docs[USE_CASES]
    key = schema(doc, "ExperimentContainerFilterMetadataModelFamiliesObjectResponse").schema["properties"][
        "key"
    ]
    assert key["x-doc-loss"] == ["enum"] and "enum" not in key
    assert schema(doc, "UseCaseResponse").schema["properties"]["role"]["x-doc-loss"] == ["enum"]
    assert doc.enums_lost == 12


def test_use_cases_schema_description_paragraphs_are_kept(docs):
    described = [s for s in docs[USE_CASES].schemas if "description" in s.schema]
    assert len(described) == 9
    assert schema(docs[USE_CASES], "EntityCountByTypeResponse").schema["description"] == (
        "Number of different type entities that use the dataset."
    )


def test_use_cases_lost_array_items_are_marked_on_their_property(docs):
    definition = schema(docs[USE_CASES], "ExperimentContainerFilterMetadataMetricsObjectResponse")
    assert definition.example.value == {"binary": [], "regression": ["FVE Poisson"]}
    assert definition.schema["properties"]["binary"]["x-doc-loss"] == ["example"]
    assert "x-doc-loss" not in definition.schema["properties"]["regression"]
    losses = [i for i in docs[USE_CASES].issues if i.kind == "example-loss" and i.source.line == 1839]
    assert [i.message for i in losses] == ["array items deleted by the scrape: binary"]


def test_use_cases_deprecated_property_is_flagged(docs):
    props = schema(docs[USE_CASES], "UseCaseResponse").schema["properties"]
    assert props["modelsCount"]["deprecated"] is True


# --- Models (001, layout C) -----------------------------------------------------------------------


def test_models_feature_flag_table_becomes_an_extension(docs):
    operation = op(docs[MODELS], "POST /api/v2/projects/{projectId}/incrementalLearningModels/fromModel/")
    assert operation.extensions["x-feature-flags"] == [
        {
            "name": "INCREMENTAL_LEARNING",
            "maturity": "PUBLIC_PREVIEW",
            "enabledByDefault": False,
            "description": "Enables Incremental Learning. This allows model retraining to continue with an "
            "infinite amount of data.",
        }
    ]
    assert sum("x-feature-flags" in o.extensions for o in docs[MODELS].operations) == 1


def test_models_broken_status_rows_keep_their_schema_cell(docs):
    operation = op(docs[MODELS], "POST /api/v2/customInferenceImages/{imageId}/featureImpact/")
    statuses = {r.status: r for r in operation.responses}
    assert statuses["404"].schema is None
    assert statuses["404"].description.startswith("If feature impact has already been submitted.")
    assert statuses["202"].headers[0].name == "Location"
    assert statuses["202"].headers[0].description.startswith("Contains a url for tracking job status")


def test_models_inline_response_schema_is_an_array_of_the_nested_tree(docs):
    response = op(docs[MODELS], "GET /api/v2/projects/{projectId}/models/").responses[0]
    assert response.schema["type"] == "array"
    item = response.schema["items"]
    assert item["properties"]["lifecycle"]["properties"]["stage"]["enum"] == [
        "active",
        "deprecated",
        "disabled",
    ]
    assert item["properties"]["lifecycle"]["required"] == ["reason", "stage"]
    assert item["properties"]["timeWindowSamplePct"]["exclusiveMaximum"] == 100
    assert item["properties"]["timeWindowSamplePct"]["type"] == ["integer", "null"]


def test_models_header_format_cell_and_see_other_status(docs):
    operation = op(docs[MODELS], "GET /api/v2/projects/{projectId}/modelJobs/{jobId}/")
    statuses = {r.status: r for r in operation.responses}
    assert statuses["303"].description.startswith("Task is completed")
    assert statuses["200"].headers[0].schema == {"type": "string", "format": "uri"}


def test_models_csv_download_has_a_primitive_schema_and_media_type(docs):
    response = op(
        docs[MODELS], "GET /api/v2/projects/{projectId}/combinedModels/{combinedModelId}/segments/download/"
    ).responses[0]
    assert response.schema == {"type": "string"}
    assert response.media_type == "text/csv"


def test_models_enum_values_lose_their_trailing_spaces(docs):
    params = {p.name: p for p in op(docs[MODELS], "GET /api/v2/customTrainingBlueprints/").parameters}
    assert params["reverse"].schema["enum"] == ["false", "False", "true", "True"]
    assert params["targetTypes"].schema["items"]["enum"][0] == "Binary"
    assert params["offset"].required and params["limit"].required


def test_models_duplicate_restrictions_collapse(docs):
    feature = schema(docs[MODELS], "BiasMitigationModelCreate").schema["properties"]["biasMitigationFeature"]
    assert feature["minLength"] == 1
    assert feature["description"] == "The name of the protected feature used to mitigate bias on models."


def test_models_null_enum_literal_is_dropped_where_the_type_forbids_null(docs):
    issues = [i for i in docs[MODELS].issues if i.kind == "enum-null"]
    assert len(issues) == 1 and "samplePct" in issues[0].message


def test_models_truncated_page_keeps_placeholders_from_empty_on(docs):
    placeholders = [s for s in docs[MODELS].schemas if s.placeholder]
    assert placeholders[0].name == "Empty"
    assert all(s.name > "DeploymentPredictionEnvironmentResponse" for s in placeholders)
    assert all(s.schema == {} for s in placeholders)
    empty = schema(docs[MODELS], "Empty")
    line = (sources_dir() / MODELS).read_text(encoding="utf-8").split("\n")[empty.source.line - 1]
    assert "Empty" in line


def test_models_cross_file_names_come_from_the_other_pages(docs):
    doc = docs[MODELS]
    for name in ("AccessControlV2", "CustomModelDetails", "DeploymentPredictionEnvironmentResponse"):
        assert schema(doc, name).recovered == "evidence"
    assert schema(doc, "Unnamed_models_L4194").schema["required"] == [
        "binEnd",
        "binStart",
        "negatives",
        "positives",
    ]


def test_models_yaml_multipart_body_is_read(docs):
    body = op(docs[MODELS], "POST /api/v2/projects/{projectId}/ratingTables/").request_body
    assert body.media_type == "multipart/form-data"
    assert body.example.value == {
        "parentModelId": "string",
        "ratingTableFile": "string",
        "ratingTableName": "string",
    }


# --- Model Management (002, layout B) -------------------------------------------------------------


def test_management_comma_null_notation_becomes_a_type_array(docs):
    props = schema(docs[MANAGEMENT], "FeatureListResponse").schema["properties"]
    assert props["next"] == {
        "type": ["string", "null"],
        "format": "uri",
        "description": "URL pointing to the next page (if null, there is no next page).",
    }


def test_management_body_placeholder_names_the_body(docs):
    operation = op(docs[MANAGEMENT], "POST /api/v2/modelPackages/fromLeaderboard/")
    assert operation.request_body.schema == {"$ref": "#/components/schemas/ModelPackageCreateFromLeaderboard"}
    assert operation.deprecated is False
    assert op(docs[MANAGEMENT], "POST /api/v2/modelPackages/fromLearningModel/").deprecated is True


def test_management_footer_is_not_a_description(docs):
    assert all("Updated" not in s.schema.get("description", "") for s in docs[MANAGEMENT].schemas)
    assert schema(docs[MANAGEMENT], "UserMetadata").schema["description"] == (
        "Information on the user who last modified the registered model"
    )


def test_management_role_enum_of_access_control_was_lost(docs):
    props = schema(docs[MANAGEMENT], "AccessControlV2").schema["properties"]
    assert props["role"]["x-doc-loss"] == ["enum"]
    assert props["shareRecipientType"]["enum"] == ["user", "group", "organization"]
    assert docs[MANAGEMENT].enums_lost == 3


def test_management_shared_roles_update_is_an_array_of_one_of(docs):
    roles = schema(docs[MANAGEMENT], "SharedRolesUpdate").schema["properties"]["roles"]
    assert roles["items"]["oneOf"] == [
        {"$ref": "#/components/schemas/GrantAccessControlWithUsername"},
        {"$ref": "#/components/schemas/GrantAccessControlWithId"},
    ]
    assert (roles["maxItems"], roles["minItems"]) == (100, 1)


# --- Custom Models (003, layout A) ----------------------------------------------------------------


def test_custom_models_names_are_read_directly(docs):
    doc = docs[CUSTOM]
    assert all(s.recovered is None and not s.placeholder for s in doc.schemas)
    assert schema(doc, "AccessControlV2").schema["properties"]["role"]["enum"][0] == "ADMIN"
    assert doc.enums_lost == 0


def test_custom_models_markers_decide_one_of_against_any_of(docs):
    doc = docs[CUSTOM]
    assert "oneOf" in schema(doc, "CreateCustomJob").schema["properties"]["filePath"]
    current = schema(doc, "RuntimeParameterUnified").schema["properties"]["currentValue"]
    assert [alt["type"] for alt in current["anyOf"]] == ["string", "number", "boolean"]
    assert "x-doc-loss" not in current


def test_custom_models_exclusive_and_duplicate_restrictions(docs):
    doc = docs[CUSTOM]
    sha = schema(doc, "GitModelVersion").schema["properties"]["pullRequestCommitSha"]
    assert (sha["maxLength"], sha["minLength"], sha["type"]) == (40, 40, ["string", "null"])
    assert not [i for i in doc.issues if i.kind == "disagreement"]


def test_custom_models_footer_is_not_attached_to_the_last_schema(docs):
    last = docs[CUSTOM].schemas[-1]
    assert last.name == "WorkspaceItemResponse"
    assert "description" not in last.schema


def test_custom_models_multipart_body_example_is_yaml(docs):
    body = op(docs[CUSTOM], "PATCH /api/v2/customModels/{customModelId}/versions/").request_body
    assert body.media_type == "multipart/form-data"
    assert body.example.value["isMajorUpdate"] == "false"
    assert body.example.value["gitModelVersion"]["pullRequestCommitSha"] is None


def test_custom_models_response_headers_and_multi_word_reasons(docs):
    operation = op(docs[CUSTOM], "PATCH /api/v2/customModels/{customModelId}/trainingData/")
    statuses = {r.status: r for r in operation.responses}
    assert statuses["422"].description.startswith("Dataset ingest must finish")
    assert statuses["202"].headers[0].name == "Location"
    assert operation.deprecated is True


# --- the loss simulated on the full page ----------------------------------------------------------


def _one_token(value: object) -> bool:
    return not isinstance(value, (dict, list)) and len(json.dumps(value).split()) == 1


def _without_lost_items(value: object) -> object:
    """The original example minus what deleting one-token lines removes (VENDOR-DOCS §2.1)."""
    if isinstance(value, dict):
        return {k: _without_lost_items(v) for k, v in value.items()}
    if isinstance(value, list):
        out = []
        for item in value:
            if _one_token(item):
                continue
            kept = _without_lost_items(item)
            if isinstance(item, list) and not kept:
                continue  # a nested array whose every line was one token
            out.append(kept)
        return out
    return value


def test_simulating_the_scrape_loss_on_the_full_page_recovers_every_name_and_example(docs):
    text = (sources_dir() / CUSTOM).read_text(encoding="utf-8")
    lossy_text = "\n".join(line for line in text.split("\n") if len(line.split()) != 1)
    lossy = parse_datarobot(CUSTOM, lossy_text, layout="B", title="Custom Models")
    full = docs[CUSTOM]
    assert [s.name for s in lossy.schemas] == [s.name for s in full.schemas]
    assert all(s.recovered in ("evidence", "order") for s in lossy.schemas)
    pairs = [(a.example, b.example) for a, b in zip(full.schemas, lossy.schemas)]
    for a, b in zip(full.operations, lossy.operations):
        pairs += [(x.example, y.example) for x, y in zip(a.responses, b.responses)]
        if a.request_body and a.request_body.media_type == "application/json":
            pairs.append((a.request_body.example, b.request_body.example))
    compared = [(a, b) for a, b in pairs if a is not None]
    assert len(compared) == 127
    assert all(b is not None and _without_lost_items(a.value) == b.value for a, b in compared)


def test_reading_a_page_never_changes_the_schemas_it_borrows(docs):
    references = {s.name: s for path in (CUSTOM, MANAGEMENT) for s in docs[path].schemas if not s.placeholder}
    before = json.dumps({name: s.schema for name, s in references.items()}, sort_keys=True)
    text = (sources_dir() / MODELS).read_text(encoding="utf-8")
    parse_datarobot(MODELS, text, layout="C", title="Models", reference_schemas=references)
    assert json.dumps({name: s.schema for name, s in references.items()}, sort_keys=True) == before


def _responses(docs: dict[str, Document], method: str, path: str) -> dict[str, object]:
    for document in docs.values():
        for op in document.operations:
            if op.method == method and op.path == path:
                return {r.status: r for r in op.responses}
    raise AssertionError(f"{method} {path} not found")


def test_a_header_is_required_only_where_the_docs_say_it_is_always_sent(docs):
    """ "See the Location header" makes Location required; a bare listing or a conditional header
    ("if a status code 303 was returned, ...") stays optional, as OpenAPI reads response headers."""
    models = _responses(docs, "POST", "/api/v2/projects/{projectId}/models/")
    assert [(h.name, h.required) for h in models["202"].headers] == [("Location", True)]
    tests = _responses(docs, "POST", "/api/v2/customModelTests/")
    assert [(h.name, h.required) for h in tests["202"].headers] == [("Location", False)]
    job = _responses(docs, "GET", "/api/v2/projects/{projectId}/modelJobs/{jobId}/")
    assert [(h.name, h.required) for h in job["200"].headers] == [("Location", False)]
    required = [
        (op.method, op.path)
        for document in docs.values()
        for op in document.operations
        for response in op.responses
        for header in response.headers
        if header.required
    ]
    assert len(set(required)) == 8
