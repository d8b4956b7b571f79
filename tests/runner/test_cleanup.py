"""Resources the run creates are deleted, also when a step blows up or the run is interrupted."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from mlops_conformance.checks import NAME_PREFIX, resource_families
from mlops_conformance.contract import Contract
from mlops_conformance.mock import serve_in_background
from mlops_conformance.runner.client import Credential, TargetClient
from mlops_conformance.runner.generate import Generator
from mlops_conformance.runner.lifecycle import run_lifecycle
from mlops_conformance.runner.resources import Resources, Tracker

TOKEN = "tok-cleanup"


class InterruptedOnUpdate(TargetClient):
    """Stands for a user pressing Ctrl-C while the update is in flight."""

    def send(self, vendor: str, method: str, path: str, **kwargs: Any):  # type: ignore[no-untyped-def]
        if method == "PATCH":
            self.interrupted_at = path
            raise KeyboardInterrupt
        return super().send(vendor, method, path, **kwargs)


def resources_for(url: str, client_type: type[TargetClient] = TargetClient) -> Resources:
    contract = Contract.load("datarobot")
    client = client_type(
        url,
        tokens={"datarobot": TOKEN},
        credentials={"datarobot": Credential()},
        timeout_s=5,
        allow_writes=True,
    )
    return Resources("datarobot", contract, client, Generator(contract, 1, 1), Tracker(client), writes=True)


def use_cases() -> Any:
    return next(
        f for f in resource_families(Contract.load("datarobot")) if f.collection == "/api/v2/useCases/"
    )


def test_an_interrupted_lifecycle_still_deletes_what_it_created():
    with serve_in_background(["datarobot"], token=TOKEN) as mock:
        resources = resources_for(mock.url, InterruptedOnUpdate)
        with pytest.raises(KeyboardInterrupt):
            run_lifecycle(resources, use_cases())
        assert resources.tracker.alive == []
        item = resources.client.interrupted_at  # type: ignore[attr-defined]
        assert httpx.get(mock.url + item, headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 404


def test_a_completed_lifecycle_names_its_resource_with_the_prefix_and_leaves_nothing():
    with serve_in_background(["datarobot"], token=TOKEN) as mock:
        resources = resources_for(mock.url)
        run = run_lifecycle(resources, use_cases())
        assert run.created["name"].startswith(NAME_PREFIX)
        assert run.cleanup_errors == [] and resources.tracker.alive == []
        assert run.steps["read_deleted"].exchange.status == 404


def test_leftovers_are_deleted_at_the_end_of_the_session_and_failures_are_kept():
    with serve_in_background(["datarobot"], token=TOKEN) as mock:
        resources = resources_for(mock.url)
        made, _ = resources.create(use_cases(), {})
        assert resources.tracker.alive == [made]
        assert resources.tracker.delete_all() == []
        reader = httpx.get(mock.url + made.path, headers={"Authorization": f"Bearer {TOKEN}"})
        assert reader.status_code == 404
    # the target is gone now: a delete that cannot happen is reported, naming the resource
    resources.tracker.add(made)
    [message] = resources.tracker.delete_all()
    assert made.label in message and "left behind" in message
    assert resources.tracker.errors[0]["operation"] == "DELETE /api/v2/useCases/{useCaseId}/"
