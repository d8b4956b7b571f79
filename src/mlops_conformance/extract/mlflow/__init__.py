"""MLflow: the REST API read from MLflow's own protobuf service descriptors.

The source is ``contracts/sources/mlflow/descriptors.pb``, a ``FileDescriptorSet`` vendored by
``scripts/vendor_mlflow.py`` from a pinned ``mlflow-skinny``; this module needs only ``protobuf``.
Every endpoint of ``mlflow.MlflowService`` and ``mlflow.ModelRegistryService`` comes from the
``(mlflow.rpc).endpoints`` method option (``databricks.proto``): one operation per endpoint, mounted
where MLflow's server mounts it, ``/api/<since.major>.0<path>`` (``mlflow.server.handlers.
_get_rest_path``; the ``/ajax-api`` copies the server also registers, for its own UI, are left out).

Proto JSON as MLflow speaks it (``mlflow.utils.proto_json_utils``): field names as declared (snake
case), enums by name, ``repeated`` as arrays, maps as objects, ``bytes`` as base64, 64-bit integers
as numbers or, in proto3 JSON, strings (the contract accepts both). ``(mlflow.validate_required)``
marks the fields a request must carry; nothing else is required (proto has no required responses).
GET requests carry their fields as query parameters (repeated ones repeated: form, explode), as the
server reads them; a message-typed or map field cannot be a query parameter and is listed in
``x-query-unsupported`` on the operation instead. Descriptions are not in the descriptors (the
generated modules drop comments); summaries are the ``rpc_doc_title``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ...errors import ExtractionError
from ..model import DocIssue, Document, Operation, Parameter, RequestBody, Response, SchemaDef, Source
from ..sources import read_source
from .cleanup import add_cleanup
from .proto import is_repeated as _repeated

DOCUMENT = "mlflow/descriptors.pb"
SERVICES = ("mlflow.MlflowService", "mlflow.ModelRegistryService")
_REF = "#/components/schemas/"
_PATH_PARAM = re.compile(r"\{([\w.]+)\}")

# google.protobuf.FieldDescriptor type numbers
_DOUBLE, _FLOAT, _INT64, _UINT64, _INT32, _FIXED64, _FIXED32, _BOOL, _STRING = 1, 2, 3, 4, 5, 6, 7, 8, 9
_GROUP, _MESSAGE, _BYTES, _UINT32, _ENUM, _SFIXED32, _SFIXED64, _SINT32, _SINT64 = range(10, 19)
_REPEATED = 3

_INT64_TYPES = {_INT64: "int64", _SINT64: "int64", _SFIXED64: "int64", _UINT64: "uint64", _FIXED64: "uint64"}
_SCALARS: dict[int, dict[str, Any]] = {
    _DOUBLE: {"type": "number", "format": "double"},
    _FLOAT: {"type": "number", "format": "float"},
    _INT32: {"type": "integer", "format": "int32"},
    _SINT32: {"type": "integer", "format": "int32"},
    _SFIXED32: {"type": "integer", "format": "int32"},
    _UINT32: {"type": "integer", "format": "int32", "minimum": 0},
    _FIXED32: {"type": "integer", "format": "int32", "minimum": 0},
    _BOOL: {"type": "boolean"},
    _STRING: {"type": "string"},
    _BYTES: {"type": "string", "contentEncoding": "base64"},
}
#: Well-known types have their own JSON form (the protobuf JSON mapping), not an object of fields.
_WELL_KNOWN: dict[str, dict[str, Any]] = {
    "google.protobuf.Timestamp": {"type": "string", "format": "date-time"},
    "google.protobuf.Duration": {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]{1,9})?s$"},
    "google.protobuf.FieldMask": {"type": "string"},
    "google.protobuf.Struct": {"type": "object"},
    "google.protobuf.Value": {},
    "google.protobuf.ListValue": {"type": "array"},
    "google.protobuf.Any": {"type": "object", "properties": {"@type": {"type": "string"}}},
    "google.protobuf.Empty": {"type": "object"},
    "google.protobuf.BoolValue": {"type": "boolean"},
    "google.protobuf.StringValue": {"type": "string"},
    "google.protobuf.BytesValue": {"type": "string", "contentEncoding": "base64"},
    "google.protobuf.DoubleValue": {"type": "number"},
    "google.protobuf.FloatValue": {"type": "number"},
    "google.protobuf.Int32Value": {"type": "integer", "format": "int32"},
    "google.protobuf.UInt32Value": {"type": "integer", "format": "int32", "minimum": 0},
    "google.protobuf.Int64Value": {"type": ["integer", "string"], "format": "int64"},
    "google.protobuf.UInt64Value": {"type": ["integer", "string"], "format": "uint64"},
}


def load_pool(path: Path, display: str = DOCUMENT) -> Any:
    """The descriptor pool of the vendored ``FileDescriptorSet``; refuses a missing or broken file."""
    from google.protobuf import descriptor_pb2, descriptor_pool
    from google.protobuf.message import DecodeError

    raw = read_source(path, display)
    try:
        files = descriptor_pb2.FileDescriptorSet.FromString(raw)
    except DecodeError as exc:
        raise ExtractionError(display, None, f"not a serialised FileDescriptorSet: {exc}") from None
    pool = descriptor_pool.DescriptorPool()
    for file in files.file:
        try:
            pool.Add(file)
        except Exception as exc:  # noqa: BLE001 - protobuf raises TypeError or its own errors here
            raise ExtractionError(
                display, None, f"cannot load {file.name or '(unnamed file)'}: {exc}"
            ) from None
    return pool


class _Options:
    """MLflow's custom options (``databricks.proto``), read through the pool's own descriptor.proto."""

    def __init__(self, pool: Any, display: str) -> None:
        from google.protobuf import message_factory

        try:
            self.rpc = pool.FindExtensionByName("mlflow.rpc")
            self.required = pool.FindExtensionByName("mlflow.validate_required")
            self._method = message_factory.GetMessageClass(
                pool.FindMessageTypeByName("google.protobuf.MethodOptions")
            )
            self._field = message_factory.GetMessageClass(
                pool.FindMessageTypeByName("google.protobuf.FieldOptions")
            )
        except KeyError as exc:
            raise ExtractionError(display, None, f"databricks.proto options missing: {exc}") from None

    def endpoints(self, method: Any) -> list[Any]:
        options = self._method.FromString(method.GetOptions().SerializeToString())
        return list(options.Extensions[self.rpc].endpoints)

    def title(self, method: Any) -> str:
        options = self._method.FromString(method.GetOptions().SerializeToString())
        return options.Extensions[self.rpc].rpc_doc_title

    def is_required(self, field: Any) -> bool:
        options = self._field.FromString(field.GetOptions().SerializeToString())
        return bool(options.Extensions[self.required])


def server_path(endpoint: Any) -> str:
    """Where MLflow's server mounts an endpoint: ``/api/<since.major>.0<path>``, with ``{a.b}`` as ``{b}``."""
    path = _PATH_PARAM.sub(lambda m: "{" + m.group(1).rsplit(".", 1)[-1] + "}", endpoint.path)
    return f"/api/{endpoint.since.major}.0{path}"


