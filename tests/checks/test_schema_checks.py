"""The schema family, judged on hand-built responses against the fixture contract."""

from __future__ import annotations

import pytest

from mlops_conformance.checks import DRIFT, ERROR, FAIL, WARN, CheckFailed, CheckSkipped
from mlops_conformance.checks import schema as checks

from ._build import exchange, thing

ITEM = ("GET", "/api/things/{thingId}/")


def verdict_of(check, ctx, ex) -> str:  # type: ignore[no-untyped-def]
    try:
        check(ctx, ex)
    except CheckFailed as failed:
        return failed.verdict
    except CheckSkipped:
        return "skip"
    return "pass"


def test_a_documented_status_passes(context):
    checks.status_code_documented(context(*ITEM), exchange(200, thing()))


def test_an_undocumented_error_status_is_drift_naming_the_documented_ones(context):
    with pytest.raises(CheckFailed) as failed:
        checks.status_code_documented(context(*ITEM), exchange(418, {}))
    assert failed.value.verdict == DRIFT
    assert failed.value.message == "Received: 418 / Documented: 200, 404"


def test_an_undocumented_success_status_fails_because_success_codes_are_a_closed_claim(context):
    with pytest.raises(CheckFailed) as failed:
        checks.status_code_documented(context("POST", "/api/things/"), exchange(200, thing(), method="POST"))
    assert failed.value.verdict == FAIL
    assert failed.value.message == "Received: 200 / Documented: 201, 202, 422"


def test_an_undocumented_success_status_only_warns_when_the_documented_one_is_inferred(context):
    with pytest.raises(CheckFailed) as failed:
        checks.status_code_documented(context("GET", "/api/things/{thingId}/report"), exchange(201, {}))
    assert failed.value.verdict == WARN


def test_a_404_for_invented_path_values_is_not_drift(context):
    checks.status_code_documented(
        context("GET", "/api/things/{thingId}/report"), exchange(404, {}, fabricated=True)
    )


def test_a_server_error_fails_even_when_it_is_documented(context):
    with pytest.raises(CheckFailed) as failed:
        checks.not_a_server_error(context(*ITEM), exchange(503, {}))
    assert failed.value.verdict == FAIL
    assert failed.value.message.startswith("Received: 503 / Documented: 200, 404")


def test_a_valid_body_passes(context):
    checks.response_body(context(*ITEM), exchange(200, thing(owner={"userId": "u1", "role": "OWNER"})))


@pytest.mark.parametrize(
    ("body", "where"),
    [
        (thing(drop=("name",)), "missing required field"),
        (thing(score="high"), "$.score: Received: 'high'"),
        (thing(createdAt="yesterday"), "format date-time"),
        (thing(homepage="not a uri"), "format uri"),
        (thing(name=None), "$.name"),
        (thing(name="x" * 21), "maxLength 20"),
        (thing(score=-1), "minimum 0"),
        (thing(owner={"role": "OWNER"}), "$.owner"),
    ],
    ids=[
        "missing-required",
        "wrong-type",
        "date-time",
        "uri",
        "null-not-nullable",
        "max-length",
        "minimum",
        "one-of",
    ],
)
def test_a_broken_documented_rule_fails_with_its_location(context, body, where):
    with pytest.raises(CheckFailed) as failed:
        checks.response_body(context(*ITEM), exchange(200, body))
    assert failed.value.verdict == FAIL
    assert where in failed.value.message
    assert failed.value.schema_path.startswith("#/components/schemas/")
    assert failed.value.source == {"document": "mini/things.txt", "line": 40}


def test_an_enum_value_the_docs_do_not_list_fails_because_an_enum_is_a_closed_claim(context):
    with pytest.raises(CheckFailed) as failed:
        checks.response_body(context(*ITEM), exchange(200, thing(status="deleted")))
    assert failed.value.verdict == FAIL
    assert "$.status: Received: 'deleted' / Documented: one of 'active', 'archived'" in failed.value.message


def test_an_enum_value_outside_an_inferred_enum_only_warns(context):
    with pytest.raises(CheckFailed) as failed:
        checks.response_body(context(*ITEM), exchange(200, thing(tier="enterprise")))
    assert failed.value.verdict == WARN


def test_an_enum_value_outside_every_alternative_fails(context):
    with pytest.raises(CheckFailed) as failed:
        checks.response_body(context(*ITEM), exchange(200, thing(owner={"userId": "u", "role": "ADMIN"})))
    assert failed.value.verdict == FAIL


def test_a_field_the_docs_do_not_mention_is_drift(context):
    with pytest.raises(CheckFailed) as failed:
        checks.response_body(context(*ITEM), exchange(200, thing(color="red")))
    assert failed.value.verdict == DRIFT
    assert "undocumented field 'color'" in failed.value.message


def test_a_broken_rule_marked_inferred_only_warns(context):
    with pytest.raises(CheckFailed) as failed:
        checks.response_body(context(*ITEM), exchange(200, thing(size="three")))
    assert failed.value.verdict == WARN


def test_a_documented_failure_outranks_an_inferred_one(context):
    with pytest.raises(CheckFailed) as failed:
        checks.response_body(context(*ITEM), exchange(200, thing(size="three", score="high")))
    assert failed.value.verdict == FAIL


