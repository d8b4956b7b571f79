"""MLflow objects in the proto JSON its server writes.

Field names as the contract declares them (the proto field names, snake case); int64 values as JSON
numbers (the contract accepts numbers or strings, and MLflow's Python server writes numbers); enums
as their value names; repeated fields left out when empty, as ``MessageToJson`` leaves them out.
Checked against a real ``mlflow server`` 3.18 (see ``tests/mock/test_mlflow_client.py``).
"""

from __future__ import annotations

from typing import Any

from .mlflow_state import Experiment, Metric, ModelVersion, RegisteredModel, Run


def _tags(tags: dict[str, str]) -> list[dict[str, str]]:
    return [{"key": key, "value": value} for key, value in tags.items()]


def _with(body: dict[str, Any], **repeated: list[Any]) -> dict[str, Any]:
    body.update({name: values for name, values in repeated.items() if values})
    return body


def experiment(e: Experiment) -> dict[str, Any]:
    return _with(
        {
            "experiment_id": e.experiment_id,
            "name": e.name,
            "artifact_location": e.artifact_location,
            "lifecycle_stage": e.lifecycle_stage,
            "last_update_time": e.last_update_time,
            "creation_time": e.creation_time,
            "workspace": "default",
        },
        tags=_tags(e.tags),
    )


def metric(m: Metric) -> dict[str, Any]:
    return {"key": m.key, "value": m.value, "timestamp": m.timestamp, "step": m.step}


def run_info(r: Run) -> dict[str, Any]:
    info: dict[str, Any] = {
        "run_uuid": r.run_id,
        "experiment_id": r.experiment_id,
        "run_name": r.run_name,
        "user_id": r.user_id,
        "status": r.status,
        "start_time": r.start_time,
        "artifact_uri": r.artifact_uri,
        "lifecycle_stage": r.lifecycle_stage,
        "run_id": r.run_id,
    }
    if r.end_time is not None:
        info["end_time"] = r.end_time
    return info


def run(r: Run) -> dict[str, Any]:
    data = _with(
        {},
        metrics=[metric(m) for m in r.latest()],
        params=_tags(r.params),
        tags=_tags(r.tags),
    )
    return {"info": run_info(r), "data": data, "inputs": {}, "outputs": {}}


def model_version(v: ModelVersion) -> dict[str, Any]:
    return _with(
        {
            "name": v.name,
            "version": str(v.version),
            "creation_timestamp": v.creation_timestamp,
            "last_updated_timestamp": v.last_updated_timestamp,
            "current_stage": v.current_stage,
            "description": v.description,
            "source": v.source,
            "run_id": v.run_id,
            "status": v.status,
            "run_link": v.run_link,
        },
        tags=_tags(v.tags),
    )


def registered_model(m: RegisteredModel) -> dict[str, Any]:
    return _with(
        {
            "name": m.name,
            "creation_timestamp": m.creation_timestamp,
            "last_updated_timestamp": m.last_updated_timestamp,
            "description": m.description,
        },
        latest_versions=[model_version(v) for v in m.latest_versions()],
        tags=_tags(m.tags),
    )


def error(code: str, message: str) -> dict[str, str]:
    return {"error_code": code, "message": message}
