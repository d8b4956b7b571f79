"""``schema.operation_served``: a documented route the target does not serve is one row, and only
when the answer is certain (405/501 always; 404 only when nothing in the request was invented)."""

from __future__ import annotations

import pytest

from mlops_conformance.checks import ERROR, FAIL, WARN, CheckFailed, CheckSkipped, Probe, not_served
from mlops_conformance.checks.served import operation_served

from ._build import exchange

LIST = ("GET", "/api/things/")
ITEM = ("GET", "/api/things/{thingId}/")


def test_a_route_that_answers_is_served(context):
    operation_served(context(*LIST), Probe([exchange(200, {"data": []})]))
    operation_served(context(*LIST), Probe([exchange(422, {"message": "bad"})]))


def test_a_404_with_nothing_invented_is_a_route_not_served(context):
    ctx = context(*LIST)
    with pytest.raises(CheckFailed) as failed:
        operation_served(ctx, Probe([exchange(404, {"message": "no route"})]))
    assert failed.value.verdict == FAIL
    assert failed.value.message.startswith("Received: 404 / Documented: GET /api/things/ exists")
    assert failed.value.exchange is not None


def test_a_405_is_certain_even_when_something_was_invented(context):
    probe = Probe([exchange(405, {}, method="POST")], invented="the body was generated")
    with pytest.raises(CheckFailed) as failed:
        operation_served(context("POST", "/api/things/"), probe)
    assert failed.value.verdict == FAIL
    assert "405" in failed.value.message


def test_a_404_for_an_invented_id_proves_nothing(context):
    probe = Probe([exchange(404, {})], invented="the thingId was invented: nothing listed one")
    with pytest.raises(CheckSkipped) as skipped:
        operation_served(context(*ITEM), probe)
    assert "thingId was invented" in skipped.value.reason
    assert not_served(context(*ITEM).operation, probe) is None


def test_a_404_the_docs_list_for_the_operation_only_warns(context):
    """The item route documents 404, so a 404 on a listed id may be the documented answer."""
    with pytest.raises(CheckFailed) as failed:
        operation_served(context(*ITEM), Probe([exchange(404, {}), exchange(404, {})]))
    assert failed.value.verdict == WARN
    assert "twice, after listing the ids again" in failed.value.message


def test_a_probe_that_could_not_be_sent_is_skipped_and_a_dead_target_is_an_error(context):
    with pytest.raises(CheckSkipped):
        operation_served(context("POST", "/api/things/"), Probe(skipped="read-only target"))
    dead = exchange(200, {})
    dead.response, dead.error = None, "connection failed: refused"
    with pytest.raises(CheckFailed) as failed:
        operation_served(context(*LIST), Probe([dead]))
    assert failed.value.verdict == ERROR
