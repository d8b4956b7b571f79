"""``x-cleanup``: how to delete what a create operation made, for APIs whose paths do not say it.

A REST family pairs ``POST /things`` with ``DELETE /things/{id}`` by its paths, and the runner
finds that on its own. MLflow's RPCs do not: ``POST .../experiments/create`` answers
``{"experiment_id": ...}`` and ``POST .../experiments/delete`` takes ``{"experiment_id": ...}``. The
descriptors pair them by name only (``createExperiment`` / ``deleteExperiment`` in one service), so
the extension is marked inferred. Each field the delete needs (its ``validate_required`` fields, or
all of them when none is marked) is looked up by name in the create's response message, breadth
first (``run.info.run_id`` for a run; ``workspace_name`` as ``workspace.name`` for a workspace, the
resource's own message); a create whose delete needs a field its answer lacks gets
no ``x-cleanup``, and the runner then leaves it alone rather than guess::

    "x-cleanup": {"operation": "POST /api/2.0/mlflow/experiments/delete",
                  "values": {"experiment_id": "/experiment_id"},
                  "x-inferred": "createExperiment/deleteExperiment naming"}

``values`` maps a field of the delete request (body, query or path, wherever the delete operation
takes it) to a JSON pointer into the create's success body.
"""

from __future__ import annotations

import re
from collections import deque
from typing import Any

from ..model import Operation
from .proto import is_repeated

_MESSAGE = 11
_DEPTH = 3


def add_cleanup(endpoints: list[tuple[Any, Any, Operation]], is_required: Any) -> None:
    """Set ``x-cleanup`` on every create operation of ``endpoints`` ((service, method, operation))
    whose service has the matching delete and whose answer carries what the delete needs."""
    by_method: dict[tuple[str, str], list[tuple[Any, Operation]]] = {}
    for service, method, operation in endpoints:
        by_method.setdefault((service.full_name, method.name), []).append((method, operation))
    for (service, name), created in by_method.items():
        if not name.startswith("create"):
            continue
        deletes = by_method.get((service, "delete" + name[len("create") :]))
        if not deletes:
            continue
        delete_method = deletes[0][0]
        resource = _snake(name[len("create") :])
        values = _values(created[0][0].output_type, delete_method.input_type, is_required, resource)
        if not values:
            continue
        for _method, operation in created:
            delete = _same_version(operation, [op for _m, op in deletes])
            operation.extensions["x-cleanup"] = {
                "operation": f"{delete.method} {delete.path}",
                "values": values,
                "x-inferred": f"{name}/{delete_method.name} naming",
            }


def _same_version(operation: Operation, deletes: list[Operation]) -> Operation:
    """The delete mounted under the same ``/api/<n>.0`` as the create, else the first one."""
    prefix = "/".join(operation.path.split("/")[:3])
    return next((d for d in deletes if d.path.startswith(prefix + "/")), deletes[0])


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _values(answer: Any, request: Any, is_required: Any, resource: str) -> dict[str, str]:
    """Each needed field by its name, else (``workspace_name`` for ``createWorkspace``) by the
    rest of its name inside the resource's own message (``/workspace/name``)."""
    needed = [f for f in request.fields if is_required(f)] or list(request.fields)
    values: dict[str, str] = {}
    for field in needed:
        pointer = _find(answer, field.name)
        prefix = resource + "_"
        if pointer is None and field.name.startswith(prefix):
            inner = _find(answer, field.name[len(prefix) :])
            pointer = inner if inner is not None and inner.startswith(f"/{resource}/") else None
        if pointer is None:
            if is_required(field):
                return {}
            continue
        values[field.name] = pointer
    return values


def _find(message: Any, name: str) -> str | None:
    """The JSON pointer of the shallowest non-repeated field called ``name`` (within three levels)."""
    queue: deque[tuple[Any, str, int]] = deque([(message, "", 0)])
    while queue:
        current, prefix, depth = queue.popleft()
        for field in current.fields:
            if is_repeated(field):
                continue
            if field.name == name and field.type != _MESSAGE:
                return f"{prefix}/{field.name}"
        if depth + 1 < _DEPTH:
            for field in current.fields:
                if field.type == _MESSAGE and not is_repeated(field):
                    queue.append((field.message_type, f"{prefix}/{field.name}", depth + 1))
    return None