def test_keywords_the_scrape_lost_are_not_asserted(context):
    checks.response_body(context(*ITEM), exchange(200, thing(kind="anything")))


def test_a_placeholder_schema_accepts_anything(context):
    checks.response_body(context(*ITEM), exchange(200, thing(extra=[1, "two"])))


def test_an_inferred_response_only_warns(context):
    with pytest.raises(CheckFailed) as failed:
        checks.response_body(context("GET", "/api/things/{thingId}/report"), exchange(200, {"total": "many"}))
    assert failed.value.verdict == WARN


def test_garbage_instead_of_json_is_an_error_not_a_failure(context):
    with pytest.raises(CheckFailed) as failed:
        checks.response_body(context(*ITEM), exchange(200, raw=b'{"id": "t1", "na'))
    assert failed.value.verdict == ERROR
    assert "not valid JSON" in failed.value.message


def test_an_empty_body_where_json_is_documented_fails(context):
    with pytest.raises(CheckFailed) as failed:
        checks.response_body(context(*ITEM), exchange(200, raw=b""))
    assert failed.value.verdict == FAIL


def test_a_204_is_never_expected_to_carry_a_body(context):
    checks.response_body(
        context("PATCH", "/api/things/{thingId}/"), exchange(204, raw=b"", content_type=None)
    )


def test_an_empty_last_page_is_allowed_despite_min_items(context):
    page = {
        "count": 0,
        "data": [],
        "next": None,
        "previous": "http://h/api/things/?offset=0&limit=5",
        "totalCount": 3,
    }
    checks.response_body(context("GET", "/api/things/"), exchange(200, page))


def test_a_binary_body_is_not_parsed_as_json(context):
    checks.response_body(
        context("GET", "/api/things/{thingId}/download"),
        exchange(200, raw=b"\x00\x01", content_type="application/octet-stream"),
    )


def test_an_undocumented_status_leaves_the_body_to_the_status_check(context):
    assert verdict_of(checks.response_body, context(*ITEM), exchange(418, {"odd": True})) == "skip"


def test_a_content_type_the_docs_do_not_list_fails(context):
    with pytest.raises(CheckFailed) as failed:
        checks.content_type(context(*ITEM), exchange(200, thing(), content_type="text/plain"))
    assert failed.value.message == "Received: text/plain / Documented: application/json"


def test_a_body_without_content_type_fails(context):
    with pytest.raises(CheckFailed):
        checks.content_type(context(*ITEM), exchange(200, thing(), content_type=None))


def test_json_with_a_charset_is_the_documented_content_type(context):
    checks.content_type(
        context(*ITEM), exchange(200, thing(), content_type="application/json; charset=utf-8")
    )


def test_a_documented_header_with_a_bad_value_fails(context):
    ctx = context("POST", "/api/things/")
    assert (
        verdict_of(checks.response_headers, ctx, exchange(202, raw=b"", headers={"Location": "not a url"}))
        == FAIL
    )
    headers = {"Location": "http://h/api/jobs/1", "X-Job-Id": "1"}
    checks.response_headers(ctx, exchange(202, raw=b"", headers=headers))


def test_a_header_the_contract_marks_required_that_is_missing_fails(context):
    headers = {"X-Job-Id": "1", "X-Result-Url": "http://h/r"}
    with pytest.raises(CheckFailed) as failed:
        checks.response_headers(context("POST", "/api/things/"), exchange(202, raw=b"", headers=headers))
    assert failed.value.verdict == FAIL
    assert failed.value.message == "Received: no Location header / Documented: Location on 202"


def test_a_documented_header_not_marked_required_that_is_missing_only_warns(context):
    """OpenAPI: a response header is optional unless ``required: true``; the docs only imply it."""
    headers = {"Location": "http://h/api/jobs/1"}
    with pytest.raises(CheckFailed) as failed:
        checks.response_headers(context("POST", "/api/things/"), exchange(202, raw=b"", headers=headers))
    assert failed.value.verdict == WARN
    assert "no X-Job-Id header" in failed.value.message
    assert "X-Result-Url" not in failed.value.message + " ".join(failed.value.details)


def test_a_header_the_docs_describe_as_conditional_is_not_expected(context):
    headers = {"Location": "http://h/api/jobs/1", "X-Job-Id": "1"}
    checks.response_headers(context("POST", "/api/things/"), exchange(202, raw=b"", headers=headers))


def test_a_required_field_the_docs_call_conditional_only_warns_when_missing(context):
    """Required in the table, "Only available for hosted things." in the description (as DataRobot's
    DatetimeModelDetailsResponse.forecastWindowEnd): the docs' own words make it conditional."""
    with pytest.raises(CheckFailed) as failed:
        checks.response_body(context(*ITEM), exchange(200, thing(drop=("region",))))
    assert failed.value.verdict == WARN
    assert "region" in failed.value.message
    with pytest.raises(CheckFailed) as failed:
        checks.response_body(context(*ITEM), exchange(200, thing(drop=("region", "name"))))
    assert failed.value.verdict == FAIL


def test_a_relative_location_is_a_uri_reference_resolved_against_the_request(context):
    headers = {"Location": "/api/jobs/1", "X-Job-Id": "1"}
    checks.response_headers(context("POST", "/api/things/"), exchange(202, raw=b"", headers=headers))
