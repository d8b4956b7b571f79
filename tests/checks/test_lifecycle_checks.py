"""Resource families read from paths, and the lifecycle verdicts on hand-built runs."""

from __future__ import annotations

import pytest

from mlops_conformance.checks import (
    ERROR,
    FAIL,
    WARN,
    CheckContext,
    CheckFailed,
    CheckSkipped,
    LifecycleRun,
    Step,
    resource_families,
)
from mlops_conformance.checks import lifecycle as checks
from mlops_conformance.contract import Contract

from ._build import exchange, thing


def versioned_contract() -> Contract:
    ok = {"responses": {"200": {"description": "OK"}}}
    return Contract(
        "versioned",
        {
            "openapi": "3.1.0",
            "paths": {
                "/api/envs/beta/envs": {"post": ok, "get": ok},
                "/api/envs/v1/envs/{envId}": {"get": ok, "delete": ok},
                "/api/other/v1/things/{thingId}": {"get": ok},
            },
        },
    )


def test_a_family_is_a_create_with_an_item_that_can_be_read_and_deleted(contract):
    [family] = resource_families(contract)
    assert (family.collection, family.item, family.id_parameter) == (
        "/api/things/",
        "/api/things/{thingId}/",
        "thingId",
    )
    assert family.update.method == "PATCH" and family.list.id == "GET /api/things/"


def test_version_segments_do_not_split_a_family():
    [family] = resource_families(versioned_contract())
    assert (family.create.path, family.read.path, family.delete.path) == (
        "/api/envs/beta/envs",
        "/api/envs/v1/envs/{envId}",
        "/api/envs/v1/envs/{envId}",
    )
    assert family.update is None


def run_with(**steps: object) -> LifecycleRun:
    [family] = resource_families(
        Contract.load("mini", __import__("pathlib").Path(__file__).parent / "fixtures" / "mini.openapi.json")
    )
    run = LifecycleRun(
        family,
        resource_id="t1",
        created={"name": "mlops-conformance-1"},
        updated={"name": "mlops-conformance-1-updated"},
    )
    run.steps = {name: (value if isinstance(value, Step) else Step(value)) for name, value in steps.items()}  # type: ignore[misc]
    return run


GOOD = {
    "create": exchange(201, thing(id="t1", name="mlops-conformance-1"), method="POST"),
    "read": exchange(200, thing(id="t1", name="mlops-conformance-1")),
    "list": Step(exchange(200, {"data": [thing(id="t1")]}), note="found"),
    "update": exchange(204, raw=b"", method="PATCH"),
    "read_updated": exchange(200, thing(id="t1", name="mlops-conformance-1-updated")),
    "delete": exchange(204, raw=b"", method="DELETE"),
    "read_deleted": exchange(404, {"message": "gone"}),
}


@pytest.mark.parametrize(
    "check",
    [
        checks.create,
        checks.read_back,
        checks.listed,
        checks.update_visible,
        checks.delete,
        checks.gone_after_delete,
        checks.cleanup,
    ],
)
def test_a_resource_that_lives_as_documented_passes_every_step(context, check):
    check(context("POST", "/api/things/"), run_with(**GOOD))


@pytest.mark.parametrize(
    ("step", "replacement", "check", "message"),
    [
        (
            "read",
            exchange(200, thing(id="t1", name="other")),
            checks.read_back,
            "read after create: name: sent 'mlops-conformance-1', read back 'other'",
        ),
        (
            "list",
            Step(exchange(200, {"data": []}), note="not among the 0 items listed"),
            checks.listed,
            "list after create: 't1' not in the list",
        ),
        (
            "read_deleted",
            exchange(200, {**thing(id="t1"), "status": "deleted"}),
            checks.gone_after_delete,
            "read after delete: Received: 200 / Expected: 404",
        ),
    ],
    ids=["read-back-normalised", "not-listed-yet", "soft-deleted"],
)
def test_what_a_real_server_may_legitimately_do_only_warns(context, step, replacement, check, message):
    run = run_with(**{**GOOD, step: replacement})
    with pytest.raises(CheckFailed) as failed:
        check(context("POST", "/api/things/"), run)
    assert failed.value.verdict == WARN
    assert failed.value.message.startswith(message)


@pytest.mark.parametrize(
    ("step", "replacement", "check", "message"),
    [
        ("read", exchange(404, {}), checks.read_back, "read after create: Received: 404 / Expected: 2xx"),
        (
            "read_updated",
            exchange(200, thing(id="t1", name="mlops-conformance-1")),
            checks.update_visible,
            "read after update: name",
        ),
        (
            "delete",
            exchange(500, {}, method="DELETE"),
            checks.delete,
            "delete: Received: 500 / Expected: 2xx",
        ),
        (
            "read_deleted",
            exchange(200, thing(id="t1")),
            checks.gone_after_delete,
            "read after delete: Received: 200 / Expected: 404",
        ),
    ],
    ids=[
        "not-persisted",
        "update-ignored",
        "delete-fails",
        "delete-ignored",
    ],
)
def test_a_broken_step_fails_on_its_own_row(context, step, replacement, check, message):
    run = run_with(**{**GOOD, step: replacement})
    with pytest.raises(CheckFailed) as failed:
        check(context("POST", "/api/things/"), run)
    assert failed.value.verdict == FAIL
    assert failed.value.message.startswith(message)


def test_a_create_without_an_id_fails(context):
    run = run_with(**GOOD)
    run.resource_id = None
    with pytest.raises(CheckFailed) as failed:
        checks.create(context("POST", "/api/things/"), run)
    assert "names no id" in failed.value.message


def test_steps_not_reached_are_skipped_with_the_reason(context):
    run = run_with(create=GOOD["create"])
    with pytest.raises(CheckSkipped) as skipped:
        checks.delete(context("POST", "/api/things/"), run)
    assert skipped.value.reason == "the delete step was not reached"


def test_a_step_lost_to_the_transport_is_an_error(context):
    broken = GOOD["read"].__class__(GOOD["read"].request, None, error="connection failed: refused")
    with pytest.raises(CheckFailed) as failed:
        checks.read_back(context("POST", "/api/things/"), run_with(**{**GOOD, "read": broken}))
    assert failed.value.verdict == ERROR


def test_a_failed_cleanup_fails_and_names_what_was_left(context):
    run = run_with(**GOOD)
    run.cleanup_errors = ["mini /api/things/t1/ (mlops-conformance-1) left behind: DELETE answered 500"]
    with pytest.raises(CheckFailed) as failed:
        checks.cleanup(context("POST", "/api/things/"), run)
    assert "mlops-conformance-1" in failed.value.message


def test_a_read_only_run_skips_every_step(context):
    run = LifecycleRun(
        run_with().family,
        skipped="read-only target: the lifecycle creates and deletes, which needs --allow-writes",
    )
    for check in (checks.create, checks.read_back, checks.cleanup):
        with pytest.raises(CheckSkipped):
            check(context("POST", "/api/things/"), run)


def test_lifecycle_rows_sit_on_the_operation_of_their_step(contract):
    from mlops_conformance.checks import REGISTRY

    ctx = CheckContext(contract, contract.operation("DELETE", "/api/things/{thingId}/"))
    applies = {c.id for c in REGISTRY.family("lifecycle") if c.applies(contract, ctx.operation)}
    assert applies == {"lifecycle.delete", "lifecycle.gone_after_delete"}
