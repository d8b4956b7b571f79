"""Vendor MLflow's REST API definitions: the protobuf descriptors of its two REST services.

Needs a pinned ``mlflow`` (``mlflow-skinny``) importable; the project itself never does, it reads
what this script writes. Run from the repository root::

    python scripts/vendor_mlflow.py

Writes ``contracts/sources/mlflow/descriptors.pb`` (a serialised ``google.protobuf.FileDescriptorSet``
holding ``service.proto`` (``mlflow.MlflowService``), ``model_registry.proto``
(``mlflow.ModelRegistryService``) and every file they import, dependencies first, each file once)
and ``contracts/sources/mlflow/VERSION``. The output depends only on the installed mlflow version:
running it twice gives identical bytes.
"""

from __future__ import annotations

import sys
from importlib import metadata
from pathlib import Path

from google.protobuf import descriptor_pb2

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "contracts" / "sources" / "mlflow"
#: The generated modules whose files declare the REST services, and the services themselves.
SERVICES = (
    ("mlflow.protos.service_pb2", "MlflowService"),
    ("mlflow.protos.model_registry_pb2", "ModelRegistryService"),
)


def _mlflow_version() -> str:
    for dist in ("mlflow-skinny", "mlflow"):
        try:
            return f"{dist}=={metadata.version(dist)}"
        except metadata.PackageNotFoundError:
            continue
    raise SystemExit("error: mlflow is not installed (pip install 'mlflow-skinny==<pinned version>')")


def descriptor_set() -> descriptor_pb2.FileDescriptorSet:
    import importlib

    ordered: list = []
    seen: set[str] = set()

    def visit(file) -> None:  # type: ignore[no-untyped-def]
        if file.name in seen:
            return
        seen.add(file.name)
        for dependency in file.dependencies:
            visit(dependency)
        ordered.append(file)

    for module_name, service in SERVICES:
        module = importlib.import_module(module_name)
        if service not in module.DESCRIPTOR.services_by_name:
            raise SystemExit(f"error: {module_name} declares no service {service}")
        visit(module.DESCRIPTOR)
    out = descriptor_pb2.FileDescriptorSet()
    for file in ordered:
        file.CopyToProto(out.file.add())
    return out


def main() -> int:
    version = _mlflow_version()
    data = descriptor_set().SerializeToString(deterministic=True)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "descriptors.pb").write_bytes(data)
    (OUT / "VERSION").write_text(
        f"{version}\nwritten by scripts/vendor_mlflow.py\n"
        "files: service.proto (mlflow.MlflowService), model_registry.proto (mlflow.ModelRegistryService) "
        "and their imports\n",
        encoding="utf-8",
    )
    print(f"wrote {OUT / 'descriptors.pb'} ({len(data)} bytes) from {version}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
