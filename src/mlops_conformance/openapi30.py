"""A user's OpenAPI document (``run --contract``), read into the 3.1 shapes the checks read.

``load_document`` reads JSON or YAML, refuses Swagger 2.0 and anything but OpenAPI 3.0.x/3.1.x in
one line, and returns a normalised copy (the file is never written):

* OpenAPI 3.0 schemas become 3.1 ones: ``nullable: true`` -> ``type: [T, "null"]`` (``anyOf`` with
  ``{type: "null"}`` beside a ``$ref``/``allOf``/untyped schema; ``null`` joins an ``enum``), a
  boolean ``exclusiveMinimum``/``exclusiveMaximum`` -> the numeric form, ``example`` ->
  ``examples: [..]``; ``x-nullable`` (a Swagger extension) is ignored;
* every operation states its own ``security`` (the document's, else ``[]``; a requirement list
  holding ``{}`` makes credentials optional, so ``[]``), which is how the checks decide whether an
  operation needs credentials.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

from .errors import ContractError

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_ONE = ("items", "additionalProperties", "not", "contains", "propertyNames", "if", "then", "else")


def vendor_name(document: dict[str, Any], path: Path) -> str:
    """``info.title`` lower-cased, every run of non-alphanumerics a ``-`` (else the file's stem)."""
    title = str((document.get("info") or {}).get("title") or "") or path.stem.split(".")[0]
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "contract"


def load_document(path: Path) -> tuple[dict[str, Any], bytes]:
    """The document at ``path`` normalised to OpenAPI 3.1 shapes, and the file's bytes."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise ContractError(str(path), f"cannot read contract: {exc.strerror or exc}") from None
    document = _parse(path, raw)
    if not isinstance(document, dict):
        raise ContractError(str(path), "not an OpenAPI document (not a mapping)")
    if "swagger" in document:
        raise ContractError(
            str(path),
            f"Swagger {document['swagger']} is not supported; convert it to OpenAPI 3 first "
            "(e.g. with swagger2openapi)",
        )
    version = str(document.get("openapi", ""))
    if not re.match(r"^3\.[01]\.\d+", version):
        raise ContractError(
            str(path), f"expected OpenAPI 3.0.x or 3.1.x, found openapi: {version or '(none)'}"
        )
    if not isinstance(document.get("paths"), dict):
        raise ContractError(str(path), "not an OpenAPI document (no 'paths')")
    return normalise(document), raw


def _parse(path: Path, raw: bytes) -> Any:
    import orjson

    if raw.lstrip()[:1] in (b"{", b"["):
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise ContractError(str(path), f"not valid JSON: {exc}") from None
    import yaml

    # libyaml's loader when PyYAML was built with it: ~10x faster on a large document, same result
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(raw, Loader=loader)  # a safe loader, C or Python
    except yaml.YAMLError as exc:
        raise ContractError(str(path), f"not valid YAML: {' '.join(str(exc).split())}") from None


def normalise(document: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``document`` in OpenAPI 3.1 shapes, with explicit per-operation ``security``."""
    document = copy.deepcopy(document)
    if str(document.get("openapi", "")).startswith("3.0"):
        document["x-original-openapi"] = document["openapi"]
        document["openapi"] = "3.1.0"
        _walk_document(document)
    _explicit_security(document)
    return document


def _explicit_security(document: dict[str, Any]) -> None:
    default = document.get("security")
    for item in (document.get("paths") or {}).values():
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            spec = item.get(method)
            if not isinstance(spec, dict):
                continue
            security = spec.get("security", default)
            if not security or any(not requirement for requirement in security):
                security = []
            spec["security"] = security


def _walk_document(document: dict[str, Any]) -> None:
    components = document.get("components") or {}
    for schema in (components.get("schemas") or {}).values():
        _schema(schema)
    for group in ("parameters", "headers"):
        for node in (components.get(group) or {}).values():
            _holder(node)
    for group in ("responses", "requestBodies"):
        for node in (components.get(group) or {}).values():
            _message(node)
    for item in (document.get("paths") or {}).values():
        if not isinstance(item, dict):
            continue
        for parameter in item.get("parameters") or []:
            _holder(parameter)
        for method in HTTP_METHODS:
            spec = item.get(method)
            if not isinstance(spec, dict):
                continue
            for parameter in spec.get("parameters") or []:
                _holder(parameter)
            _message(spec.get("requestBody"))
            for response in (spec.get("responses") or {}).values():
                _message(response)


def _holder(node: Any) -> None:
    """A parameter or header: its ``schema``, or the schemas of its ``content``."""
    if isinstance(node, dict):
        _schema(node.get("schema"))
        _message(node)


def _message(node: Any) -> None:
    """A request body or response: the schemas of its ``content`` and ``headers``."""
    if not isinstance(node, dict):
        return
    for media in (node.get("content") or {}).values():
        if isinstance(media, dict):
            _schema(media.get("schema"))
    for header in (node.get("headers") or {}).values():
        _holder(header)


def _schema(node: Any) -> None:
    if not isinstance(node, dict):
        return
    for key in _SCHEMA_MAPS:
        children = node.get(key)
        for child in children.values() if isinstance(children, dict) else ():
            _schema(child)
    for key in _SCHEMA_LISTS:
        children = node.get(key)
        for child in children if isinstance(children, list) else ():
            _schema(child)
    for key in _SCHEMA_ONE:
        _schema(node.get(key))
    for key, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if isinstance(node.get(key), bool) and node.pop(key) and bound in node:
            node[key] = node.pop(bound)
    if "example" in node:
        example = node.pop("example")
        node.setdefault("examples", [example])
    if node.pop("nullable", False) is True:
        _nullable(node)


def _nullable(node: dict[str, Any]) -> None:
    if isinstance(node.get("enum"), list) and None not in node["enum"]:
        node["enum"] = [*node["enum"], None]
    kind = node.get("type")
    if isinstance(kind, str) and "$ref" not in node and "allOf" not in node:
        node["type"] = [kind, "null"]
    elif isinstance(kind, list) and "$ref" not in node and "allOf" not in node:
        if "null" not in kind:
            node["type"] = [*kind, "null"]
    else:
        # A $ref, an allOf or an untyped schema: the value is that schema, or null.
        keep = {k: node.pop(k) for k in list(node) if not k.startswith("x-") and k not in _ANNOTATIONS}
        node["anyOf"] = [keep, {"type": "null"}]


_ANNOTATIONS = ("title", "description", "examples", "default", "deprecated", "readOnly", "writeOnly")
