"""Local ``$ref``s made absolute, for validators that hold the whole document in a registry."""

from __future__ import annotations

from typing import Any


def absolute_refs(node: Any, base_uri: str) -> Any:
    """A copy of ``node`` whose local ``$ref``s (``#/...``) point into the document registered at
    ``base_uri`` (a schema validated on its own cannot resolve ``#/components/...``)."""
    if isinstance(node, dict):
        return {
            k: (
                f"{base_uri}{v}"
                if k == "$ref" and isinstance(v, str) and v.startswith("#")
                else absolute_refs(v, base_uri)
            )
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [absolute_refs(v, base_uri) for v in node]
    return node
