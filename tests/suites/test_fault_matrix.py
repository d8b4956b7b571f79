"""Every fault the reference mock can inject is caught: the suite reports ``fail`` or ``error`` on
the rows the fault affects. Each fault runs the suite on a few operations where it shows.

An enum value the docs do not list and a 2xx the docs do not list break closed claims (DESIGN.md,
"Checks and verdicts"), so they fail. A missing header fails only where the contract marks it
``required: true``; elsewhere the docs only imply it and the suite says ``warn`` (which fails a
``--strict`` run).
"""

from __future__ import annotations

import pytest

from mlops_conformance.mock import FAULTS

from ._run import mock_target, run_suites

USE_CASES = "^[A-Z]+ /api/v2/useCases/(\\{useCaseId\\}/)?$"
USE_CASE_LIST = "^GET /api/v2/useCases/$"
CAUGHT = {"fail", "error"}

# fault -> (operations, {check: verdicts that count as caught}, extra options)
MATRIX: dict[str, tuple[str, dict[str, set[str]], tuple[str, ...]]] = {
    "missing-required-field": (USE_CASE_LIST, {"schema.response_body": CAUGHT}, ()),
    "out-of-enum-value": ("^GET /api/v2/customJobs/$", {"schema.response_body": CAUGHT}, ()),
    "wrong-type": (USE_CASE_LIST, {"schema.response_body": CAUGHT}, ()),
    "null-not-nullable": (USE_CASE_LIST, {"schema.response_body": CAUGHT}, ()),
    "format-violation": (USE_CASE_LIST, {"schema.response_body": CAUGHT}, ()),
    "restriction-violation": (USE_CASE_LIST, {"schema.response_body": CAUGHT}, ()),
    "undocumented-status": (USE_CASE_LIST, {"schema.status_code_documented": CAUGHT}, ()),
    "wrong-content-type": (USE_CASE_LIST, {"schema.content_type": CAUGHT}, ()),
    # "See the Location header": the contract marks it required.
    "missing-location": (
        "^POST /api/v2/projects/\\{projectId\\}/models/$",
        {"schema.response_headers": CAUGHT},
        (),
    ),
    "wrong-pagination-total": (USE_CASE_LIST, {"pagination.total_count": CAUGHT}, ()),
    "wrong-pagination-links": (USE_CASE_LIST, {"pagination.links": CAUGHT}, ()),
    "page-exceeds-limit": (USE_CASE_LIST, {"pagination.page_size": CAUGHT}, ()),
    "duplicate-items": (USE_CASE_LIST, {"pagination.no_duplicates": CAUGHT}, ()),
    "server-error": (USE_CASES, {"schema.not_a_server_error": CAUGHT}, ()),
    "slow": (
        USE_CASE_LIST,
        {"schema.response_body": {"error"}, "pagination.page_size": {"error"}},
        ("--request-timeout", "0.5"),
    ),
    "no-auth": (
        USE_CASE_LIST,
        {"auth.missing_token_rejected": CAUGHT, "auth.wrong_token_rejected": CAUGHT},
        (),
    ),
    "crash-on-bad-input": (
        USE_CASE_LIST,
        {"errors.invalid_input_rejected": CAUGHT, "errors.no_server_error": CAUGHT},
        (),
    ),
    "create-not-persisted": (USE_CASES, {"lifecycle.read_back": CAUGHT}, ()),
    "update-ignored": (USE_CASES, {"lifecycle.update_visible": CAUGHT}, ()),
    "delete-ignored": (USE_CASES, {"lifecycle.gone_after_delete": CAUGHT}, ()),
}


def test_the_matrix_covers_every_fault_the_mock_has():
    assert set(MATRIX) == set(FAULTS)


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_the_suite_catches_the_fault(tmp_path, monkeypatch, fault):
    operations, expected, extra = MATRIX[fault]
    with mock_target(monkeypatch, fault=fault, vendors=("datarobot",)) as url:
        run = run_suites(
            tmp_path / "reports",
            "--target", url, "--allow-writes", "--vendor", "datarobot", "--operations", operations,
            "--max-examples", "1", "--conformance-seed", "11", *extra,
        )  # fmt: skip
    for check, caught in expected.items():
        found = run.verdicts(check)
        assert found & caught, f"{fault}: {check} reported {sorted(found)}, expected one of {sorted(caught)}"
    if CAUGHT & set().union(*expected.values()):
        assert run.code == 1


def test_a_location_the_docs_only_describe_missing_is_a_warning_that_fails_a_strict_run(
    tmp_path, monkeypatch
):
    """POST /api/v2/customModelTests/ lists Location ("URL that can be polled") without saying it is
    always sent: OpenAPI reads it as optional, so its absence is a warn, and --strict fails on it."""
    with mock_target(monkeypatch, fault="missing-location", vendors=("datarobot",)) as url:
        args = ("--target", url, "--allow-writes", "--vendor", "datarobot")
        args += ("--operations", "^POST /api/v2/customModelTests/$", "--max-examples", "1")
        lenient = run_suites(tmp_path / "lenient", *args)
        strict = run_suites(tmp_path / "strict", *args, "--strict")
    assert lenient.verdicts("schema.response_headers") == {"warn"}
    assert lenient.code == 0 and strict.code == 1
