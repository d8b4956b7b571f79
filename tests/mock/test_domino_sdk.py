"""The official ``dominodatalab`` SDK (PyPI, unmodified) works against the mock started as a subprocess."""

from __future__ import annotations

import pytest
import requests
from domino import Domino

from conftest import SDK_TOKEN


@pytest.fixture(scope="module")
def domino(mock_process: str) -> Domino:
    return Domino("owner/project", api_key=SDK_TOKEN, host=mock_process)


def test_the_client_accepts_the_deployment_version(domino: Domino) -> None:
    assert domino.requires_at_least("4.1.0")


def test_environments_create_get_archive(domino: Domino) -> None:
    created = domino.create_environment(name="sdk env", visibility="Private", base_image="python:3.11")
    environment = created["environment"]
    assert (environment["name"], environment["visibility"]) == ("sdk env", "Private")
    assert domino.get_environment(environment["id"])["environment"]["id"] == environment["id"]
    domino.archive_environment(environment["id"])
    with pytest.raises(requests.HTTPError) as gone:
        domino.get_environment(environment["id"])
    assert gone.value.response.status_code == 404


def test_custom_metrics_log_a_metric_and_trigger_an_alert(domino: Domino) -> None:
    metrics = domino.custom_metrics_client()
    metrics.log_metric("monitored-model", "accuracy", 0.91, "2024-05-01T00:00:00Z", {"region": "eu"})
    metrics.trigger_alert(
        "monitored-model",
        "accuracy",
        0.2,
        condition=metrics.LESS_THAN,
        lower_limit=0.5,
        upper_limit=1.0,
        description="too low",
    )


def test_a_bearer_token_works_as_well_as_an_api_key(mock_process: str) -> None:
    assert Domino("owner/project", auth_token=SDK_TOKEN, host=mock_process).requires_at_least("4.1.0")
