"""The official ``mlflow`` client (``MlflowClient``, unmodified) works against the mock, and the mock's
MLflow answers keep MLflow's semantics: values round-trip, searches page by token, errors carry
MLflow's ``error_code``.

The mock runs as a real uvicorn server on a free loopback port over the bundled MLflow contract;
MLflow's open-source server asks for no credentials, and neither does the mock for MLflow.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from mlflow import MlflowClient
from mlflow.entities import Metric, Param, RunTag
from mlflow.exceptions import MlflowException

from mlops_conformance.contract import Contract
from mlops_conformance.mock import create_app
from mlops_conformance.mock.server import serve_app

API = "/api/2.0/mlflow"


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    app = create_app([Contract.load("mlflow")], token="unused-by-mlflow", seed=3)
    with serve_app(app) as running:
        yield running.url


@pytest.fixture(scope="module")
def client(url: str) -> MlflowClient:
    return MlflowClient(tracking_uri=url, registry_uri=url)


@pytest.fixture
def http(url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=url + API, timeout=10) as session:
        yield session


def test_experiments_create_get_search_rename_delete_restore(client: MlflowClient) -> None:
    experiment_id = client.create_experiment("client-exp", tags={"team": "ml"})
    experiment = client.get_experiment(experiment_id)
    assert (experiment.name, experiment.tags, experiment.lifecycle_stage) == (
        "client-exp",
        {"team": "ml"},
        "active",
    )
    assert client.get_experiment_by_name("client-exp").experiment_id == experiment_id
    found = client.search_experiments(filter_string="name = 'client-exp'")
    assert [e.experiment_id for e in found] == [experiment_id]
    assert "Default" in {e.name for e in client.search_experiments()}

    client.rename_experiment(experiment_id, "client-exp-renamed")
    assert client.get_experiment(experiment_id).name == "client-exp-renamed"
    client.delete_experiment(experiment_id)
    assert client.get_experiment(experiment_id).lifecycle_stage == "deleted"
    assert experiment_id not in {e.experiment_id for e in client.search_experiments()}
    client.restore_experiment(experiment_id)
    assert client.get_experiment(experiment_id).lifecycle_stage == "active"


def test_a_taken_experiment_name_and_an_unknown_id_are_mlflow_errors(client: MlflowClient) -> None:
    client.create_experiment("taken-name")
    with pytest.raises(MlflowException) as taken:
        client.create_experiment("taken-name")
    assert taken.value.error_code == "RESOURCE_ALREADY_EXISTS"
    with pytest.raises(MlflowException) as missing:
        client.get_experiment("987654")
    assert missing.value.error_code == "RESOURCE_DOES_NOT_EXIST"


def test_a_run_logs_metrics_params_and_tags_and_reads_them_back(client: MlflowClient) -> None:
    experiment_id = client.create_experiment("client-runs")
    run = client.create_run(experiment_id, run_name="first", tags={"stage": "dev"})
    run_id = run.info.run_id
    for step, loss in enumerate((0.9, 0.5, 0.25)):
        client.log_metric(run_id, "loss", loss, timestamp=1_000 + step, step=step)
    client.log_param(run_id, "lr", "0.01")
    client.set_tag(run_id, "owner", "conformance")
    client.log_batch(
        run_id,
        metrics=[Metric("accuracy", 0.75, 2_000, 0)],
        params=[Param("epochs", "3")],
        tags=[RunTag("batch", "yes")],
    )
    client.set_terminated(run_id, status="FINISHED", end_time=5_000)

    read = client.get_run(run_id)
    assert read.info.run_name == "first" and read.info.status == "FINISHED" and read.info.end_time == 5_000
    assert read.data.metrics == {"loss": 0.25, "accuracy": 0.75}
    assert read.data.params == {"lr": "0.01", "epochs": "3"}
    assert {"stage": "dev", "owner": "conformance", "batch": "yes"}.items() <= read.data.tags.items()

    history = client.get_metric_history(run_id, "loss")
    assert [(m.step, m.value, m.timestamp) for m in history] == [
        (0, 0.9, 1_000),
        (1, 0.5, 1_001),
        (2, 0.25, 1_002),
    ]

    found = client.search_runs([experiment_id])
    assert [r.info.run_id for r in found] == [run_id]
    assert found[0].data.params == {"lr": "0.01", "epochs": "3"}
    assert [
        r.info.run_id for r in client.search_runs([experiment_id], filter_string="params.lr = '0.01'")
    ] == [run_id]
    assert client.search_runs([experiment_id], filter_string="params.lr = '0.02'") == []


def test_a_param_is_logged_once(client: MlflowClient) -> None:
    run = client.create_run(client.create_experiment("client-params"))
    client.log_param(run.info.run_id, "lr", "0.1")
    client.log_param(run.info.run_id, "lr", "0.1")  # the same value again is fine
    with pytest.raises(MlflowException) as changed:
        client.log_param(run.info.run_id, "lr", "0.2")
    assert changed.value.error_code == "INVALID_PARAMETER_VALUE"


def test_a_deleted_run_leaves_the_search_and_comes_back_restored(client: MlflowClient) -> None:
    experiment_id = client.create_experiment("client-deleted-runs")
    run_id = client.create_run(experiment_id).info.run_id
    client.delete_run(run_id)
    assert client.get_run(run_id).info.lifecycle_stage == "deleted"
    assert client.search_runs([experiment_id]) == []
    client.restore_run(run_id)
    assert [r.info.run_id for r in client.search_runs([experiment_id])] == [run_id]


def test_models_and_versions_are_registered_and_searched(client: MlflowClient) -> None:
    run_id = client.create_run(client.create_experiment("client-registry")).info.run_id
    model = client.create_registered_model("client-model", tags={"domain": "churn"}, description="a model")
    assert (model.name, model.description, model.tags) == ("client-model", "a model", {"domain": "churn"})
    first = client.create_model_version("client-model", "s3://bucket/model/1", run_id=run_id)
    second = client.create_model_version("client-model", "s3://bucket/model/2")
    assert (first.version, first.source, first.run_id) == ("1", "s3://bucket/model/1", run_id)
    assert second.version == "2"

    assert client.get_model_version("client-model", "1").source == "s3://bucket/model/1"
    read = client.get_registered_model("client-model")
    assert [v.version for v in read.latest_versions] == ["2"]
    found = client.search_registered_models(filter_string="name = 'client-model'")
    assert [m.name for m in found] == ["client-model"]
    versions = client.search_model_versions("name = 'client-model'")
    assert sorted((v.version, v.source) for v in versions) == [
        ("1", "s3://bucket/model/1"),
        ("2", "s3://bucket/model/2"),
    ]

    with pytest.raises(MlflowException) as taken:
        client.create_registered_model("client-model")
    assert taken.value.error_code == "RESOURCE_ALREADY_EXISTS"
    client.delete_registered_model("client-model")
    with pytest.raises(MlflowException) as gone:
        client.get_registered_model("client-model")
    assert gone.value.error_code == "RESOURCE_DOES_NOT_EXIST"


# -- the wire, without the client ------------------------------------------------------------------


def _walk(
    http: httpx.Client, method: str, rpc: str, items: str, size: int, **fields: Any
) -> list[dict[str, Any]]:
    """Every page of a search, following next_page_token; asserts the token's absence ends it."""
    pages: list[dict[str, Any]] = []
    token = None
    for _ in range(50):
        request = {**fields, "max_results": size, **({"page_token": token} if token else {})}
        answer = http.get(rpc, params=request) if method == "GET" else http.post(rpc, json=request)
        assert answer.status_code == 200, answer.text
        pages.append(answer.json())
        token = pages[-1].get("next_page_token")
        if token is None:
            return [item for page in pages for item in page.get(items, [])]
        assert token, "a token is absent or a non-empty string"
        assert len(pages[-1][items]) == size  # a page before the last is full
    raise AssertionError("the walk did not end")


