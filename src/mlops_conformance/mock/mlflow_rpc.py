"""MLflow's tracking and registry RPCs, answered from :class:`~.mlflow_state.MlflowState`.

MLflow's REST API is RPC-shaped (``POST /api/2.0/mlflow/experiments/create``, ids in the query or
body), so the mock's resource kinds cannot read its semantics off the paths. The operations below
are registered by operation id (``HANDLERS``, found by ``handlers.vendor_handlers``); the rest of
the MLflow contract keeps its contract-driven answers.

The request arrives validated against the contract (the app did that); a GET's fields are its query
parameters, every other method's the JSON body. Answers are proto JSON (``mlflow_wire``); errors are
MLflow's ``{"error_code", "message"}`` with the status MLflow gives each code. The contract declares
no error answers at all (the descriptors list none), so every error here is one a real server gives
for the same request: an id it never issued, a name already taken, a param changed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from . import mlflow_filter, mlflow_paging, mlflow_wire
from .faults import Fault
from .handlers import Call, Reply
from .mlflow_state import (
    ACTIVE,
    DELETED,
    INVALID_PARAMETER_VALUE,
    RESOURCE_ALREADY_EXISTS,
    RESOURCE_DOES_NOT_EXIST,
    Experiment,
    MlflowError,
    MlflowState,
    ModelVersion,
    RegisteredModel,
    Run,
)
from .service import Endpoint
from .validate import Invalid

STATUS_OF = {RESOURCE_DOES_NOT_EXIST: "404", RESOURCE_ALREADY_EXISTS: "400"}  # any other code: 400
_INT64 = (-(2**63), 2**63 - 1)
_API = "/api/2.0/mlflow"


class Fields:
    """The fields of one request message (or of a message inside it), read as MLflow reads them."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self.values = values

    def get(self, name: str) -> Any:
        return self.values.get(name)

    def text(self, name: str, default: str = "") -> str:
        value = self.values.get(name)
        return default if value is None else str(value)

    def required(self, name: str) -> str:
        value = self.values.get(name)
        if value is None or value == "":
            raise MlflowError(
                INVALID_PARAMETER_VALUE,
                f"Missing value for required parameter '{name}'. "
                "See the API docs for more information about request parameters.",
            )
        return str(value)

    def integer(self, name: str) -> int | None:
        """An int64 field, sent as a number or (proto3 JSON) as a string; outside int64 it is invalid,
        as it is to MLflow (and no answer could carry it)."""
        value = self.values.get(name)
        if value is None or value == "":
            return None
        try:
            number: int | None = int(value)
        except (TypeError, ValueError, OverflowError):
            number = None
        if number is None or not _INT64[0] <= number <= _INT64[1]:
            raise MlflowError(INVALID_PARAMETER_VALUE, f"Invalid value {value!r} for parameter '{name}'")
        return number

    def number(self, name: str) -> float:
        """A double field; a value no double holds (too large, not a number) is invalid."""
        value = self.values.get(name)
        try:
            number = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError, OverflowError):
            number = math.nan
        if not math.isfinite(number):
            raise MlflowError(INVALID_PARAMETER_VALUE, f"Invalid value {value!r} for parameter '{name}'")
        return number

    def messages(self, name: str) -> list[Fields]:
        """A repeated message field (``metrics``, ``params``, ``tags``)."""
        return [Fields(entry) for entry in self.values.get(name) or [] if isinstance(entry, dict)]

    def tags(self, name: str = "tags") -> dict[str, str]:
        """A repeated ``{key, value}`` field as a mapping, in the order sent."""
        return {tag.required("key"): tag.text("value") for tag in self.messages(name)}


