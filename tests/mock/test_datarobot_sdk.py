"""The official ``datarobot`` SDK (PyPI, unmodified) works against the mock started as a subprocess."""

from __future__ import annotations

import warnings
from collections.abc import Iterator

import datarobot as dr
import pytest
from datarobot.errors import ClientError
from datarobot.models.registry import Job

from conftest import SDK_TOKEN


@pytest.fixture(scope="module")
def client(mock_process: str) -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter(
            "ignore"
        )  # the SDK warns about its own urllib3 usage and our older minor version
        dr.Client(endpoint=f"{mock_process}/api/v2", token=SDK_TOKEN)
    yield


def test_the_client_connects_after_its_version_probe(mock_process: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rest = dr.Client(endpoint=f"{mock_process}/api/v2", token=SDK_TOKEN)
    assert rest.endpoint == f"{mock_process}/api/v2"


def test_a_wrong_token_is_refused_by_the_version_probe(mock_process: str) -> None:
    with warnings.catch_warnings(), pytest.raises(ClientError) as refused:
        warnings.simplefilter("ignore")
        dr.Client(endpoint=f"{mock_process}/api/v2", token="wrong")
    assert refused.value.status_code == 401


def test_use_cases_list_create_get_update_delete(client: None) -> None:
    before = {u.id for u in dr.UseCase.list()}
    created = dr.UseCase.create(name="made by the sdk", description="conformance")
    assert (created.name, created.description) == ("made by the sdk", "conformance")
    assert created.id not in before and created.id in {u.id for u in dr.UseCase.list()}
    assert dr.UseCase.get(created.id).name == "made by the sdk"
    assert created.update(name="renamed").name == "renamed"
    assert dr.UseCase.get(created.id).name == "renamed"
    dr.UseCase.delete(created.id)
    with pytest.raises(ClientError) as gone:
        dr.UseCase.get(created.id)
    assert gone.value.status_code == 404


def test_registered_models_list(client: None) -> None:
    models = dr.RegisteredModel.list()
    assert models and all(m.id and m.name for m in models)


def test_custom_inference_models_list_create_get_delete(client: None) -> None:
    assert dr.CustomInferenceModel.list()
    model = dr.CustomInferenceModel.create(
        name="sdk model", target_type=dr.TARGET_TYPE.REGRESSION, target_name="y"
    )
    assert (model.name, model.target_type) == ("sdk model", dr.TARGET_TYPE.REGRESSION)
    assert dr.CustomInferenceModel.get(model.id).name == "sdk model"
    assert dr.CustomModelVersion.list(model.id) == []  # a new model has no versions yet
    model.delete()
    with pytest.raises(ClientError):
        dr.CustomInferenceModel.get(model.id)


def test_custom_model_versions_of_a_seeded_model_are_listed(client: None) -> None:
    seeded = dr.CustomInferenceModel.list()[0]
    versions = dr.CustomModelVersion.list(seeded.id)
    assert versions and all(v.id and v.custom_model_id == seeded.id for v in versions)


def test_custom_model_tests_list(client: None) -> None:
    seeded = dr.CustomInferenceModel.list()[0]
    tests = dr.CustomModelTest.list(seeded.id)
    assert tests and all(t.id for t in tests)


def test_custom_jobs_list(client: None) -> None:
    jobs = Job.list()
    assert jobs and all(j.id and j.name for j in jobs)


def _listed(path: str, **params: object) -> list[dict]:
    """The items a mock list answers, read through the SDK's own REST client (as its models do)."""
    body = dr.client.get_client().get(path, params=params).json()
    return body["data"] if isinstance(body, dict) else body


@pytest.fixture(scope="module")
def project_id(client: None) -> str:
    """A project the mock lists: the first project of the first use case."""
    use_case = dr.UseCase.list()[0]
    projects = _listed(f"useCases/{use_case.id}/projects/", sort="name", orderBy="name")
    assert projects and all(p["projectId"] for p in projects)
    return projects[0]["projectId"]


def test_model_get_reads_the_project_first_then_the_listed_model(project_id: str) -> None:
    project = dr.Project.get(project_id)  # the SDK erratum route Model.get calls first
    assert project.id == project_id and not project.is_datetime_partitioned
    listed = _listed(f"projects/{project_id}/models/")
    model = dr.Model.get(project_id, listed[0]["id"])
    assert (model.id, model.project_id) == (listed[0]["id"], project_id)
    assert model.model_type == listed[0]["modelType"]


def test_model_job_get_accepts_the_integer_ids_the_mock_lists(project_id: str) -> None:
    jobs = _listed(f"projects/{project_id}/modelJobs/")
    assert jobs and all(job["id"].isdigit() for job in jobs)
    job = dr.ModelJob.get(project_id, jobs[0]["id"])
    assert (job.id, job.project_id, job.is_blocked) == (int(jobs[0]["id"]), project_id, jobs[0]["isBlocked"])
    assert job.status == jobs[0]["status"]


def test_blender_model_get_reads_a_listed_blender(project_id: str) -> None:
    listed = _listed(f"projects/{project_id}/blenderModels/", offset=0, limit=10)
    blender = dr.BlenderModel.get(project_id, listed[0]["id"])
    assert (blender.id, blender.project_id) == (listed[0]["id"], project_id)
    assert blender.model_ids == listed[0]["modelIds"] and blender.blender_method == listed[0]["blenderMethod"]


def test_datetime_model_get_reads_a_listed_datetime_model(project_id: str) -> None:
    listed = _listed(f"projects/{project_id}/datetimeModels/")
    model = dr.DatetimeModel.get(project_id, listed[0]["id"])
    assert (model.id, model.project_id) == (listed[0]["id"], project_id)
    assert (
        model.training_info["prediction_training_row_count"]
        == (listed[0]["trainingInfo"]["predictionTrainingRowCount"])
    )


def test_an_id_the_mock_never_listed_is_a_404_for_the_sdk(project_id: str) -> None:
    with pytest.raises(ClientError) as unknown:
        dr.ModelJob.get(project_id, "987654321")
    assert unknown.value.status_code == 404
    with pytest.raises(ClientError) as unknown_blender:
        dr.BlenderModel.get(project_id, "000000000000000000000000")
    assert unknown_blender.value.status_code == 404


def test_the_project_route_is_an_sdk_erratum_that_describes_only_what_the_sdk_reads() -> None:
    from mlops_conformance.contract import Contract

    contract = Contract.load("datarobot")
    op = contract.operation("GET", "/api/v2/projects/{projectId}/")
    assert op.source["document"] == "overlays/datarobot.yaml"
    schema = contract.response_schema(op, "200")
    assert set(schema["properties"]) == {"id", "partition"}
    assert set(schema["properties"]["partition"]["properties"]) == {"cvMethod"}
    assert schema["additionalProperties"] is True and schema["description"].startswith("Partial")
