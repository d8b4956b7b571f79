"""Neutral model -> one OpenAPI 3.1 contract per vendor, merged across that vendor's pages.

Merging rules (VENDOR-DOCS.md §9): operations are keyed by (method, path) and schemas by name. When
two pages render the same operation, the page with the most faithful layout (A, then B, then C) is
kept, the other is listed under ``x-also-in``, and any difference between the two renderings is
reported as a documentation issue. A placeholder never replaces a real schema; an enum lost in one
page's scrape (``x-doc-loss``) is taken from a page that kept it.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from .model import (
    NO_EXAMPLE,
    DocIssue,
    Document,
    Example,
    Operation,
    Response,
    ResponseHeader,
    SchemaDef,
    Source,
)
from .pagination import pagination_for

_LAYOUT_FIDELITY = {"A": 0, "D": 0, "B": 1, "C": 2}
_REF_PREFIX = "#/components/schemas/"

VENDOR_INFO = {
    "datarobot": {
        "title": "DataRobot REST API (extracted from the public reference pages)",
        "servers": [
            {
                "url": "https://app.datarobot.com",
                "description": "DataRobot managed cloud (from the docs' curl samples)",
            }
        ],
        "securitySchemes": {
            "BearerAuth": {
                "type": "http",
                "scheme": "bearer",
                "description": "`Authorization: Bearer <token>`, as every page's curl samples show.",
            }
        },
        "security": [{"BearerAuth": []}],
    },
    "domino": {
        "title": "Domino Data Lab REST API (extracted from the public reference page)",
        "servers": [],
        "securitySchemes": {},
        "security": [],
    },
    "mlflow": {
        "title": "MLflow REST API (extracted from the protobuf service descriptors shipped in mlflow)",
        "servers": [],
        "securitySchemes": {},
        "security": [],
    },
}


def _example_object(example: Example, document: str) -> dict[str, Any]:
    return {"documented": {"value": example.value, "x-source": {"document": document, "line": example.line}}}


def _parameter(param: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": param.name,
        "in": param.location,
        "required": bool(param.required or param.location == "path"),
    }
    if param.description:
        out["description"] = param.description
    if param.deprecated:
        out["deprecated"] = True
    out["schema"] = copy.deepcopy(param.schema)
    if param.example is not NO_EXAMPLE:
        out["example"] = param.example
    return out


def _header(header: ResponseHeader) -> dict[str, Any]:
    out: dict[str, Any] = {"description": header.description or header.name}
    if header.required:
        out["required"] = True
    out["schema"] = copy.deepcopy(header.schema)
    return out


def _response(response: Response, document: str) -> dict[str, Any]:
    out: dict[str, Any] = {"description": response.description or response.status}
    if response.headers:
        out["headers"] = {header.name: _header(header) for header in response.headers}
    if response.schema is not None:
        media: dict[str, Any] = {"schema": copy.deepcopy(response.schema)}
        if response.example is not None:
            media["examples"] = _example_object(response.example, document)
        out["content"] = {response.media_type: media}
    if response.inferred:
        out["x-inferred"] = response.inferred
    return out


def operation_to_openapi(op: Operation, document: str) -> dict[str, Any]:
    out: dict[str, Any] = {"summary": op.summary}
    if op.description:
        out["description"] = op.description
    out["tags"] = [op.tag]
    out["operationId"] = _operation_id(op)
    if op.deprecated:
        out["deprecated"] = True
    if op.parameters:
        out["parameters"] = [_parameter(p) for p in op.parameters]
    if op.request_body is not None:
        body = op.request_body
        media: dict[str, Any] = {"schema": copy.deepcopy(body.schema)}
        if body.example is not None:
            media["examples"] = _example_object(body.example, document)
        request: dict[str, Any] = {"required": bool(body.required), "content": {body.media_type: media}}
        if body.description:
            request["description"] = body.description
        out["requestBody"] = request
    out["responses"] = {r.status: _response(r, document) for r in op.responses}
    out["x-source"] = op.source.as_extension()
    for key, value in op.extensions.items():
        out[key] = copy.deepcopy(value)
    return out


def _operation_id(op: Operation) -> str:
    words = [op.method.lower()]
    for part in op.path.strip("/").split("/"):
        if part in ("api", "v2"):
            continue
        words.append(("by_" + part[1:-1]) if part.startswith("{") else part)
    return "_".join(w.replace("-", "_").replace(".", "_") for w in words if w)


def _comparable(spec: dict[str, Any]) -> str:
    """A rendering-independent form of an operation, to tell real disagreements from layout noise."""
    stripped = copy.deepcopy(spec)
    for key in ("x-source", "x-also-in", "tags", "description", "summary"):
        stripped.pop(key, None)

    def scrub(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: scrub(v) for k, v in node.items() if k not in ("examples", "description", "x-source")}
        if isinstance(node, list):
            return [scrub(v) for v in node]
        return node

    return json.dumps(scrub(stripped), sort_keys=True)


def schema_to_component(schema_def: SchemaDef) -> dict[str, Any]:
    out = copy.deepcopy(schema_def.schema)
    if schema_def.example is not None and "examples" not in out:
        out["examples"] = [schema_def.example.value]
    if schema_def.recovered:
        out["x-name-recovered"] = schema_def.recovered
    if schema_def.placeholder:
        out["x-placeholder"] = True
    out["x-source"] = schema_def.source.as_extension()
    return out


def _fill_lost_enums(kept: dict[str, Any], other: dict[str, Any]) -> None:
    """Take enums the kept page lost (``x-doc-loss: [enum]``) from a page that still has them."""
    kept_props = kept.get("properties", {})
    for name, prop in other.get("properties", {}).items():
        mine = kept_props.get(name)
        if not isinstance(mine, dict) or not isinstance(prop, dict):
            continue
        if "enum" in prop and "enum" not in mine:
            mine["enum"] = list(prop["enum"])
            lost = [k for k in mine.get("x-doc-loss", []) if k != "enum"]
            if lost:
                mine["x-doc-loss"] = lost
            else:
                mine.pop("x-doc-loss", None)


def build_contract(vendor: str, documents: list[Document]) -> tuple[dict[str, Any], list[DocIssue]]:
    issues: list[DocIssue] = [issue for doc in documents for issue in doc.issues]
    operations: dict[tuple[str, str], tuple[Document, Operation]] = {}
    also_in: dict[tuple[str, str], list[Source]] = {}
    ranked = sorted(documents, key=lambda d: _LAYOUT_FIDELITY.get(d.layout, 9))
    for doc in ranked:
        for op in doc.operations:
            if op.key in operations:
                also_in.setdefault(op.key, []).append(op.source)
                kept_doc, kept = operations[op.key]
                if _comparable(operation_to_openapi(kept, kept_doc.path)) != _comparable(
                    operation_to_openapi(op, doc.path)
                ):
                    issues.append(
                        DocIssue(
                            op.source,
                            "disagreement",
                            f"{op.method} {op.path} differs from its rendering at "
                            f"{kept.source.document}:{kept.source.line}",
                        )
                    )
                continue
            operations[op.key] = (doc, op)

    paths: dict[str, dict[str, Any]] = {}
    for key in sorted(operations):
        doc, op = operations[key]
        spec = operation_to_openapi(op, doc.path)
        if key in also_in:
            spec["x-also-in"] = [s.as_extension() for s in also_in[key]]
        paths.setdefault(op.path, {})[op.method.lower()] = spec

    schemas: dict[str, dict[str, Any]] = {}
    kept_def: dict[str, SchemaDef] = {}
    for doc in ranked:
        for schema_def in doc.schemas:
            previous = kept_def.get(schema_def.name)
            if previous is None or (previous.placeholder and not schema_def.placeholder):
                kept_def[schema_def.name] = schema_def
                schemas[schema_def.name] = schema_to_component(schema_def)
            elif not schema_def.placeholder:
                _fill_lost_enums(schemas[schema_def.name], schema_def.schema)

    info = VENDOR_INFO[vendor]
    contract: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": info["title"],
            "version": "extracted",
            "description": "Generated by `mlops-conformance extract` from the vendored pages listed under "
            "x-sources; never edited by hand.",
            "x-sources": [{"document": d.path, "title": d.title, "layout": d.layout} for d in documents],
        },
        "servers": info["servers"],
        "tags": sorted(
            ({"name": t} for t in {op.tag for _, op in operations.values()}), key=lambda t: t["name"]
        ),
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": copy.deepcopy(info["securitySchemes"])},
    }
    if info["security"]:
        contract["security"] = copy.deepcopy(info["security"])
    if not contract["servers"]:
        del contract["servers"]
    return contract, issues


def annotate_pagination(vendor: str, contract: dict[str, Any]) -> None:
    for item in contract["paths"].values():
        for method, spec in item.items():
            spec.pop("x-pagination", None)
            pagination = pagination_for(vendor, contract, spec, method)
            if pagination is not None:
                spec["x-pagination"] = pagination


def dangling_refs(contract: dict[str, Any]) -> list[str]:
    names = set(contract.get("components", {}).get("schemas", {}))
    missing: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith(_REF_PREFIX) and ref[len(_REF_PREFIX) :] not in names:
                missing.add(ref)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(contract)
    return sorted(missing)
