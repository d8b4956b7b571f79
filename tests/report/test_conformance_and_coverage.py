"""The two headline figures: conformance (skips never count as passes) and status-code coverage."""

from __future__ import annotations

from typing import Any

from mlops_conformance.contract import Contract
from mlops_conformance.report.coverage import (
    classify_reason,
    compute_coverage,
    coverage_totals,
    status_matches,
)
from mlops_conformance.report.stats import Tally, percent, worst
from mlops_conformance.report.summary import parse_summary

from .factory import FIXTURES


def _rows(*specs: tuple[str, str, str, Any]) -> list:
    rows = []
    for operation, check, verdict, extra in specs:
        row = {"vendor": "datarobot", "operation": operation, "check": check, "verdict": verdict}
        row.update(extra or {})
        rows.append(row)
    return parse_summary({"run": {}, "rows": rows}).rows


def test_skips_and_docs_rows_neither_raise_nor_lower_conformance() -> None:
    base = _rows(("GET /a", "c1", "pass", None), ("GET /a", "c2", "fail", None))
    padded = base + _rows(("GET /a", "c3", "skip", None), ("GET /a", "c4", "docs", None))
    assert Tally.of(base).conformance == 50.0
    assert Tally.of(padded).conformance == 50.0


def test_a_run_that_skipped_everything_has_no_conformance_figure_rather_than_full_marks() -> None:
    tally = Tally.of(_rows(("GET /a", "c1", "skip", None), ("GET /b", "c1", "skip", None)))
    assert tally.conformance is None
    assert percent(tally.conformance) == "—"


def test_warn_drift_xfail_and_error_count_as_tested_but_not_passed() -> None:
    tally = Tally.of(_rows(*[("GET /a", v, v, None) for v in ("pass", "warn", "drift", "xfail", "error")]))
    assert tally.tested == 5
    assert tally.conformance == 20.0


def test_a_cell_shows_its_most_severe_verdict() -> None:
    assert worst(["pass", "skip", "drift"]) == "drift"
    assert worst(["pass", "error", "fail"]) == "fail"
    assert worst(["skip"]) == "skip"
    assert worst(["pass", "skip"]) == "pass"


def test_documented_status_ranges_match_answered_codes() -> None:
    assert status_matches("4XX", 404)
    assert status_matches("200", 200)
    assert not status_matches("2XX", 404)
    assert not status_matches("default", 500)


def test_skip_reasons_fold_onto_the_causes_the_coverage_table_names() -> None:
    assert classify_reason("read-only mode: POST needs --allow-writes") == "read-only mode"
    assert classify_reason("read-only target: the lifecycle creates and deletes") == "read-only mode"
    assert classify_reason("no documented request example") == "no example"
    assert classify_reason("no existing parent resource to create this resource under") == "not reachable"
    assert classify_reason("the create step was not reached") == "not reachable"
    assert classify_reason("No example in the docs") == "no example"
    assert classify_reason("not reachable: no parent resource") == "not reachable"
    assert classify_reason("vendor asked us not to") == "vendor asked us not to"


def test_coverage_marks_answered_codes_exercised_and_names_why_others_were_not() -> None:
    contract = Contract.load("datarobot", FIXTURES / "datarobot.openapi.json")
    rows = _rows(
        ("GET /api/v2/useCases/", "response_schema_conformance", "pass", {"status": 200}),
        ("GET /api/v2/useCases/", "status_code_documented", "drift", {"status": 418}),
        ("POST /api/v2/useCases/", "lifecycle_create_get_delete", "skip", {"reason": "read-only mode"}),
        (
            "GET /api/v2/useCases/{useCaseId}/",
            "auth_missing_token",
            "error",
            {"reason": "timeout after 10 s"},
        ),
    )
    coverage = {c.operation: c for c in compute_coverage(rows, {"datarobot": contract})}

    listing = coverage["GET /api/v2/useCases/"]
    assert [(s.status, s.exercised) for s in listing.documented] == [("200", True), ("403", False)]
    assert listing.documented[1].reason == "not observed by the checks that ran"
    assert listing.undocumented == [418]

    create = coverage["POST /api/v2/useCases/"]
    assert create.exercised == 0
    assert {s.reason for s in create.documented} == {"read-only mode"}

    get_one = coverage["GET /api/v2/useCases/{useCaseId}/"]
    assert {s.reason for s in get_one.documented} == {"error: timeout after 10 s"}

    deleted = coverage["DELETE /api/v2/useCases/{useCaseId}/"]
    assert not deleted.ran and {s.reason for s in deleted.documented} == {"not run"}


def test_coverage_percent_counts_every_documented_code_of_every_contract_operation() -> None:
    contract = Contract.load("datarobot", FIXTURES / "datarobot.openapi.json")
    rows = _rows(("GET /api/v2/useCases/", "response_schema_conformance", "pass", {"status": 200}))
    totals = coverage_totals(compute_coverage(rows, {"datarobot": contract}), vendor="datarobot")
    documented = sum(len(op.documented_statuses()) for op in contract.operations())
    assert (totals.exercised, totals.documented) == (1, documented)
    assert totals.percent == 100.0 / documented


def test_operations_the_contract_no_longer_has_are_kept_and_flagged() -> None:
    contract = Contract.load("datarobot", FIXTURES / "datarobot.openapi.json")
    rows = _rows(("GET /api/v2/gone/", "response_schema_conformance", "pass", {"status": 200}))
    gone = [c for c in compute_coverage(rows, {"datarobot": contract}) if c.operation == "GET /api/v2/gone/"]
    assert len(gone) == 1 and not gone[0].in_contract and gone[0].undocumented == [200]
