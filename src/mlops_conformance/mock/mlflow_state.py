"""MLflow's tracking and registry state, kept the way its server keeps it.

Experiments (integer ids as strings, unique names, soft delete through ``lifecycle_stage``), runs
(uuid hex ids, params written once, metrics with their whole history, tags), registered models
(unique names) and their versions (numbered per model). Every operation raises :class:`MlflowError`
with MLflow's own error codes, so ``mlflow_rpc`` only parses requests and renders answers.

Not thread-safe by itself: it lives in the mock's :class:`~.store.Store` and every call runs under
the store's lock (``Store.vendor_state``), like every other state change of the mock.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

RESOURCE_DOES_NOT_EXIST = "RESOURCE_DOES_NOT_EXIST"
RESOURCE_ALREADY_EXISTS = "RESOURCE_ALREADY_EXISTS"
INVALID_PARAMETER_VALUE = "INVALID_PARAMETER_VALUE"
INVALID_STATE = "INVALID_STATE"

ACTIVE, DELETED = "active", "deleted"
RUN_STATUSES = ("RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED")
# A fixed clock start: seeded objects look the same in every run of one seed.
EPOCH_MS = 1_700_000_000_000


class MlflowError(Exception):
    """An MLflow error answer: ``{"error_code": code, "message": message}``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(slots=True)
class Experiment:
    experiment_id: str
    name: str
    artifact_location: str
    creation_time: int
    last_update_time: int
    lifecycle_stage: str = ACTIVE
    tags: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Metric:
    key: str
    value: float
    timestamp: int
    step: int


@dataclass(slots=True)
class Run:
    run_id: str
    experiment_id: str
    run_name: str
    user_id: str
    start_time: int
    artifact_uri: str
    status: str = "RUNNING"
    end_time: int | None = None
    lifecycle_stage: str = ACTIVE
    params: dict[str, str] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    history: dict[str, list[Metric]] = field(default_factory=dict)  # every logged value, by key

    def latest(self) -> list[Metric]:
        """The value each metric shows in a run: the highest (step, timestamp, value), as MLflow picks it."""
        return [max(values, key=lambda m: (m.step, m.timestamp, m.value)) for values in self.history.values()]


@dataclass(slots=True)
class ModelVersion:
    name: str
    version: int
    source: str
    run_id: str
    creation_timestamp: int
    last_updated_timestamp: int
    description: str = ""
    current_stage: str = "None"
    status: str = "READY"
    run_link: str = ""
    tags: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class RegisteredModel:
    name: str
    creation_timestamp: int
    last_updated_timestamp: int
    description: str = ""
    tags: dict[str, str] = field(default_factory=dict)
    versions: dict[int, ModelVersion] = field(default_factory=dict)
    next_version: int = 1

    def latest_versions(self) -> list[ModelVersion]:
        """The newest version in each stage, as the registry lists them under ``latest_versions``."""
        newest: dict[str, ModelVersion] = {}
        for version in self.versions.values():
            if version.current_stage not in newest or version.version > newest[version.current_stage].version:
                newest[version.current_stage] = version
        return sorted(newest.values(), key=lambda v: v.version)