class Request(Fields):
    """One RPC: its fields (a GET's query, any other method's body), the endpoint, the mock's MLflow
    state and the fault."""

    def __init__(self, endpoint: Endpoint, call: Call, fault: Fault) -> None:
        get = endpoint.plan.op.method == "GET"
        super().__init__(call.params if get else (call.body if isinstance(call.body, dict) else {}))
        self.endpoint = endpoint
        self.fault = fault
        service = endpoint.service
        self.state = service.store.vendor_state("mlflow", lambda: MlflowState(service.seed, service.records))

    def ok(self, body: dict[str, Any]) -> Reply:
        return Reply(self.endpoint.plan.success, body, schema=self.endpoint.success_schema)

    def page(self, items: list[Any], items_name: str, render: Callable[[Any], Any]) -> Reply:
        """A page of ``items`` as ``{items_name: [...], "next_page_token": ...}``: the token only while
        more follow, the list left out when empty (proto JSON leaves out an empty repeated field)."""
        config = self.endpoint.pagination or {}
        cursor = mlflow_paging.read_cursor(config, self.values)
        if isinstance(cursor, Invalid):
            raise MlflowError(INVALID_PARAMETER_VALUE, cursor.message)
        chosen, token = mlflow_paging.page(items, cursor, self.fault)
        body: dict[str, Any] = {}
        if chosen:
            body[items_name] = [render(item) for item in chosen]
        if token is not None:
            body[config.get("next") or "next_page_token"] = token
        return self.ok(body)


Handler = Callable[[Request], Reply]


# -- experiments -----------------------------------------------------------------------------------


def create_experiment(r: Request) -> Reply:
    name = r.required("name")
    experiment = r.state.create_experiment(name, r.get("artifact_location") or None, r.tags())
    return r.ok({"experiment_id": experiment.experiment_id})


def get_experiment(r: Request) -> Reply:
    return r.ok({"experiment": mlflow_wire.experiment(r.state.experiment(r.required("experiment_id")))})


def get_experiment_by_name(r: Request) -> Reply:
    found = r.state.experiment_by_name(r.required("experiment_name"))
    return r.ok({"experiment": mlflow_wire.experiment(found)})


def update_experiment(r: Request) -> Reply:
    r.state.rename_experiment(r.required("experiment_id"), r.text("new_name"))
    return r.ok({})


def delete_experiment(r: Request) -> Reply:
    r.state.set_experiment_stage(r.required("experiment_id"), DELETED)
    return r.ok({})


def restore_experiment(r: Request) -> Reply:
    r.state.set_experiment_stage(r.required("experiment_id"), ACTIVE)
    return r.ok({})


def set_experiment_tag(r: Request) -> Reply:
    r.state.set_experiment_tag(r.required("experiment_id"), r.required("key"), r.text("value"))
    return r.ok({})


def _stages(view_type: Any) -> tuple[str, ...]:
    """``ViewType``: ACTIVE_ONLY (the default), DELETED_ONLY or ALL."""
    return {"DELETED_ONLY": (DELETED,), "ALL": (ACTIVE, DELETED)}.get(str(view_type or ""), (ACTIVE,))


def _experiment_field(e: Experiment, ident: str) -> Any:
    name = ident.removeprefix("attribute.").removeprefix("attributes.")
    if name in ("name", "experiment_id", "creation_time", "last_update_time", "lifecycle_stage"):
        return getattr(e, name)
    if ident.startswith(("tags.", "tag.")):
        return e.tags.get(ident.split(".", 1)[1])
    raise KeyError(ident)


def search_experiments(r: Request) -> Reply:
    clauses = mlflow_filter.parse(r.get("filter"))
    stages = _stages(r.get("view_type"))
    found = [
        e
        for e in r.state.experiments.values()
        if e.lifecycle_stage in stages and mlflow_filter.matches(e, clauses, _experiment_field)
    ]
    found.sort(key=lambda e: (-e.creation_time, e.experiment_id))  # MLflow: newest first
    return r.page(found, "experiments", mlflow_wire.experiment)


# -- runs -----------------------------------------------------------------------------------------


def create_run(r: Request) -> Reply:
    run = r.state.create_run(
        r.text("experiment_id", "0"),
        r.text("run_name") or None,
        r.text("user_id"),
        r.integer("start_time"),
        r.tags(),
    )
    return r.ok({"run": mlflow_wire.run(run)})


def _run_id(r: Request) -> str:
    """``run_id``, or the deprecated ``run_uuid`` older clients still send."""
    return r.text("run_id") or r.required("run_uuid")


