"""Reading summary.json: typed rows from good files, one-line errors naming file and row from bad ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlops_conformance.errors import ReportError
from mlops_conformance.report.summary import family_of, load_summary, parse_summary

from .factory import write_summary


def test_a_report_directory_is_read_through_its_summary_json(tmp_path: Path, summary_doc: dict) -> None:
    write_summary(tmp_path, summary_doc)
    summary = load_summary(tmp_path)
    assert len(summary.rows) == len(summary_doc["rows"])
    assert summary.vendors == ["datarobot", "domino"]
    assert summary.started == "2026-12-01T23:50:00Z"


def test_a_missing_summary_is_a_one_line_error_naming_the_file(tmp_path: Path) -> None:
    with pytest.raises(ReportError) as caught:
        load_summary(tmp_path)
    message = caught.value.one_line()
    assert str(tmp_path / "summary.json") in message
    assert "no such file" in message
    assert "\n" not in message


def test_corrupt_json_names_the_file_and_the_position(tmp_path: Path) -> None:
    path = tmp_path / "summary.json"
    path.write_text('{"run": {}, "rows": [', encoding="utf-8")
    with pytest.raises(ReportError, match=r"summary\.json: not valid JSON \(line 1 column"):
        load_summary(path)


def test_a_document_without_rows_is_not_a_summary(tmp_path: Path) -> None:
    path = tmp_path / "other.json"
    path.write_text(json.dumps({"openapi": "3.1.0", "paths": {}}), encoding="utf-8")
    with pytest.raises(ReportError, match="other.json: not a summary"):
        load_summary(path)


def test_an_unknown_verdict_names_the_row(summary_doc: dict) -> None:
    summary_doc["rows"][3]["verdict"] = "passed"
    with pytest.raises(ReportError, match=r"rows\[3\]: unknown verdict 'passed'"):
        parse_summary(summary_doc, Path("summary.json"))


def test_a_row_without_an_operation_names_what_is_missing(summary_doc: dict) -> None:
    del summary_doc["rows"][0]["operation"]
    with pytest.raises(ReportError, match=r"rows\[0\]: missing 'operation'"):
        parse_summary(summary_doc)


def test_the_family_is_derived_from_the_check_id_when_a_row_has_none() -> None:
    assert family_of("response_schema_conformance") == "schema"
    assert family_of("status_code_documented") == "schema"
    assert family_of("example_response_valid") == "examples"
    assert family_of("pagination_walk") == "pagination"
    assert family_of("negative_input_not_5xx") == "errors"
    assert family_of("auth_missing_token") == "auth"
    assert family_of("lifecycle.create_get_delete") == "lifecycle"
    assert family_of("headers_documented") == "headers"


def test_answered_statuses_are_collected_from_every_place_a_row_may_record_them() -> None:
    document = {
        "run": {},
        "rows": [
            {
                "vendor": "domino",
                "operation": "get /x",
                "check": "c",
                "verdict": "pass",
                "status": "201",
                "statuses": [404, "nope", 999],
                "evidence": {"response": {"status": 200}, "responses": [{"status": 500}]},
            },
        ],
    }
    row = parse_summary(document).rows[0]
    assert row.statuses == (200, 201, 404, 500)
    assert row.operation == "GET /x"
    assert row.family == "c"


def test_an_xfail_expiry_is_read_from_the_evidence(summary_doc: dict) -> None:
    rows = parse_summary(summary_doc).rows
    xfails = [r for r in rows if r.verdict == "xfail"]
    assert xfails and all(r.expires == "2026-12-10" for r in xfails)
