"""The examples family: documented examples against their own schemas, and the replay verdicts."""

from __future__ import annotations

import pytest

from mlops_conformance.checks import DOCS, DRIFT, FAIL, CheckFailed, CheckSkipped
from mlops_conformance.checks import examples as checks

from ._build import exchange, thing


def test_a_valid_response_example_passes(context):
    checks.response_examples(context("GET", "/api/things/"), None)


def test_a_response_example_that_breaks_its_schema_is_a_docs_bug_with_its_source_line(context):
    with pytest.raises(CheckFailed) as failed:
        checks.response_examples(context("GET", "/api/things/{thingId}/"), None)
    assert failed.value.verdict == DOCS
    assert "missing required field ('name')" in failed.value.message
    assert failed.value.source == {"document": "mini/things.txt", "line": 33}


def test_a_field_the_schema_does_not_list_in_an_example_is_a_docs_bug_too(context):
    with pytest.raises(CheckFailed) as failed:
        checks.response_examples(context("GET", "/api/things/{thingId}/"), None)
    assert any("undocumented field 'color'" in d for d in failed.value.details + [failed.value.message])


def test_an_operation_without_examples_is_skipped_with_the_reason(context):
    with pytest.raises(CheckSkipped) as skipped:
        checks.response_examples(context("DELETE", "/api/things/{thingId}/"), None)
    assert skipped.value.reason == "no documented response example"


def test_a_request_example_that_breaks_its_schema_is_a_docs_bug(context):
    with pytest.raises(CheckFailed) as failed:
        checks.request_examples(context("POST", "/api/things/"), None)
    assert failed.value.verdict == DOCS
    assert "request body example" in failed.value.message
    assert failed.value.source == {"document": "mini/things.txt", "line": 24}


def test_a_replayed_example_answered_as_documented_passes(context):
    checks.request_example_replay(context("POST", "/api/things/"), exchange(201, thing(), method="POST"))


def test_a_replayed_example_answered_with_a_server_error_fails(context):
    with pytest.raises(CheckFailed) as failed:
        checks.request_example_replay(context("POST", "/api/things/"), exchange(500, {}, method="POST"))
    assert failed.value.verdict == FAIL


def test_a_replayed_example_answered_with_an_undocumented_status_is_drift(context):
    with pytest.raises(CheckFailed) as failed:
        checks.request_example_replay(context("POST", "/api/things/"), exchange(409, {}, method="POST"))
    assert failed.value.verdict == DRIFT


def test_a_replayed_example_answered_with_an_invalid_body_fails(context):
    with pytest.raises(CheckFailed) as failed:
        checks.request_example_replay(
            context("POST", "/api/things/"), exchange(201, thing(drop=("id",)), method="POST")
        )
    assert failed.value.verdict == FAIL