def get_run(r: Request) -> Reply:
    return r.ok({"run": mlflow_wire.run(r.state.run(_run_id(r)))})


def update_run(r: Request) -> Reply:
    run = r.state.update_run(
        _run_id(r), r.text("status") or None, r.integer("end_time"), r.text("run_name") or None
    )
    return r.ok({"run_info": mlflow_wire.run_info(run)})


def delete_run(r: Request) -> Reply:
    r.state.set_run_stage(r.required("run_id"), DELETED)
    return r.ok({})


def restore_run(r: Request) -> Reply:
    r.state.set_run_stage(r.required("run_id"), ACTIVE)
    return r.ok({})


def log_metric(r: Request) -> Reply:
    r.state.log_metric(
        _run_id(r), r.required("key"), r.number("value"), r.integer("timestamp"), r.integer("step")
    )
    return r.ok({})


def log_param(r: Request) -> Reply:
    r.state.log_param(_run_id(r), r.required("key"), r.text("value"))
    return r.ok({})


def set_tag(r: Request) -> Reply:
    r.state.set_run_tag(_run_id(r), r.required("key"), r.text("value"))
    return r.ok({})


def delete_tag(r: Request) -> Reply:
    r.state.delete_run_tag(r.required("run_id"), r.required("key"))
    return r.ok({})


def log_batch(r: Request) -> Reply:
    metrics = [
        (m.required("key"), m.number("value"), m.integer("timestamp"), m.integer("step"))
        for m in r.messages("metrics")
    ]
    params = {p.required("key"): p.text("value") for p in r.messages("params")}
    r.state.log_batch(r.required("run_id"), metrics, params, r.tags())
    return r.ok({})


def _run_field(run: Run, ident: str) -> Any:
    kind, _, name = ident.partition(".")
    if kind in ("attribute", "attributes", "run") or not name:
        attribute = name or kind
        if attribute in (
            "run_id",
            "run_name",
            "status",
            "start_time",
            "end_time",
            "user_id",
            "lifecycle_stage",
        ):
            return getattr(run, attribute)
        raise KeyError(ident)
    if kind in ("metric", "metrics"):
        latest = {m.key: m.value for m in run.latest()}
        return latest.get(name)
    if kind in ("param", "params", "parameter", "parameters"):
        return run.params.get(name)
    if kind in ("tag", "tags"):
        return run.tags.get(name)
    raise KeyError(ident)


def search_runs(r: Request) -> Reply:
    experiments = {str(e) for e in r.get("experiment_ids") or []}
    clauses = mlflow_filter.parse(r.get("filter"))
    stages = _stages(r.get("run_view_type"))
    found = [
        run
        for run in r.state.runs.values()
        if run.experiment_id in experiments
        and run.lifecycle_stage in stages
        and mlflow_filter.matches(run, clauses, _run_field)
    ]
    found.sort(key=lambda run: (-run.start_time, run.run_id))  # MLflow: newest start first
    return r.page(found, "runs", mlflow_wire.run)


def metric_history(r: Request) -> Reply:
    history = r.state.metric_history(_run_id(r), r.required("metric_key"))
    return r.page(history, "metrics", mlflow_wire.metric)


# -- model registry ---------------------------------------------------------------------------------


def create_registered_model(r: Request) -> Reply:
    model = r.state.create_model(r.required("name"), r.text("description"), r.tags())
    return r.ok({"registered_model": mlflow_wire.registered_model(model)})


def get_registered_model(r: Request) -> Reply:
    return r.ok({"registered_model": mlflow_wire.registered_model(r.state.model(r.required("name")))})


def delete_registered_model(r: Request) -> Reply:
    r.state.delete_model(r.required("name"))
    return r.ok({})


def _model_field(model: RegisteredModel, ident: str) -> Any:
    if ident in ("name", "attribute.name", "attributes.name"):
        return model.name
    if ident.startswith(("tags.", "tag.")):
        return model.tags.get(ident.split(".", 1)[1])
    raise KeyError(ident)


