"""The operation x check-family matrix and the drill-down data behind each cell.

Rows are the operations the run reported on (one per vendor and ``METHOD /path``), columns the
check families; a cell gathers that operation's checks of that family and shows the most severe
verdict among them. The drill-down data is the evidence of every row, trimmed and redacted again
(defence in depth: a summary written by another tool may not have redacted everything).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import orjson

from ..contract import Contract
from .coverage import OperationCoverage
from .doclines import DocLines, source_label
from .redact import redact_headers, redact_url
from .stats import worst
from .summary import FAMILIES, Row

_METHOD_ORDER = {m: i for i, m in enumerate(("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"))}
MAX_TEXT = 4000


@dataclass(slots=True)
class Cell:
    family: str
    rows: list[Row] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        return worst(r.verdict for r in self.rows)


@dataclass(slots=True)
class MatrixRow:
    vendor: str
    operation: str
    tag: str
    summary: str = ""
    deprecated: bool = False
    source: dict[str, Any] | None = None
    cells: dict[str, Cell] = field(default_factory=dict)
    coverage: OperationCoverage | None = None

    @property
    def method(self) -> str:
        return self.operation.partition(" ")[0]

    @property
    def path(self) -> str:
        return self.operation.partition(" ")[2]

    @property
    def rows(self) -> list[Row]:
        return [row for cell in self.cells.values() for row in cell.rows]


def families_of(rows: list[Row]) -> list[str]:
    """The six documented families in their usual order, then any other family the rows name."""
    present = {row.family for row in rows}
    return list(FAMILIES) + sorted(present - set(FAMILIES))


def build_matrix(
    rows: list[Row], contracts: dict[str, Contract], coverages: list[OperationCoverage]
) -> list[MatrixRow]:
    """One ``MatrixRow`` per (vendor, operation) of the run, ordered by vendor, tag and path."""
    specs = {(v, op.id): op for v, contract in contracts.items() for op in contract.operations()}
    coverage_of = {(c.vendor, c.operation): c for c in coverages}
    grouped: dict[tuple[str, str], MatrixRow] = {}
    for row in rows:
        key = (row.vendor, row.operation)
        entry = grouped.get(key)
        if entry is None:
            op = specs.get(key)
            spec = op.spec if op else {}
            entry = MatrixRow(
                vendor=row.vendor,
                operation=row.operation,
                tag=row.tag or (op.tag if op else "untagged"),
                summary=str(spec.get("summary") or "").strip(),
                deprecated=bool(spec.get("deprecated")),
                source=op.source if op else None,
                coverage=coverage_of.get(key),
            )
            grouped[key] = entry
        entry.cells.setdefault(row.family, Cell(row.family)).rows.append(row)
    return sorted(
        grouped.values(),
        key=lambda m: (m.vendor, m.tag.lower(), m.path, _METHOD_ORDER.get(m.method, 99), m.method),
    )


def _clip(text: str, limit: int = MAX_TEXT) -> str:
    return text if len(text) <= limit else text[:limit] + f"\n… ({len(text) - limit} more characters)"


def _body_text(body: Any) -> str | None:
    if body is None:
        return None
    if isinstance(body, str):
        return _clip(body)
    try:
        return _clip(orjson.dumps(body, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode())
    except TypeError:
        return _clip(str(body))


def _message(row: Row) -> str:
    for key in ("message", "detail"):
        value = row.evidence.get(key)
        if isinstance(value, str) and value.strip():
            return _clip(value.strip(), 2000)
    value = row.raw.get("message")
    return _clip(value.strip(), 2000) if isinstance(value, str) else ""


def evidence_data(row: Row, doclines: DocLines, fallback_source: dict[str, Any] | None) -> dict[str, Any]:
    """What the drill-down shows for one row, as plain JSON for the page's script."""
    evidence = row.evidence
    data: dict[str, Any] = {"check": row.check, "verdict": row.verdict, "family": row.family}
    if row.reason:
        data["reason"] = _clip(row.reason, 2000)
    message = _message(row)
    if message:
        data["message"] = message
    if isinstance(evidence.get("schema_path"), (str, list)):
        path = evidence["schema_path"]
        data["schema_path"] = path if isinstance(path, str) else "/".join(str(p) for p in path)
    request = evidence.get("request")
    if isinstance(request, dict):
        data["request"] = {
            "method": str(request.get("method") or row.method),
            "url": redact_url(str(request.get("url") or "")),
            "headers": redact_headers(request.get("headers")),
            "body": _body_text(request.get("body")),
        }
    response = evidence.get("response")
    if isinstance(response, dict):
        data["response"] = {
            "status": response.get("status"),
            "headers": redact_headers(response.get("headers")),
            "body": _body_text(response.get("body_excerpt", response.get("body"))),
        }
    source = evidence.get("source") if isinstance(evidence.get("source"), dict) else None
    data["source_is_operation"] = source is None and fallback_source is not None
    source = source or fallback_source
    label = source_label(source)
    if label:
        data["source"] = label
        data["source_line"] = source.get("line") if isinstance(source, dict) else None
        excerpt = doclines.excerpt(source)
        if excerpt:
            data["lines"] = excerpt
    details = evidence.get("details")
    if isinstance(details, list) and details:
        data["details"] = [_clip(str(d), 1000) for d in details[:10]]
    for key in ("error", "known_failure", "mutation"):
        value = evidence.get(key)
        if isinstance(value, str) and value.strip():
            data[key] = _clip(value.strip(), 1000)
        elif isinstance(value, dict) and value:
            data[key] = _body_text(value)
    judged = evidence.get("requests_judged")
    if isinstance(judged, int) and not isinstance(judged, bool) and judged > 1:
        data["judged"] = judged
    if row.expires:
        data["expires"] = row.expires
    if row.statuses:
        data["statuses"] = list(row.statuses)
    return data


def cell_index(matrix: list[MatrixRow]) -> dict[tuple[str, str], list[MatrixRow]]:
    """Matrix rows grouped by (vendor, tag), in display order: the matrix's group headers."""
    groups: dict[tuple[str, str], list[MatrixRow]] = defaultdict(list)
    for entry in matrix:
        groups[(entry.vendor, entry.tag)].append(entry)
    return groups
