"""The whole default suite against the embedded mock: no false positives, and complete reports.

One run (every bundled vendor, every operation, two generated requests per operation) serves every
test in this module; it is the run ``mlops-conformance run`` makes by default, only with fewer examples.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import orjson
import pytest

from mlops_conformance.checks import FAMILIES

from ._run import Run, run_suites

ACCEPTED = {"pass", "skip", "docs"}
VENDORS = ("datarobot", "domino", "mlflow")

# MLflow's contract comes from protobuf descriptors, which declare no error answers: every MLflow
# error the mock gives (as the real server does) to a generated request naming an id it never issued,
# an empty required field or a filter it cannot parse is an undocumented status, reported as drift;
# and the generator leaves out the deepest optional members of its nested messages, which
# schema.fields_seen reports as drift. Both are drift, never fail, warn or error.
MLFLOW_DRIFT = {"schema.status_code_documented": {400, 404, 422}, "schema.fields_seen": None}
# Rows our own mock cannot serve right on MLflow yet, with why (a create's id is read where the
# contract's x-cleanup says it is, so logged models and workspaces are created and read back).
RUNNER_LIMITS = {
    # The mock infers a list only from x-pagination or an array answer; MLflow's workspaces list is
    # an unpaginated {"workspaces": [...]} envelope, so it is served generated, not from the store.
    ("mlflow", "GET /api/3.0/mlflow/workspaces", "lifecycle.listed"): "workspaces list not stateful",
}


def _expected(row: dict) -> bool:
    if row["verdict"] in ACCEPTED:
        return True
    if (row["vendor"], row["operation"], row["check"]) in RUNNER_LIMITS and row["verdict"] == "warn":
        return True
    if row["vendor"] != "mlflow" or row["verdict"] != "drift" or row["check"] not in MLFLOW_DRIFT:
        return False
    statuses = MLFLOW_DRIFT[row["check"]]
    return statuses is None or bool(set(row.get("statuses") or []) & statuses)


@pytest.fixture(scope="module")
def full_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    return run_suites(
        tmp_path_factory.mktemp("embedded") / "reports",
        *("--max-examples", "2", "--conformance-seed", "7", "--allure-results"),
    )


def test_every_row_against_the_reference_mock_is_pass_skip_or_docs(full_run):
    wrong = [
        f"{r['verdict']}: {r['vendor']}::{r['operation']}::{r['check']}: {r.get('reason') or r['evidence'].get('message')}"
        for r in full_run.rows
        if not _expected(r)
    ]
    assert not wrong, "\n".join(wrong[:30])
    assert full_run.code == 0
    assert not [r for r in full_run.rows if r["verdict"] in ("fail", "error")]


def test_the_mlflow_limits_named_here_still_happen(full_run):
    """Each runner limit above is a row of this run (a fixed one must leave the list)."""
    seen = {(r["vendor"], r["operation"], r["check"]) for r in full_run.rows if r["verdict"] == "warn"}
    assert set(RUNNER_LIMITS) <= seen


def test_every_skip_says_why(full_run):
    assert all(r.get("reason") for r in full_run.rows if r["verdict"] == "skip")


def test_the_run_checks_every_family_of_every_vendor(full_run):
    judged = {(r["vendor"], r["family"]) for r in full_run.rows if r["verdict"] == "pass"}
    # MLflow's contract declares no security (its server has no authentication): no auth rows; and
    # its descriptors carry no examples, so the examples family has nothing to judge there.
    expected = {(vendor, family) for vendor in VENDORS for family in FAMILIES}
    assert judged == expected - {("mlflow", "auth"), ("mlflow", "examples")}
    assert not [r for r in full_run.rows if r["vendor"] == "mlflow" and r["family"] == "auth"]


def test_the_summary_keeps_its_documented_keys(full_run):
    run = full_run.summary["run"]
    assert {
        "target",
        "vendors",
        "started",
        "duration_s",
        "versions",
        "contract_sha256",
        "strict",
        "allow_writes",
        "counts",
    } <= set(run)
    assert run["target"] == "embedded mock" and run["allow_writes"] is True and run["started"].endswith("Z")
    assert set(run["contract_sha256"]) == set(VENDORS)
    assert sum(run["counts"].values()) == len(full_run.rows)
    for row in full_run.rows:
        assert {"vendor", "operation", "tag", "check", "family", "verdict", "evidence"} <= set(row)
    answered = [
        r for r in full_run.rows if r["check"] == "schema.status_code_documented" and r["verdict"] == "pass"
    ]
    assert answered and all(r["statuses"] for r in answered)


def test_failing_evidence_is_complete(full_run):
    row = next(r for r in full_run.rows if r["check"] == "schema.response_body" and r["verdict"] == "pass")
    evidence = row["evidence"]
    assert {"method", "url", "headers", "body"} <= set(evidence["request"])
    assert {"status", "headers", "body_excerpt"} <= set(evidence["response"])
    assert set(evidence["source"]) == {"document", "line"}


RUN_LEVEL_CHECKS = ("schema.side_responses", "schema.fields_seen")


def _per_test(rows):  # type: ignore[no-untyped-def]
    """Rows of a test each; the run-level rows live in summary.json and the HTML report only."""
    return [r for r in rows if r["check"] not in RUN_LEVEL_CHECKS and r["tag"] != "cleanup"]


def test_run_level_rows_judge_every_operation_that_answered(full_run):
    side = [r for r in full_run.rows if r["check"] == "schema.side_responses"]
    fields = [r for r in full_run.rows if r["check"] == "schema.fields_seen"]
    assert len(side) > 100 and len(fields) > 100
    assert {r["verdict"] for r in side} == {"pass"}


def test_junit_has_one_testcase_per_row_with_the_case_id(full_run):
    cases = ET.parse(full_run.report_dir / "junit.xml").getroot().iter("testcase")
    names = [c.get("name") for c in cases]
    assert len(names) == len(_per_test(full_run.rows))
    assert "test_schema[datarobot::GET /api/v2/useCases/::schema.response_body]" in names


def test_allure_results_carry_request_and_response_attachments(full_run):
    results = full_run.report_dir / "allure-results"
    documents = [orjson.loads(p.read_bytes()) for p in results.glob("*-result.json")]
    assert len(documents) == len(_per_test(full_run.rows))
    named = {a["name"] for d in documents for step in d.get("steps", []) for a in step.get("attachments", [])}
    named |= {a["name"] for d in documents for a in d.get("attachments", [])}
    assert {"request", "response"} <= named


# The only operations whose success the run cannot reach on the mock, and why: their ids exist only
# in another operation's answer (a Location header, a create body), never in a list.
NOT_REACHABLE = {
    (
        "datarobot",
        "GET /api/v2/customModelDeployments/{deploymentId}/logs/{logId}/",
    ): "logId only in a Location",
    (
        "datarobot",
        "GET /api/v2/projects/{projectId}/eureqaModels/{modelId}/",
    ): "eureqa ids only in a Location",
    ("domino", "DELETE /api/datasetrw/v1/datasets/{datasetId}/tags/{tagName}"): "no list of tag names",
    ("domino", "PATCH /api/environments/beta/environments/{environmentId}/revisions/{revisionId}"): "no list",
    ("domino", "DELETE /api/projects/v1/projects/{projectId}/shared-datasets/{datasetId}"): "ids guessed",
    (
        "domino",
        "PATCH /api/registeredmodels/beta/{modelName}/versions/{version}/reviews/{modelReviewId}",
    ): "no list",
    (
        "domino",
        "POST /api/registeredmodels/beta/{modelName}/versions/{version}/reviews/{modelReviewId}/responses",
    ): "no list of reviews",
}


# MLflow's RPCs name what they address in the query or the body (``GET /runs/get?run_id=``,
# ``POST /experiments/update {"experiment_id": ...}``), and the runner fills only path ids: it sends
# generated ids, which the mock (as MLflow) answers RESOURCE_DOES_NOT_EXIST or INVALID_PARAMETER_VALUE.
# ``metrics/get-history`` answers 200 only when the generated metric_key is not empty.
_RPC_IDS = "ids in the query or body are generated"
NOT_REACHABLE |= {
    ("mlflow", f"{method} /api/2.0/mlflow/{rpc}"): _RPC_IDS
    for method, rpc in (
        ("GET", "experiments/get"),
        ("GET", "experiments/get-by-name"),
        ("POST", "experiments/update"),
        ("POST", "experiments/delete"),
        ("POST", "experiments/restore"),
        ("POST", "experiments/set-experiment-tag"),
        ("GET", "runs/get"),
        ("POST", "runs/update"),
        ("POST", "runs/delete"),
        ("POST", "runs/restore"),
        ("POST", "runs/log-metric"),
        ("POST", "runs/log-parameter"),
        ("POST", "runs/log-batch"),
        ("POST", "runs/set-tag"),
        ("POST", "runs/delete-tag"),
        ("GET", "metrics/get-history"),
        ("GET", "registered-models/get"),
        ("DELETE", "registered-models/delete"),
        ("POST", "model-versions/create"),
        ("GET", "model-versions/get"),
    )
}
# MLflow operations with path ids that no GET list of the contract gives (their lists are POST
# searches, or the id is ``workspace.name`` / ``model.info.model_id``, which runner/paths.py misses).
NOT_REACHABLE |= {
    ("mlflow", "PATCH /api/2.0/mlflow/logged-models/{model_id}"): "model ids only in POST searches",
    ("mlflow", "GET /api/3.0/mlflow/issues/{issue_id}"): "issue ids only in a POST search",
    ("mlflow", "PATCH /api/3.0/mlflow/issues/{issue_id}"): "issue ids only in a POST search",
    (
        "mlflow",
        "POST /api/3.0/mlflow/prompt-optimization/jobs/{job_id}/cancel",
    ): "job ids only in a POST search",
    ("mlflow", "GET /api/3.0/mlflow/traces/{trace_id}"): "trace ids only in a POST search",
    ("mlflow", "GET /api/3.0/mlflow/traces/{trace_id}/assessments/{assessment_id}"): "no list of assessments",
    (
        "mlflow",
        "PATCH /api/3.0/mlflow/traces/{trace_id}/assessments/{assessment_id}",
    ): "no list of assessments",
    (
        "mlflow",
        "DELETE /api/3.0/mlflow/traces/{trace_id}/assessments/{assessment_id}",
    ): "no list of assessments",
    ("mlflow", "GET /api/3.0/mlflow/workspaces/{workspace_name}"): "the list shows workspaces[].name",
    ("mlflow", "PATCH /api/3.0/mlflow/workspaces/{workspace_name}"): "the list shows workspaces[].name",
    ("mlflow", "DELETE /api/3.0/mlflow/workspaces/{workspace_name}"): "the list shows workspaces[].name",
}


def test_every_documented_success_is_exercised_except_where_no_id_can_be_learned(full_run):
    from mlops_conformance.contract import load_contracts

    answered: dict[tuple[str, str], set[int]] = {}
    for row in full_run.rows:
        answered.setdefault((row["vendor"], row["operation"]), set()).update(row.get("statuses") or [])
    never = set()
    for vendor, contract in load_contracts().items():
        for op in contract.operations():
            successes = {int(k) for k in op.responses if k.isdigit() and k.startswith("2")}
            if successes and not successes & answered.get((vendor, op.id), set()):
                never.add((vendor, op.id))
    assert never <= set(NOT_REACHABLE), sorted(never - set(NOT_REACHABLE))