class _Schemas:
    """Proto messages and enums -> components, collected as they are first referenced."""

    def __init__(self, options: _Options) -> None:
        self.options = options
        self.defs: dict[str, SchemaDef] = {}

    def ref(self, name: str) -> dict[str, Any]:
        return {"$ref": _REF + name}

    def message(self, message: Any) -> dict[str, Any]:
        name = message.full_name
        if name in _WELL_KNOWN:
            return dict(_WELL_KNOWN[name])
        if name not in self.defs:
            self.defs[name] = SchemaDef(name, {}, Source(DOCUMENT, None, message=name))
            self.defs[name].schema = self._object(message)
        return self.ref(name)

    def enum(self, enum: Any) -> dict[str, Any]:
        name = enum.full_name
        if name not in self.defs:
            self.defs[name] = SchemaDef(
                name,
                {"type": "string", "enum": [value.name for value in enum.values]},
                Source(DOCUMENT, None, message=name),
            )
        return self.ref(name)

    def _object(self, message: Any, *, leave_out: frozenset[str] = frozenset()) -> dict[str, Any]:
        properties = {f.name: self.field(f) for f in message.fields if f.name not in leave_out}
        required = [f.name for f in message.fields if f.name not in leave_out and self.options.is_required(f)]
        out: dict[str, Any] = {"type": "object", "properties": properties}
        if required:
            out["required"] = required
        return out

    def inline(self, message: Any, leave_out: frozenset[str]) -> dict[str, Any]:
        """A request message without the fields its path carries."""
        out = self._object(message, leave_out=leave_out)
        out["x-source"] = Source(DOCUMENT, None, message=message.full_name).as_extension()
        return out

    def field(self, field: Any) -> dict[str, Any]:
        if field.type == _MESSAGE and field.message_type.GetOptions().map_entry:
            value = field.message_type.fields_by_name["value"]
            return {"type": "object", "additionalProperties": self.single(value)}
        single = self.single(field)
        out = {"type": "array", "items": single} if _repeated(field) else single
        if not _repeated(field) and field.has_default_value and field.type not in (_MESSAGE, _GROUP):
            default = field.default_value
            out = {**out, "default": default.decode("latin-1") if isinstance(default, bytes) else default}
            if field.type == _ENUM:
                out["default"] = field.enum_type.values_by_number[default].name
        if field.GetOptions().deprecated:
            out = {**out, "deprecated": True}
        return out

    def single(self, field: Any) -> dict[str, Any]:
        if field.type in (_MESSAGE, _GROUP):
            return self.message(field.message_type)
        if field.type == _ENUM:
            return self.enum(field.enum_type)
        if field.type in _INT64_TYPES:
            out: dict[str, Any] = {"type": ["integer", "string"], "format": _INT64_TYPES[field.type]}
            if _INT64_TYPES[field.type] == "uint64":
                out["minimum"] = 0
            return out
        return dict(_SCALARS[field.type])


