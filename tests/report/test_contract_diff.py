"""Contract diff: each kind of change is found, classified breaking or not, and sets the exit code."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlops_conformance.cli import cli
from mlops_conformance.contract import Contract
from mlops_conformance.report.diff_contract import diff_contracts, to_markdown
from mlops_conformance.report.diff_schema import Change

LIST = "/api/v2/useCases/"
ONE = "/api/v2/useCases/{useCaseId}/"


def _diff(old: dict, new: dict) -> list[Change]:
    return diff_contracts(Contract("datarobot", old), Contract("datarobot", new))


def _kinds(changes: list[Change]) -> set[tuple[str, bool, str, str]]:
    return {(c.kind, c.breaking, c.subject, c.location) for c in changes}


def _param(doc: dict, path: str, method: str, name: str) -> dict:
    return next(p for p in doc["paths"][path][method]["parameters"] if p["name"] == name)


def test_identical_contracts_have_no_changes(fixture_contract_doc: dict) -> None:
    assert _diff(fixture_contract_doc, copy.deepcopy(fixture_contract_doc)) == []


def test_removed_and_added_operations(fixture_contract_doc: dict) -> None:
    new = copy.deepcopy(fixture_contract_doc)
    del new["paths"][ONE]["delete"]
    new["paths"]["/api/v2/useCases/{useCaseId}/share/"] = {
        "get": {"responses": {"200": {"description": "OK"}}}
    }
    assert _kinds(_diff(fixture_contract_doc, new)) == {
        ("operation-removed", True, f"DELETE {ONE}", ""),
        ("operation-added", False, "GET /api/v2/useCases/{useCaseId}/share/", ""),
    }


def test_parameter_changes(fixture_contract_doc: dict) -> None:
    new = copy.deepcopy(fixture_contract_doc)
    params = new["paths"][LIST]["get"]["parameters"]
    params.remove(_param(new, LIST, "get", "search"))
    _param(new, LIST, "get", "offset")["required"] = True
    params.append({"name": "tenantId", "in": "query", "required": True, "schema": {"type": "string"}})
    params.append({"name": "fields", "in": "query", "schema": {"type": "string"}})
    assert _kinds(_diff(fixture_contract_doc, new)) == {
        ("parameter-removed", True, f"GET {LIST}", "query parameter search"),
        ("parameter-required", True, f"GET {LIST}", "query parameter offset"),
        ("parameter-added-required", True, f"GET {LIST}", "query parameter tenantId"),
        ("parameter-added", False, f"GET {LIST}", "query parameter fields"),
    }


def test_enum_narrowing_is_breaking_and_widening_is_not(fixture_contract_doc: dict) -> None:
    new = copy.deepcopy(fixture_contract_doc)
    _param(new, LIST, "get", "usecaseType")["schema"]["enum"] = ["all", "general"]
    _param(new, LIST, "get", "orderBy")["schema"]["enum"].append("updatedAt")
    changes = {c.kind: c for c in _diff(fixture_contract_doc, new)}
    assert changes["enum-narrowed"].breaking and changes["enum-narrowed"].old == ["walkthrough"]
    assert not changes["enum-widened"].breaking and changes["enum-widened"].new == ["updatedAt"]


def test_type_and_format_changes_are_breaking(fixture_contract_doc: dict) -> None:
    new = copy.deepcopy(fixture_contract_doc)
    _param(new, LIST, "get", "limit")["schema"]["type"] = "string"
    new["components"]["schemas"]["UseCaseResponse"]["properties"]["createdAt"]["format"] = "date"
    kinds = _kinds(_diff(fixture_contract_doc, new))
    assert ("type-changed", True, f"GET {LIST}", "query parameter limit") in kinds
    assert ("format-changed", True, "schema UseCaseResponse", "createdAt") in kinds


def test_a_component_change_is_reported_once_with_every_operation_that_uses_it(
    fixture_contract_doc: dict,
) -> None:
    new = copy.deepcopy(fixture_contract_doc)
    schema = new["components"]["schemas"]["UseCaseResponse"]
    del schema["properties"]["description"]
    schema["required"].append("projectsCount")
    schema["properties"]["tenantId"] = {"type": "string"}
    changes = [c for c in _diff(fixture_contract_doc, new) if c.subject == "schema UseCaseResponse"]
    assert {(c.kind, c.breaking, c.location) for c in changes} == {
        ("field-removed", True, "description"),
        ("field-required", True, "projectsCount"),
        ("field-added", False, "tenantId"),
    }
    users = set(changes[0].operations)
    # directly (GET/PATCH one, POST) and through UseCaseListResponse.data[] (the three lists)
    assert users == {
        f"GET {ONE}",
        f"PATCH {ONE}",
        f"POST {LIST}",
        f"GET {LIST}",
        "GET /api/v2/useCases/allResources/",
        "GET /api/v2/useCases/notebooks/",
    }


def test_removed_status_codes_and_newly_required_request_fields(fixture_contract_doc: dict) -> None:
    new = copy.deepcopy(fixture_contract_doc)
    del new["paths"][LIST]["get"]["responses"]["403"]
    new["paths"][ONE]["delete"]["responses"]["409"] = {"description": "Conflict"}
    new["components"]["schemas"]["UseCaseCreate"]["required"].append("description")
    kinds = _kinds(_diff(fixture_contract_doc, new))
    assert ("status-removed", True, f"GET {LIST}", "response 403") in kinds
    assert ("status-added", False, f"DELETE {ONE}", "response 409") in kinds
    assert ("field-required", True, "schema UseCaseCreate", "description") in kinds


def test_renamed_path_parameters_still_match_the_operation(fixture_contract_doc: dict) -> None:
    new = copy.deepcopy(fixture_contract_doc)
    item = new["paths"].pop(ONE)
    item["parameters"][0]["name"] = "id"
    new["paths"]["/api/v2/useCases/{id}/"] = item
    kinds = {c.kind for c in _diff(fixture_contract_doc, new)}
    assert kinds == {"path-renamed"}


def test_breaking_changes_come_first_in_the_markdown(fixture_contract_doc: dict) -> None:
    new = copy.deepcopy(fixture_contract_doc)
    del new["paths"][ONE]["delete"]
    new["paths"]["/api/v2/x/"] = {"get": {"responses": {"200": {"description": "OK"}}}}
    markdown = to_markdown(_diff(fixture_contract_doc, new), "old.json", "new.json")
    assert "**1 breaking**, 1 non-breaking change." in markdown
    assert markdown.index("### Breaking changes (1)") < markdown.index("### Non-breaking changes (1)")


def _write(path: Path, doc: dict) -> Path:
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_diff_exits_1_on_breaking_changes_and_0_otherwise(tmp_path: Path, fixture_contract_doc: dict) -> None:
    old = _write(tmp_path / "old.openapi.json", fixture_contract_doc)
    widened = copy.deepcopy(fixture_contract_doc)
    widened["paths"]["/api/v2/x/"] = {"get": {"responses": {"200": {"description": "OK"}}}}
    narrowed = copy.deepcopy(fixture_contract_doc)
    del narrowed["paths"][ONE]["delete"]
    runner = CliRunner()
    ok = runner.invoke(
        cli, ["diff", str(old), str(_write(tmp_path / "wide.json", widened)), "--format", "json"]
    )
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.stdout)["summary"] == {"breaking": 0, "non_breaking": 1}
    bad = runner.invoke(cli, ["diff", str(old), str(_write(tmp_path / "narrow.json", narrowed))])
    assert bad.exit_code == 1
    assert "operation-removed" in bad.stdout


@pytest.mark.parametrize("content", [None, "{broken", '{"openapi": "3.1.0"}'])
def test_an_unreadable_contract_is_one_error_line(
    tmp_path: Path, fixture_contract_doc: dict, content: str | None
) -> None:
    good = _write(tmp_path / "good.json", fixture_contract_doc)
    bad = tmp_path / "bad.openapi.json"
    if content is not None:
        bad.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(cli, ["diff", str(good), str(bad)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {bad}") and result.stderr.count("\n") == 1


def test_narrowed_and_widened_bounds_and_patterns(fixture_contract_doc: dict) -> None:
    new = copy.deepcopy(fixture_contract_doc)
    name = new["components"]["schemas"]["UseCaseCreate"]["properties"]["name"]
    name["maxLength"] = 5
    name["minLength"] = 1
    name["pattern"] = "^[a-z]+$"
    kinds = {(c.kind, c.breaking) for c in _diff(fixture_contract_doc, new)}
    assert ("restriction-narrowed", True) in kinds
    assert {c.message for c in _diff(fixture_contract_doc, new)} >= {
        "maxLength 100 → 5",
        "minLength (none) → 1",
    }
    assert ("pattern-changed", True) in kinds
    back = {(c.kind, c.breaking) for c in _diff(new, fixture_contract_doc)}
    assert back == {("restriction-widened", False), ("pattern-removed", False)}


def test_a_schema_that_becomes_a_placeholder_or_stops_being_one_is_reported(
    fixture_contract_doc: dict,
) -> None:
    new = copy.deepcopy(fixture_contract_doc)
    new["components"]["schemas"]["UseCaseResponse"] = {"x-placeholder": True}
    lost = _diff(fixture_contract_doc, new)
    assert lost and {(c.kind, c.breaking) for c in lost} == {("schema-lost", False)}
    regained = _diff(new, fixture_contract_doc)
    assert {(c.kind, c.breaking) for c in regained} == {("schema-documented", True)}


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"openapi": "3.1.0", "paths": []}, "'paths' must be an object"),
        (
            {
                "openapi": "3.1.0",
                "paths": {
                    "/a": {
                        "get": {
                            "responses": {
                                "200": {
                                    "description": "ok",
                                    "content": {
                                        "application/json": {"schema": {"$ref": "#/components/schemas/Gone"}}
                                    },
                                }
                            }
                        }
                    }
                },
            },
            "unresolvable references",
        ),
    ],
)
def test_a_malformed_contract_is_a_one_line_error_not_a_traceback(
    tmp_path: Path, document: dict, message: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document))
    result = CliRunner().invoke(cli, ["diff", str(bad), str(bad)])
    assert result.exit_code == 2
    assert message in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_extension_keys_among_codes_parameters_and_fields_are_not_changes(
    tmp_path: Path, fixture_contract_doc: dict
) -> None:
    """An erratum's ``x-source`` left in a responses map is not a status code (it was read as a removed one)."""
    source = {"document": "overlays/datarobot.yaml", "line": 141}
    old = copy.deepcopy(fixture_contract_doc)
    old["paths"][ONE]["patch"]["responses"]["x-source"] = source
    old["paths"][ONE]["get"]["responses"]["200"]["content"]["x-note"] = {"a": 1}
    old["paths"][LIST]["get"]["parameters"].append({"x-source": source})
    old["components"]["schemas"]["UseCaseResponse"]["properties"]["x-source"] = source
    new = copy.deepcopy(fixture_contract_doc)
    assert _diff(old, new) == []
    assert _diff(new, old) == []
    result = CliRunner().invoke(
        cli, ["diff", str(_write(tmp_path / "old.json", old)), str(_write(tmp_path / "new.json", new))]
    )
    assert result.exit_code == 0, result.output
    assert "x-source" not in result.stdout
    # ... while a real change next to them is still found
    new["paths"][ONE]["patch"]["responses"].pop("422")
    assert _kinds(_diff(old, new)) == {("status-removed", True, f"PATCH {ONE}", "response 422")}


def test_the_committed_contracts_diff_clean_against_themselves(tmp_path: Path) -> None:
    from mlops_conformance.resources import contract_path

    for vendor in ("datarobot", "domino"):
        path = contract_path(vendor)
        result = CliRunner().invoke(cli, ["diff", str(path), str(path), "--format", "json"])
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["summary"] == {"breaking": 0, "non_breaking": 0}


@pytest.mark.parametrize("command", ["extract", "mock", "run", "report", "compare", "diff"])
def test_every_command_states_its_exit_codes_in_its_help(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0, result.output
    help_text = result.output
    assert "Exit codes:" in help_text
    assert re.search(r"^\s+0  ", help_text, re.MULTILINE) and re.search(
        r"^\s+2  usage or input error", help_text, re.MULTILINE
    )
    if command not in ("report", "mock"):
        assert re.search(r"^\s+1  ", help_text, re.MULTILINE)