class MlflowState:
    """One mock's MLflow server: what its stores would hold."""

    def __init__(self, seed: int, records: int, artifact_root: str = "mlflow-artifacts:") -> None:
        self.seed = seed
        self.artifact_root = artifact_root
        self.experiments: dict[str, Experiment] = {}
        self.runs: dict[str, Run] = {}
        self.models: dict[str, RegisteredModel] = {}
        self._experiment_ids: Iterator[int] = itertools.count(0)
        self._clock = itertools.count(EPOCH_MS + seed * 1000)
        self._seed_objects(max(records, 1))

    # -- time and ids ------------------------------------------------------------------------------

    def now(self) -> int:
        """Milliseconds since the epoch, strictly increasing: orderings by time are never ties."""
        return next(self._clock)

    def _run_id(self, index: int) -> str:
        return uuid.uuid5(uuid.NAMESPACE_URL, f"mlops-conformance/{self.seed}/run/{index}").hex

    # -- seeding -------------------------------------------------------------------------------------

    def _seed_objects(self, records: int) -> None:
        """MLflow's ``Default`` experiment (id 0) and a few more, runs with a metric history, params
        and tags, and registered models with a version each: every list has items to page through."""
        for index in range(records):
            name = "Default" if index == 0 else f"seeded-experiment-{index}"
            self.create_experiment(name, None, {} if index == 0 else {"seeded": "true"})
        for index in range(records):
            run = self.create_run("0", f"seeded-run-{index}", "mlops-conformance", None, {"seeded": "true"})
            for step in range(records):
                self.log_metric(run.run_id, "loss", 1.0 / (step + 1 + index), None, step)
            self.log_param(run.run_id, "learning_rate", str(0.1 * (index + 1)))
        for index in range(records):
            model = self.create_model(f"seeded-model-{index}", f"seeded model {index}", {"seeded": "true"})
            self.create_version(model.name, f"mlflow-artifacts:/seeded/{index}", "", "")

    # -- experiments ---------------------------------------------------------------------------------

    def create_experiment(self, name: str, artifact_location: str | None, tags: dict[str, str]) -> Experiment:
        if not name:
            raise MlflowError(
                INVALID_PARAMETER_VALUE, "Invalid experiment name: ''. Must be a non-empty string."
            )
        if any(e.name == name for e in self.experiments.values()):
            raise MlflowError(RESOURCE_ALREADY_EXISTS, f"Experiment(name={name}) already exists.")
        experiment_id = str(next(self._experiment_ids))
        while experiment_id in self.experiments:
            experiment_id = str(next(self._experiment_ids))
        created = self.now()
        experiment = Experiment(
            experiment_id,
            name,
            artifact_location or f"{self.artifact_root}/{experiment_id}",
            created,
            created,
            tags=dict(tags),
        )
        self.experiments[experiment_id] = experiment
        return experiment

    def experiment(self, experiment_id: str) -> Experiment:
        found = self.experiments.get(str(experiment_id))
        if found is None:
            raise MlflowError(RESOURCE_DOES_NOT_EXIST, f"No Experiment with id={experiment_id} exists")
        return found

    def experiment_by_name(self, name: str) -> Experiment:
        for experiment in self.experiments.values():
            if experiment.name == name:
                return experiment
        raise MlflowError(RESOURCE_DOES_NOT_EXIST, f"Could not find experiment with name '{name}'")

    def rename_experiment(self, experiment_id: str, new_name: str) -> Experiment:
        experiment = self.experiment(experiment_id)
        if experiment.lifecycle_stage != ACTIVE:
            raise MlflowError(INVALID_STATE, f"Cannot rename a non-active experiment {experiment_id}.")
        if new_name and new_name != experiment.name:
            if any(e.name == new_name for e in self.experiments.values()):
                raise MlflowError(RESOURCE_ALREADY_EXISTS, f"Experiment(name={new_name}) already exists.")
            experiment.name = new_name
        experiment.last_update_time = self.now()
        return experiment

    def set_experiment_stage(self, experiment_id: str, stage: str) -> Experiment:
        """Delete (``deleted``) or restore (``active``): MLflow deletes softly, a restore undoes it;
        asking either of an experiment already in that stage is ``RESOURCE_DOES_NOT_EXIST``."""
        experiment = self.experiment(experiment_id)
        if experiment.lifecycle_stage == stage:
            raise MlflowError(RESOURCE_DOES_NOT_EXIST, f"No Experiment with id={experiment_id} exists")
        experiment.lifecycle_stage = stage
        experiment.last_update_time = self.now()
        for run in self.runs.values():
            if run.experiment_id == experiment.experiment_id:
                run.lifecycle_stage = stage
        return experiment

    def set_experiment_tag(self, experiment_id: str, key: str, value: str) -> None:
        self._active_experiment(experiment_id).tags[key] = value

    def _active_experiment(self, experiment_id: str) -> Experiment:
        experiment = self.experiment(experiment_id)
        if experiment.lifecycle_stage != ACTIVE:
            raise MlflowError(
                INVALID_PARAMETER_VALUE, f"The experiment {experiment_id} must be in the 'active' state."
            )
        return experiment

    # -- runs ----------------------------------------------------------------------------------------

    def create_run(
        self,
        experiment_id: str,
        run_name: str | None,
        user_id: str,
        start_time: int | None,
        tags: dict[str, str],
    ) -> Run:
        experiment = self._active_experiment(experiment_id)
        index = len(self.runs)
        run_id = self._run_id(index)
        while run_id in self.runs:
            index += 1
            run_id = self._run_id(index)
        name = run_name or tags.get("mlflow.runName") or f"run-{run_id[:8]}"
        run = Run(
            run_id,
            experiment.experiment_id,
            name,
            user_id,
            start_time if start_time is not None else self.now(),
            f"{experiment.artifact_location}/{run_id}/artifacts",
            tags={**tags, "mlflow.runName": name},
        )
        self.runs[run_id] = run
        return run

    def run(self, run_id: str) -> Run:
        found = self.runs.get(str(run_id))
        if found is None:
            raise MlflowError(RESOURCE_DOES_NOT_EXIST, f"Run with id={run_id} not found")
        return found

    def _active_run(self, run_id: str) -> Run:
        run = self.run(run_id)
        if run.lifecycle_stage != ACTIVE:
            raise MlflowError(
                INVALID_PARAMETER_VALUE,
                f"The run {run_id} must be in the 'active' state. Current state is {run.lifecycle_stage}.",
            )
        return run

    def update_run(self, run_id: str, status: str | None, end_time: int | None, run_name: str | None) -> Run:
        run = self._active_run(run_id)
        if status:
            run.status = status
        if end_time is not None:
            run.end_time = end_time
        if run_name:
            run.run_name = run_name
            run.tags["mlflow.runName"] = run_name
        return run

    def set_run_stage(self, run_id: str, stage: str) -> Run:
        run = self.run(run_id)
        run.lifecycle_stage = stage
        return run

    def log_metric(
        self, run_id: str, key: str, value: float, timestamp: int | None, step: int | None
    ) -> None:
        run = self._active_run(run_id)
        metric = Metric(key, float(value), timestamp if timestamp is not None else self.now(), step or 0)
        run.history.setdefault(key, []).append(metric)

    def log_param(self, run_id: str, key: str, value: str) -> None:
        run = self._active_run(run_id)
        old = run.params.get(key)
        if old is not None and old != value:
            raise MlflowError(
                INVALID_PARAMETER_VALUE,
                f"Changing param values is not allowed. Param with key='{key}' was already logged with "
                f"value='{old}' for run ID='{run_id}'. Attempted logging new value '{value}'.",
            )
        run.params[key] = value

    def log_batch(
        self,
        run_id: str,
        metrics: list[tuple[str, float, int | None, int | None]],
        params: dict[str, str],
        tags: dict[str, str],
    ) -> None:
        """Metrics, params and tags of one run at once: a batch that would change a param is refused
        whole, before anything of it is written."""
        run = self._active_run(run_id)
        for key, value in params.items():
            if run.params.get(key, value) != value:
                self.log_param(run_id, key, value)  # raises MLflow's own message
        for key, value in params.items():
            self.log_param(run_id, key, value)
        for key, number, timestamp, step in metrics:
            self.log_metric(run_id, key, number, timestamp, step)
        for key, value in tags.items():
            self.set_run_tag(run_id, key, value)

    def set_run_tag(self, run_id: str, key: str, value: str) -> None:
        run = self._active_run(run_id)
        run.tags[key] = value
        if key == "mlflow.runName":
            run.run_name = value

    def delete_run_tag(self, run_id: str, key: str) -> None:
        run = self._active_run(run_id)
        if key not in run.tags:
            raise MlflowError(RESOURCE_DOES_NOT_EXIST, f"No tag with name: {key} in run with id {run_id}")
        del run.tags[key]

    def metric_history(self, run_id: str, key: str) -> list[Metric]:
        """Every value logged under ``key``, oldest step first; MLflow answers an unknown run or key with
        an empty history, not an error."""
        run = self.runs.get(str(run_id))
        if run is None:
            return []
        return sorted(run.history.get(key, []), key=lambda m: (m.step, m.timestamp))

    # -- registered models ---------------------------------------------------------------------------

    def create_model(self, name: str, description: str, tags: dict[str, str]) -> RegisteredModel:
        if not name:
            raise MlflowError(INVALID_PARAMETER_VALUE, "Registered model name cannot be empty.")
        if name in self.models:
            raise MlflowError(RESOURCE_ALREADY_EXISTS, f"Registered Model (name={name}) already exists.")
        created = self.now()
        model = RegisteredModel(name, created, created, description, dict(tags))
        self.models[name] = model
        return model

    def model(self, name: str) -> RegisteredModel:
        found = self.models.get(name)
        if found is None:
            raise MlflowError(RESOURCE_DOES_NOT_EXIST, f"Registered Model with name={name} not found")
        return found

    def delete_model(self, name: str) -> None:
        self.model(name)
        del self.models[name]

    def create_version(self, name: str, source: str, run_id: str, description: str) -> ModelVersion:
        model = self.model(name)
        created = self.now()
        version = ModelVersion(name, model.next_version, source, run_id, created, created, description)
        model.versions[version.version] = version
        model.next_version += 1
        model.last_updated_timestamp = created
        return version

    def version(self, name: str, version: Any) -> ModelVersion:
        model = self.model(name)
        number = _version_number(version)
        found = model.versions.get(number) if number is not None else None
        if found is None:
            raise MlflowError(
                RESOURCE_DOES_NOT_EXIST, f"Model Version (name={name}, version={version}) not found"
            )
        return found

    def all_versions(self) -> list[ModelVersion]:
        return [v for model in self.models.values() for v in model.versions.values()]


def _version_number(value: Any) -> int | None:
    text = str(value).strip()
    return int(text) if text.isdigit() else None
