"""Validate every documented example against the schema documented beside it.

A failing example is a documentation bug, reported with its source line (never dropped, never
blamed on a target). Placeholder schemas and nodes marked ``x-doc-loss`` cannot be judged fairly,
so an error located at such a node is not reported.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jsonschema import Draft202012Validator

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
