"""Deleting what an RPC create made: ``x-cleanup`` turned into the one request that undoes it."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from mlops_conformance.checks import Exchange, RecordedRequest, RecordedResponse
from mlops_conformance.contract import Contract
from mlops_conformance.runner.resources import cleanup_request


@pytest.fixture(scope="module")
def mlflow() -> Contract:
    return Contract.load("mlflow")


def created(body: Any) -> Exchange:
    headers = {"Content-Type": "application/json"}
    request = RecordedRequest("POST", "http://target/api/2.0/mlflow/x/create")
    return Exchange(request, RecordedResponse(200, headers, orjson.dumps(body)))


def test_an_experiment_is_deleted_by_the_id_its_create_answered(mlflow):
    op = mlflow.operation("POST", "/api/2.0/mlflow/experiments/create")
    how = cleanup_request(mlflow, op, created({"experiment_id": "42"}))
    assert how is not None
    assert (how.method, how.path, how.json, how.params) == (
        "POST",
        "/api/2.0/mlflow/experiments/delete",
        {"experiment_id": "42"},
        {},
    )


def test_a_nested_answer_and_a_path_parameter(mlflow):
    versions = mlflow.operation("POST", "/api/2.0/mlflow/model-versions/create")
    how = cleanup_request(mlflow, versions, created({"model_version": {"name": "m", "version": "3"}}))
    assert how is not None and how.method == "DELETE" and how.json == {"name": "m", "version": "3"}
    datasets = mlflow.operation("POST", "/api/3.0/mlflow/datasets/create")
    how = cleanup_request(mlflow, datasets, created({"dataset": {"dataset_id": "d/1"}}))
    assert how is not None and how.path == "/api/3.0/mlflow/datasets/d%2F1" and how.json in (None, {})


@pytest.mark.parametrize("body", [{}, {"run": {"info": {}}}, {"run": {"info": {"run_id": {"x": 1}}}}, "text"])
def test_nothing_is_guessed_when_the_answer_lacks_the_id(mlflow, body):
    op = mlflow.operation("POST", "/api/2.0/mlflow/runs/create")
    assert cleanup_request(mlflow, op, created(body)) is None


def test_an_operation_without_x_cleanup_has_no_cleanup_request(mlflow):
    op = mlflow.operation("POST", "/api/2.0/mlflow/experiments/update")
    assert cleanup_request(mlflow, op, created({"experiment_id": "1"})) is None
