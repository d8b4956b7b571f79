"""Validate every documented example against the schema documented beside it.

A failing example is a documentation bug, reported with its source line (never dropped, never
blamed on a target). Placeholder schemas and nodes marked ``x-doc-loss`` cannot be judged fairly,
so an error located at such a node is not reported.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

from ..formats import is_absolute_uri
from .model import DocIssue, Source

_REF_PREFIX = "#/components/schemas/"


def _examples_of(media: dict[str, Any]) -> Iterator[tuple[Any, dict[str, Any]]]:
    for example in (media.get("examples") or {}).values():
        if isinstance(example, dict) and "value" in example:
            yield example["value"], example.get("x-source") or {}


def _targets(contract: dict[str, Any]) -> Iterator[tuple[str, Any, Any, dict[str, Any]]]:
    """(what, schema, example value, source) for every example in the contract."""
    for path, item in contract.get("paths", {}).items():
        for method, op in item.items():
            where = f"{method.upper()} {path}"
            body = op.get("requestBody") or {}
            for media_type, media in (body.get("content") or {}).items():
                for value, source in _examples_of(media):
                    yield f"{where} request body ({media_type})", media.get("schema", {}), value, source
            for status, response in (op.get("responses") or {}).items():
                for media_type, media in (response.get("content") or {}).items():
                    for value, source in _examples_of(media):
                        yield f"{where} {status} response", media.get("schema", {}), value, source
    for name, schema in contract.get("components", {}).get("schemas", {}).items():
        for value in schema.get("examples", []) if isinstance(schema, dict) else []:
            yield f"schema {name}", {"$ref": _REF_PREFIX + name}, value, schema.get("x-source") or {}


def _lost_at(contract: dict[str, Any], schema: Any, error: Any) -> bool:
    """Whether the failing keyword sits under a node whose documentation was lost."""
    node = error.schema if isinstance(error.schema, dict) else {}
    return bool(node.get("x-doc-loss") or node.get("x-placeholder"))


def check_examples(contract: dict[str, Any]) -> list[DocIssue]:
    components = contract.get("components", {})
    issues: list[DocIssue] = []
    cache: dict[str, Draft202012Validator] = {}
    for what, schema, value, source in _targets(contract):
        key = repr(schema)
        validator = cache.get(key)
        if validator is None:
            validator = cache[key] = Draft202012Validator({**schema, "components": components})
        errors = [e for e in validator.iter_errors(value) if not _lost_at(contract, schema, e)]
        if not errors:
            continue
        first = min(errors, key=lambda e: (len(e.absolute_path), str(e.message)))
        location = "/".join(str(p) for p in first.absolute_path) or "(root)"
        message = first.message if len(first.message) <= 160 else first.message[:157] + "..."
        issues.append(
            DocIssue(
                Source(str(source.get("document", "?")), int(source.get("line", 0) or 0)),
                "example-mismatch",
                f"{what}: documented example fails its own schema at {location}: {message}",
            )
        )
    return issues


# What standard tools (Spectral's oas3-valid-media-example, ajv) assert of a media example: the raw
# schema, formats included; our lenient reading (x-doc-loss) is for judging targets, not this.
_FORMATS = FormatChecker()


_FORMATS.checks("uri", raises=ValueError)(is_absolute_uri)


def quarantine_invalid_examples(contract: dict[str, Any]) -> int:
    """Move every media example that breaks its own schema from ``examples`` to
    ``x-invalid-examples``: kept for the examples checks (a ``docs`` row each), handed to no tool
    as an example. Returns how many moved."""
    components = contract.get("components", {})
    moved = 0
    for media in _media_objects(contract):
        examples = media.get("examples")
        if not isinstance(examples, dict) or "schema" not in media:
            continue
        validator = Draft202012Validator(
            {**media["schema"], "components": components}, format_checker=_FORMATS
        )
        for name in sorted(examples):
            example = examples[name]
            if isinstance(example, dict) and "value" in example and not validator.is_valid(example["value"]):
                media.setdefault("x-invalid-examples", {})[name] = examples.pop(name)
                moved += 1
        if not examples:
            del media["examples"]
    return moved


def _media_objects(contract: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for item in contract.get("paths", {}).values():
        for op in item.values():
            if not isinstance(op, dict):
                continue
            for media in ((op.get("requestBody") or {}).get("content") or {}).values():
                if isinstance(media, dict):
                    yield media
            for response in (op.get("responses") or {}).values():
                for media in ((response.get("content") or {}) if isinstance(response, dict) else {}).values():
                    if isinstance(media, dict):
                        yield media


def give_arrays_items(node: Any) -> None:
    """An array whose item type the scrape lost gets ``items: {}`` (any item, which is what it
    already meant): standard tools require the keyword beside ``type: array``."""
    if isinstance(node, dict):
        kinds = node.get("type")
        is_array = kinds == "array" or (isinstance(kinds, list) and "array" in kinds)
        if is_array and "items" not in node and "prefixItems" not in node:
            node["items"] = {}
        for key, value in node.items():
            if key not in ("examples", "x-invalid-examples", "example", "default", "enum", "const"):
                give_arrays_items(value)
    elif isinstance(node, list):
        for value in node:
            give_arrays_items(value)