def test_experiment_search_pages_by_token_without_duplicates(http: httpx.Client) -> None:
    for index in range(5):
        assert http.post("experiments/create", json={"name": f"paged-{index}"}).status_code == 200
    whole = http.get("experiments/search", params={"max_results": 1000}).json()
    assert "next_page_token" not in whole
    walked = _walk(http, "GET", "experiments/search", "experiments", 2)
    ids = [e["experiment_id"] for e in walked]
    assert len(ids) == len(set(ids)) and ids == [e["experiment_id"] for e in whole["experiments"]]
    assert _walk(http, "POST", "experiments/search", "experiments", 3) == walked


def test_a_last_page_that_is_exactly_full_carries_no_token(http: httpx.Client) -> None:
    total = len(http.get("experiments/search", params={"max_results": 1000}).json()["experiments"])
    answer = http.get("experiments/search", params={"max_results": total}).json()
    assert len(answer["experiments"]) == total and "next_page_token" not in answer


def test_run_search_and_metric_history_page_by_token(http: httpx.Client) -> None:
    experiment_id = http.post("experiments/create", json={"name": "paged-runs"}).json()["experiment_id"]
    run_ids = [
        http.post("runs/create", json={"experiment_id": experiment_id, "start_time": 10 + i}).json()["run"][
            "info"
        ]["run_id"]
        for i in range(5)
    ]
    walked = _walk(http, "POST", "runs/search", "runs", 2, experiment_ids=[experiment_id])
    assert [r["info"]["run_id"] for r in walked] == run_ids[::-1]  # newest start first
    for step in range(7):
        http.post(
            "runs/log-metric",
            json={"run_id": run_ids[0], "key": "m", "value": step, "timestamp": 1, "step": step},
        )
    history = _walk(http, "GET", "metrics/get-history", "metrics", 3, run_id=run_ids[0], metric_key="m")
    assert [m["step"] for m in history] == list(range(7))
    assert all(
        isinstance(m["timestamp"], int) and isinstance(m["step"], int) for m in history
    )  # int64: numbers