def _query_parameters(
    schemas: _Schemas, message: Any, leave_out: frozenset[str]
) -> tuple[list[Parameter], list[str]]:
    params: list[Parameter] = []
    unsupported: list[str] = []
    for field in message.fields:
        if field.name in leave_out:
            continue
        if field.type in (_MESSAGE, _GROUP) and field.message_type.full_name not in _WELL_KNOWN:
            unsupported.append(field.name)
            continue
        schema = schemas.field(field)
        params.append(
            Parameter(
                name=field.name,
                location="query",
                schema=schema,
                required=schemas.options.is_required(field),
                deprecated=bool(field.GetOptions().deprecated),
            )
        )
    return params, unsupported


def parse_mlflow(path: Path, display: str = DOCUMENT) -> Document:
    pool = load_pool(path, display)
    options = _Options(pool, display)
    schemas = _Schemas(options)
    document = Document(path=display, vendor="mlflow", title="MLflow REST API", layout="P")
    endpoints: list[tuple[Any, Any, Operation]] = []
    for service_name in SERVICES:
        try:
            service = pool.FindServiceByName(service_name)
        except KeyError:
            raise ExtractionError(display, None, f"no service {service_name} in the descriptors") from None
        for method in service.methods:
            for endpoint in options.endpoints(method):
                operation = _operation(schemas, options, service, method, endpoint)
                document.operations.append(operation)
                endpoints.append((service, method, operation))
                if not endpoint.path.startswith("/"):
                    # Kept where the server really mounts it (it prefixes the path verbatim).
                    document.issues.append(
                        DocIssue(
                            operation.source,
                            "path-without-slash",
                            f"{operation.method} {endpoint.path!r} does not start with '/': the server "
                            f"mounts it at {operation.path}",
                        )
                    )
    add_cleanup(endpoints, options.is_required)
    document.schemas = [schemas.defs[name] for name in sorted(schemas.defs)]
    return document


def _operation(schemas: _Schemas, options: _Options, service: Any, method: Any, endpoint: Any) -> Operation:
    http_method = endpoint.method.upper()
    path = server_path(endpoint)
    request = method.input_type
    path_fields = frozenset(_PATH_PARAM.findall(path))
    operation = Operation(
        method=http_method,
        path=path,
        summary=options.title(method) or method.name,
        description="",
        tag=service.name,
        source=Source(DOCUMENT, None, message=request.full_name, method=f"{service.full_name}.{method.name}"),
        deprecated=bool(method.GetOptions().deprecated),
    )
    for name in sorted(path_fields, key=path.index):
        field = request.fields_by_name.get(name)
        schema = schemas.single(field) if field is not None else {"type": "string"}
        operation.parameters.append(Parameter(name=name, location="path", schema=schema, required=True))
    if http_method == "GET":
        params, unsupported = _query_parameters(schemas, request, path_fields)
        operation.parameters.extend(params)
        if unsupported:
            operation.extensions["x-query-unsupported"] = unsupported
    else:
        body = schemas.inline(request, path_fields) if path_fields else schemas.message(request)
        required = any(options.is_required(f) for f in request.fields if f.name not in path_fields)
        operation.request_body = RequestBody("application/json", body, required=required)
    operation.responses.append(Response("200", "Success", schemas.message(method.output_type)))
    return operation
