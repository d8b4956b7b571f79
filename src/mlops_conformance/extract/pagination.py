"""The ``x-pagination`` annotation: explicit rules for every vendor, applied after parsing.

Cursor rule (first): an operation whose request has ``max_results`` and ``page_token`` (query
parameters of a GET, else fields of its JSON body) and whose success answer has ``next_page_token``
is token-paginated (``style: cursor``, see ``cursor_pagination_for``).

Offset rule: a GET operation with both ``offset`` and ``limit`` query parameters is offset-paginated. The
envelope is its success response's object schema: ``items`` is ``data`` when present, else the only
array property; ``total``/``next``/``previous`` name ``totalCount``/``next``/``previous`` when the
envelope has them (``null`` otherwise); ``count`` names an integer ``count`` property whose description
says it is the number of items returned on this page (its only source, so its check is a ``warn``),
and is present only then. ``maxLimit`` comes from the ``limit`` parameter's maximum,
the items array's ``maxItems`` or the prose "from 1 to N"; ``defaultLimit`` from the parameter's
``default``. When the envelope itself is unknown (a placeholder cut off by a truncated page), the
vendor's documented envelope convention fills ``items``/``next``/``previous`` and ``total`` stays null.
"""

from __future__ import annotations

import re
from typing import Any

_RANGE = re.compile(r"from 1 to (\d+)")
_VENDOR_CONVENTION = {
    "datarobot": {"items": "data", "next": "next", "previous": "previous"},
    "domino": {"items": None, "next": None, "previous": None},
}


def _resolve(document: dict[str, Any], node: Any) -> Any:
    for _ in range(32):
        if isinstance(node, dict) and set(node) <= {"$ref", "x-source"} and "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            node = document["components"]["schemas"].get(name, {})
        else:
            return node
    return node


def _success_schema(document: dict[str, Any], operation: dict[str, Any]) -> Any:
    for status in ("200", "206"):
        response = operation.get("responses", {}).get(status)
        if response:
            media = response.get("content", {}).get("application/json")
            if media and "schema" in media:
                return _resolve(document, media["schema"])
    return None


def _array_properties(properties: dict[str, Any], document: dict[str, Any]) -> list[str]:
    found = []
    for name, prop in properties.items():
        prop = _resolve(document, prop)
        types = prop.get("type") if isinstance(prop, dict) else None
        if types == "array" or (isinstance(types, list) and "array" in types):
            found.append(name)
    return found


def _request_fields(document: dict[str, Any], operation: dict[str, Any], method: str) -> tuple[str, dict]:
    """Where a request's own fields are (``query`` for GET, ``body`` otherwise) and their schemas."""
    if method == "get":
        return "query", {
            p["name"]: p.get("schema", {}) for p in operation.get("parameters", []) if p.get("in") == "query"
        }
    media = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    body = _resolve(document, media.get("schema"))
    return "body", (body.get("properties") or {}) if isinstance(body, dict) else {}


def cursor_pagination_for(
    document: dict[str, Any], operation: dict[str, Any], method: str
) -> dict[str, Any] | None:
    """Token paging: ``max_results`` + ``page_token`` in the request, ``next_page_token`` in the answer.

    ``items`` is the answer's only array property (``null`` when there are several or none);
    ``defaultLimit`` is ``max_results``' documented default; ``in`` says where the request carries
    the two fields (``query`` for GET, ``body`` for a POST search).

    Marked ``x-inferred``: the rule is read from the three field names alone (MLflow's descriptors
    carry no comments, so nothing states what a token promises), and its checks therefore ``warn``.
    """
    where, fields = _request_fields(document, operation, method)
    if "max_results" not in fields or "page_token" not in fields:
        return None
    envelope = _success_schema(document, operation)
    properties = envelope.get("properties") if isinstance(envelope, dict) else None
    if not properties or "next_page_token" not in properties:
        return None
    arrays = _array_properties(properties, document)
    limit = _resolve(document, fields["max_results"])
    return {
        "style": "cursor",
        "in": where,
        "limit": "max_results",
        "cursor": "page_token",
        "next": "next_page_token",
        "items": arrays[0] if len(arrays) == 1 else None,
        "maxLimit": limit.get("maximum") if isinstance(limit, dict) else None,
        "defaultLimit": limit.get("default") if isinstance(limit, dict) else None,
        "x-inferred": "cursor rule: max_results, page_token and next_page_token by name",
    }


def pagination_for(
    vendor: str, document: dict[str, Any], operation: dict[str, Any], method: str
) -> dict[str, Any] | None:
    cursor = cursor_pagination_for(document, operation, method)
    if cursor is not None:
        return cursor
    if method != "get":
        return None
    params = {p["name"]: p for p in operation.get("parameters", []) if p.get("in") == "query"}
    if "offset" not in params or "limit" not in params:
        return None
    envelope = _success_schema(document, operation)
    properties = envelope.get("properties") if isinstance(envelope, dict) else None
    if properties:
        arrays = _array_properties(properties, document)
        items = "data" if "data" in properties else (arrays[0] if len(arrays) == 1 else None)
        total = "totalCount" if "totalCount" in properties else None
        following = "next" if "next" in properties else None
        previous = "previous" if "previous" in properties else None
    else:
        convention = _VENDOR_CONVENTION.get(vendor, {})
        items, following, previous, total = (
            convention.get("items"),
            convention.get("next"),
            convention.get("previous"),
            None,
        )
    limit_schema = params["limit"].get("schema", {})
    max_limit = limit_schema.get("maximum")
    if max_limit is None and properties and items:
        max_limit = _resolve(document, properties.get(items, {})).get("maxItems")
    if max_limit is None:
        match = _RANGE.search(params["limit"].get("description", ""))
        max_limit = int(match.group(1)) if match else None
    found = {
        "style": "offset",
        "offset": "offset",
        "limit": "limit",
        "items": items,
        "total": total,
        "next": following,
        "previous": previous,
        "maxLimit": max_limit,
        "defaultLimit": limit_schema.get("default"),
    }
    if properties and _counts_the_page(_resolve(document, properties.get("count"))):
        found["count"] = "count"
    return found


_PAGE_COUNT = re.compile(
    r"\b(items|results)\b.*\b(returned|on this page|in (the )?current page)", re.IGNORECASE
)


def _counts_the_page(prop: Any) -> bool:
    """``count`` described as the number of items of this answer ("Number of items returned on this page.")."""
    return (
        isinstance(prop, dict)
        and prop.get("type") == "integer"
        and _PAGE_COUNT.search(str(prop.get("description", ""))) is not None
    )