def test_registry_searches_page_by_token(http: httpx.Client) -> None:
    for index in range(4):
        http.post("registered-models/create", json={"name": f"paged-model-{index}"})
        http.post("model-versions/create", json={"name": f"paged-model-{index}", "source": f"s3://m/{index}"})
    models = _walk(http, "GET", "registered-models/search", "registered_models", 3)
    names = [m["name"] for m in models]
    assert names == sorted(set(names)) and {f"paged-model-{i}" for i in range(4)} <= set(names)
    versions = _walk(http, "GET", "model-versions/search", "model_versions", 2)
    keys = [(v["name"], v["version"]) for v in versions]
    assert len(keys) == len(set(keys)) and {(f"paged-model-{i}", "1") for i in range(4)} <= set(keys)


def test_a_token_the_server_never_issued_is_invalid_parameter_value(http: httpx.Client) -> None:
    answer = http.get("experiments/search", params={"max_results": 1, "page_token": "not-a-token"})
    assert answer.status_code == 400
    assert answer.json()["error_code"] == "INVALID_PARAMETER_VALUE"


@pytest.mark.parametrize(
    ("method", "rpc", "fields"),
    [
        ("GET", "experiments/get", {"experiment_id": "424242"}),
        ("GET", "experiments/get-by-name", {"experiment_name": "no-such-experiment"}),
        ("GET", "runs/get", {"run_id": "0" * 32}),
        ("POST", "runs/log-metric", {"run_id": "0" * 32, "key": "m", "value": 1, "timestamp": 1}),
        ("GET", "registered-models/get", {"name": "no-such-model"}),
        ("GET", "model-versions/get", {"name": "no-such-model", "version": "1"}),
    ],
)
def test_an_unknown_id_is_a_404_with_mlflows_error_shape(
    http: httpx.Client, method: str, rpc: str, fields: dict[str, Any]
) -> None:
    answer = http.get(rpc, params=fields) if method == "GET" else http.post(rpc, json=fields)
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("application/json")
    body = answer.json()
    assert (
        body["error_code"] == "RESOURCE_DOES_NOT_EXIST"
        and isinstance(body["message"], str)
        and body["message"]
    )
    assert {"error_code", "message"} <= set(body)  # MLflow 3.18 adds error_class and sqlstate


@pytest.mark.parametrize("start_time", [-430335238181381482741760, 2**63, "12x"])
def test_an_int64_no_answer_could_carry_is_invalid_parameter_value_not_a_server_error(
    http: httpx.Client, start_time: Any
) -> None:
    answer = http.post("runs/create", json={"experiment_id": "0", "start_time": start_time})
    assert answer.status_code == 400
    assert answer.json()["error_code"] == "INVALID_PARAMETER_VALUE"


def test_every_mlflow_handler_names_an_operation_of_the_contract() -> None:
    """A handler whose RPC left the contract would silently fall back to the generic answers."""
    from mlops_conformance.mock.mlflow_rpc import HANDLERS

    documented = {op.id for op in Contract.load("mlflow").operations()}
    assert set(HANDLERS) <= documented, sorted(set(HANDLERS) - documented)