def search_registered_models(r: Request) -> Reply:
    clauses = mlflow_filter.parse(r.get("filter"))
    found = sorted(
        (m for m in r.state.models.values() if mlflow_filter.matches(m, clauses, _model_field)),
        key=lambda m: m.name,  # MLflow: by name
    )
    return r.page(found, "registered_models", mlflow_wire.registered_model)


def create_model_version(r: Request) -> Reply:
    version = r.state.create_version(
        r.required("name"), r.required("source"), r.text("run_id"), r.text("description")
    )
    for key, value in r.tags().items():
        version.tags[key] = value
    return r.ok({"model_version": mlflow_wire.model_version(version)})


def get_model_version(r: Request) -> Reply:
    version = r.state.version(r.required("name"), r.required("version"))
    return r.ok({"model_version": mlflow_wire.model_version(version)})


def _version_field(version: ModelVersion, ident: str) -> Any:
    name = ident.removeprefix("attribute.").removeprefix("attributes.")
    if name in ("name", "source", "run_id", "current_stage", "status"):
        return getattr(version, name)
    if name == "version":
        return str(version.version)
    if ident.startswith(("tags.", "tag.")):
        return version.tags.get(ident.split(".", 1)[1])
    raise KeyError(ident)


def search_model_versions(r: Request) -> Reply:
    clauses = mlflow_filter.parse(r.get("filter"))
    found = [v for v in r.state.all_versions() if mlflow_filter.matches(v, clauses, _version_field)]
    found.sort(key=lambda v: (-v.last_updated_timestamp, v.name, -v.version))  # MLflow: newest first
    return r.page(found, "model_versions", mlflow_wire.model_version)


_BY_RPC: dict[str, Handler] = {
    f"POST {_API}/experiments/create": create_experiment,
    f"GET {_API}/experiments/get": get_experiment,
    f"GET {_API}/experiments/get-by-name": get_experiment_by_name,
    f"POST {_API}/experiments/update": update_experiment,
    f"POST {_API}/experiments/delete": delete_experiment,
    f"POST {_API}/experiments/restore": restore_experiment,
    f"POST {_API}/experiments/set-experiment-tag": set_experiment_tag,
    f"GET {_API}/experiments/search": search_experiments,
    f"POST {_API}/experiments/search": search_experiments,
    f"POST {_API}/runs/create": create_run,
    f"GET {_API}/runs/get": get_run,
    f"POST {_API}/runs/update": update_run,
    f"POST {_API}/runs/delete": delete_run,
    f"POST {_API}/runs/restore": restore_run,
    f"POST {_API}/runs/log-metric": log_metric,
    f"POST {_API}/runs/log-parameter": log_param,
    f"POST {_API}/runs/set-tag": set_tag,
    f"POST {_API}/runs/delete-tag": delete_tag,
    f"POST {_API}/runs/log-batch": log_batch,
    f"POST {_API}/runs/search": search_runs,
    f"GET {_API}/metrics/get-history": metric_history,
    f"POST {_API}/registered-models/create": create_registered_model,
    f"GET {_API}/registered-models/get": get_registered_model,
    f"DELETE {_API}/registered-models/delete": delete_registered_model,
    f"GET {_API}/registered-models/search": search_registered_models,
    f"POST {_API}/model-versions/create": create_model_version,
    f"GET {_API}/model-versions/get": get_model_version,
    f"GET {_API}/model-versions/search": search_model_versions,
}


def _serve(handler: Handler) -> Callable[[Endpoint, Call, Fault], Reply]:
    def serve(endpoint: Endpoint, call: Call, fault: Fault) -> Reply:
        request = Request(endpoint, call, fault)
        with endpoint.service.store.lock:
            try:
                return handler(request)
            except MlflowError as exc:
                return Reply(STATUS_OF.get(exc.code, "400"), mlflow_wire.error(exc.code, exc.message))

    return serve


HANDLERS: Mapping[str, Callable[[Endpoint, Call, Fault], Reply]] = {
    operation: _serve(handler) for operation, handler in _BY_RPC.items()
}
