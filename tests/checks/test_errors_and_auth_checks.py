"""Negative inputs (4xx, never 5xx) and authentication (401/403) on hand-built answers."""

from __future__ import annotations

import pytest

from mlops_conformance.checks import FAIL, WARN, CheckFailed, CheckSkipped, auth, errors

from ._build import exchange

LIST = ("GET", "/api/things/")


def test_invalid_input_rejected_with_a_4xx_passes(context):
    errors.invalid_input_rejected(context(*LIST), exchange(422, {}, mode="mutation", mutation="x"))


def test_an_invalid_body_accepted_fails_where_the_docs_say_invalid_input_is_refused(context):
    """POST /api/things/ documents a 422 ("Invalid"): accepting a body that breaks the schema fails."""
    where = "#/paths/~1api~1things~1/post/requestBody/content/application~1json/schema"
    with pytest.raises(CheckFailed) as failed:
        errors.invalid_input_rejected(
            context("POST", "/api/things/"),
            exchange(
                201, {}, method="POST", mode="mutation", mutation="7 for string `name`", schema_path=where
            ),
        )
    assert failed.value.verdict == FAIL
    assert failed.value.message == "Received: 201 / Expected: a 4xx for 7 for string `name`"


def test_an_invalid_query_value_accepted_only_warns_servers_may_ignore_query_values(context):
    mutation = "value 'zz' outside the documented enum of query parameter `status`"
    with pytest.raises(CheckFailed) as failed:
        errors.invalid_input_rejected(
            context(*LIST),
            exchange(
                200,
                {},
                mode="mutation",
                mutation=mutation,
                schema_path="#/paths/~1api~1things~1/get/parameters/0",
            ),
        )
    assert failed.value.verdict == WARN
    assert failed.value.message == f"Received: 200 / Expected: a 4xx for {mutation}"


def test_an_invalid_body_accepted_where_no_refusal_is_documented_only_warns(context):
    with pytest.raises(CheckFailed) as failed:
        errors.invalid_input_rejected(
            context("PATCH", "/api/things/{thingId}/"),
            exchange(200, {}, method="PATCH", mode="mutation", mutation="x", schema_path="#/p/requestBody/x"),
        )
    assert failed.value.verdict == WARN


def test_invalid_input_against_an_inferred_rule_accepted_only_warns(context):
    with pytest.raises(CheckFailed) as failed:
        errors.invalid_input_rejected(
            context(*LIST), exchange(200, {}, mode="mutation", mutation="x", inferred=True)
        )
    assert failed.value.verdict == WARN


def test_invalid_input_that_crashes_the_server_fails_even_for_inferred_rules(context):
    with pytest.raises(CheckFailed) as failed:
        errors.invalid_input_rejected(
            context(*LIST), exchange(500, {}, mode="mutation", mutation="x", inferred=True)
        )
    assert failed.value.verdict == FAIL


@pytest.mark.parametrize("status", [200, 400, 404, 422])
def test_negative_input_that_does_not_crash_the_server_passes(context, status):
    errors.no_server_error(context(*LIST), exchange(status, {}, mode="negative"))


def test_negative_input_that_crashes_the_server_fails(context):
    with pytest.raises(CheckFailed) as failed:
        errors.no_server_error(context(*LIST), exchange(502, {}, mode="negative"))
    assert failed.value.message.startswith("Received: 502 for invalid input")


@pytest.mark.parametrize("status", [401, 403])
def test_a_request_without_credentials_refused_passes(context, status):
    auth.missing_token_rejected(context(*LIST), exchange(status, {}, mode="no_token"))


def test_a_request_without_credentials_answered_fails(context):
    with pytest.raises(CheckFailed) as failed:
        auth.missing_token_rejected(context(*LIST), exchange(200, {}, mode="no_token"))
    assert failed.value.message == "Received: 200 without credentials / Expected: 401 or 403"


def test_a_wrong_token_answered_fails(context):
    with pytest.raises(CheckFailed) as failed:
        auth.wrong_token_rejected(context(*LIST), exchange(200, {}, mode="wrong_token"))
    assert failed.value.message == "Received: 200 with a wrong token / Expected: 401 or 403"


def test_each_auth_check_ignores_the_other_request(context):
    with pytest.raises(CheckSkipped):
        auth.wrong_token_rejected(context(*LIST), exchange(200, {}, mode="no_token"))


def test_operations_documented_as_public_have_no_auth_rows(contract):
    from mlops_conformance.checks import REGISTRY

    check = REGISTRY.get("auth.missing_token_rejected")
    assert not check.applies(contract, contract.operation("GET", "/api/things/{thingId}/download"))
    assert check.applies(contract, contract.operation(*LIST))


@pytest.mark.parametrize(("status", "verdict"), [(200, FAIL), (500, FAIL), (404, WARN), (302, WARN)])
def test_a_request_without_credentials_served_fails_and_refused_otherwise_warns(context, status, verdict):
    with pytest.raises(CheckFailed) as failed:
        auth.missing_token_rejected(context(*LIST), exchange(status, {}, mode="no_token"))
    assert failed.value.verdict == verdict
