"""Documented fields that no answer of the run carried, and the undocumented fields that look like
their renames: judged over the whole run, reported as drift."""

from __future__ import annotations

import orjson

from mlops_conformance.checks import REGISTRY, Exchange, RecordedRequest, RecordedResponse
from mlops_conformance.contract import Contract, load_contracts
from mlops_conformance.runner import field_coverage

GRANTS = ("GET", "/api/datasetrw/v1/datasets/{datasetId}/grants")
META = {"notices": [], "requestId": "r1"}


def answer(body: object, status: int = 200, url: str = "http://h/x") -> Exchange:
    response = RecordedResponse(status, {"Content-Type": "application/json"}, orjson.dumps(body))
    return Exchange(RecordedRequest("GET", url), response)


def rows_for(contract: Contract, op_key: tuple[str, str], bodies: list[object]) -> list[dict]:
    coverage = field_coverage.FieldCoverage({contract.vendor: contract})
    op = contract.operation(*op_key)
    for body in bodies:
        coverage.observe(contract.vendor, op, answer(body))
    merged = field_coverage.merge([coverage.export()])
    return field_coverage.rows(merged, {contract.vendor: contract}, REGISTRY.get("schema.fields_seen"))


def test_a_renamed_field_on_the_real_domino_contract_is_drift_naming_the_likely_rename():
    domino = load_contracts(("domino",))["domino"]
    served = {"grantDetails": [{"targetId": "u1", "targetRole": "DatasetRwEditor"}], "metadata": META}
    (row,) = rows_for(domino, GRANTS, [served, served])
    assert row["verdict"] == "drift"
    assert row["check"] == "schema.fields_seen"
    assert row["evidence"]["unseen"] == ["grants"]
    assert row["evidence"]["renames"] == [
        {"documented": "grants", "received": "grantDetails", "type": "array"}
    ]
    assert "never received in 2 responses: grants" in row["evidence"]["message"]


def test_every_documented_field_seen_once_across_answers_passes():
    domino = load_contracts(("domino",))["domino"]
    first = {"grants": [{"targetId": "u1", "targetRole": "DatasetRwEditor"}]}
    second = {"metadata": META}
    (row,) = rows_for(domino, GRANTS, [first, second])
    assert row["verdict"] == "pass", row["evidence"].get("message")


def test_fields_below_an_object_never_received_are_not_listed_one_by_one():
    domino = load_contracts(("domino",))["domino"]
    (row,) = rows_for(domino, GRANTS, [{"metadata": META}])
    assert row["evidence"]["unseen"] == ["grants"]  # not grants[].targetId and the rest


def test_error_answers_and_shares_of_several_workers():
    domino = load_contracts(("domino",))["domino"]
    op = domino.operation(*GRANTS)
    one, two = (
        field_coverage.FieldCoverage({"domino": domino}),
        field_coverage.FieldCoverage({"domino": domino}),
    )
    one.observe("domino", op, answer({"grants": []}))
    two.observe("domino", op, answer({"metadata": META}))
    two.observe("domino", op, answer({"message": "nope"}, status=404))  # not a success: not counted
    merged = field_coverage.merge([one.export(), two.export()])
    (row,) = field_coverage.rows(merged, {"domino": domino}, REGISTRY.get("schema.fields_seen"))
    assert row["evidence"]["responses"] == 2
    assert row["verdict"] == "pass"


def test_documented_fields_follow_refs_arrays_and_allof_but_not_alternatives():
    datarobot = load_contracts(("datarobot",))["datarobot"]
    op = datarobot.operation("GET", "/api/v2/useCases/")
    schema = datarobot.response_schema(op, "200")
    fields, closed = field_coverage.documented_fields(datarobot, schema)
    assert {"data", "data[].id", "data[].name", "totalCount"} <= set(fields)
    assert "" in closed and "data[]" in closed
