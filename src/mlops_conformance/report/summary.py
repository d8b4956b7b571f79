"""Reading ``summary.json``: the one place that knows its format and how to distrust it.

Every report reads summaries through ``load_summary``/``parse_summary`` so that a missing key, a
corrupt file or an unknown verdict becomes one ``ReportError`` naming the file and the row, and so
that the rest of the package can rely on typed ``Row`` objects instead of probing dicts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from ..errors import ReportError

VERDICTS: tuple[str, ...] = ("pass", "fail", "warn", "drift", "skip", "xfail", "error", "docs")
FAMILIES: tuple[str, ...] = ("schema", "examples", "pagination", "lifecycle", "errors", "auth")

# Worst first: the verdict a matrix cell shows when it holds several checks.
SEVERITY: tuple[str, ...] = ("fail", "error", "warn", "docs", "drift", "xfail", "pass", "skip")

# Rows that say something about the target. ``skip`` was not run and ``docs`` judges the
# documentation, so neither can raise or lower a target's conformance.
TESTED: tuple[str, ...] = ("pass", "fail", "warn", "drift", "xfail", "error")

SUMMARY_NAME = "summary.json"

# A compact history entry holds rows as index tuples into a string table (``history.compact_rows``).
COMPACT_FORMAT = "rows-compact/1"
COMPACT_COLUMNS: tuple[str, ...] = ("vendor", "operation", "tag", "check", "family", "verdict", "reason")

# Check-id prefixes that name a family without saying so; anything else falls back to the first
# word of the id (``pagination_walk`` -> ``pagination``).
_PREFIX_FAMILY: tuple[tuple[str, str], ...] = (
    ("status_code", "schema"),
    ("response_schema", "schema"),
    ("response_header", "schema"),
    ("content_type", "schema"),
    ("schema", "schema"),
    ("example", "examples"),
    ("pagination", "pagination"),
    ("page", "pagination"),
    ("lifecycle", "lifecycle"),
    ("cleanup", "lifecycle"),
    ("crud", "lifecycle"),
    ("negative", "errors"),
    ("error", "errors"),
    ("invalid", "errors"),
    ("missing_required", "errors"),
    ("wrong_type", "errors"),
    ("not_a_server_error", "errors"),
    ("no_server_error", "errors"),
    ("server_error", "errors"),
    ("auth", "auth"),
    ("unauthorized", "auth"),
    ("token", "auth"),
)


def family_of(check: str) -> str:
    """The check family of a check id, for rows written without a ``family`` key."""
    lowered = check.strip().lower()
    for separator in (".", ":", "/"):
        head, sep, _ = lowered.partition(separator)
        if sep and head in FAMILIES:
            return head
    for prefix, family in _PREFIX_FAMILY:
        if lowered.startswith(prefix):
            return family
    word = lowered.replace("-", "_").split("_", 1)[0]
    return word or "other"


@dataclass(slots=True)
class Row:
    """One check result, with the optional parts of the format already normalised."""

    index: int
    vendor: str
    operation: str
    check: str
    verdict: str
    family: str
    tag: str | None = None
    reason: str = ""
    evidence: dict[str, Any] = field(default_factory=dict)
    statuses: tuple[int, ...] = ()
    expires: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.vendor, self.operation, self.check)

    @property
    def method(self) -> str:
        return self.operation.partition(" ")[0].upper()

    @property
    def path(self) -> str:
        return self.operation.partition(" ")[2]


@dataclass(slots=True)
class Summary:
    """A parsed ``summary.json`` (or a history entry, which has the same shape)."""

    run: dict[str, Any]
    rows: list[Row]
    path: Path | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def vendors(self) -> list[str]:
        declared = self.run.get("vendors")
        if isinstance(declared, list) and declared and all(isinstance(v, str) for v in declared):
            return sorted(set(declared))
        if isinstance(declared, str) and declared:
            return [declared]
        return sorted({row.vendor for row in self.rows})

    @property
    def started(self) -> str:
        value = self.run.get("started")
        return value if isinstance(value, str) else ""

    @property
    def target(self) -> str:
        value = self.run.get("target")
        return value if isinstance(value, str) else ""

    @property
    def label(self) -> str:
        return str(self.path) if self.path else "summary"


def resolve_summary_path(path: Path) -> Path:
    """A summary file, or a report directory holding one, to the file itself."""
    return path / SUMMARY_NAME if path.is_dir() else path


def load_summary(path: Path) -> Summary:
    """Read and validate a summary file or a report directory's ``summary.json``."""
    file = resolve_summary_path(Path(path))
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        hint = " (run `mlops-conformance run` first)" if file.name == SUMMARY_NAME else ""
        raise ReportError(f"{file}: no such file{hint}") from None
    except OSError as exc:
        raise ReportError(f"{file}: cannot read: {exc.strerror or exc}") from None
    try:
        document = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}" if getattr(exc, "lineno", None) else str(exc)
        raise ReportError(f"{file}: not valid JSON ({where})") from None
    return parse_summary(document, file)


def parse_summary(document: Any, path: Path | None = None) -> Summary:
    """Validate an already-decoded summary; every problem names the file and the row."""
    label = str(path) if path else "summary"
    if not isinstance(document, dict):
        raise ReportError(f"{label}: not a summary (expected a JSON object with 'run' and 'rows')")
    run = document.get("run", {})
    if not isinstance(run, dict):
        raise ReportError(f"{label}: 'run' must be an object")
    rows_in = document.get("rows")
    if rows_in is None and isinstance(document.get("compact"), dict):
        rows_in = _expand_compact(label, document["compact"])
    if not isinstance(rows_in, list):
        raise ReportError(f"{label}: not a summary (no 'rows' list)")
    rows = [_parse_row(label, index, item) for index, item in enumerate(rows_in)]
    return Summary(run=run, rows=rows, path=path, raw=document)


def _expand_compact(label: str, compact: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows of a compact history entry, as row objects (no evidence)."""
    columns, strings, table = compact.get("columns"), compact.get("strings"), compact.get("rows")
    if compact.get("format") != COMPACT_FORMAT:
        raise ReportError(f"{label}: unknown compact row format {compact.get('format')!r}")
    if not (isinstance(columns, list) and isinstance(strings, list) and isinstance(table, list)):
        raise ReportError(f"{label}: 'compact' needs 'columns', 'strings' and 'rows' lists")
    rows = []
    for index, cells in enumerate(table):
        if not isinstance(cells, list) or len(cells) != len(columns):
            raise ReportError(f"{label}: compact rows[{index}]: expected {len(columns)} indices")
        if not all(type(cell) is int and 0 <= cell < len(strings) for cell in cells):
            raise ReportError(f"{label}: compact rows[{index}]: index outside the string table")
        row = {str(column): strings[cell] for column, cell in zip(columns, cells, strict=True)}
        rows.append({key: value for key, value in row.items() if value != "" or key not in ("tag", "reason")})
    return rows


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _parse_row(label: str, index: int, item: Any) -> Row:
    where = f"{label}: rows[{index}]"
    if not isinstance(item, dict):
        raise ReportError(f"{where}: expected an object")
    missing = [key for key in ("vendor", "operation", "check", "verdict") if not _text(item.get(key))]
    if missing:
        raise ReportError(f"{where}: missing {', '.join(repr(k) for k in missing)}")
    verdict = _text(item["verdict"]).lower()
    if verdict not in VERDICTS:
        raise ReportError(
            f"{where}: unknown verdict {item['verdict']!r} (expected one of {', '.join(VERDICTS)})"
        )
    method, _, route = _text(item["operation"]).partition(" ")
    operation = f"{method.upper()} {route.strip()}" if route.strip() else method
    evidence = item.get("evidence")
    evidence = evidence if isinstance(evidence, dict) else {}
    check = _text(item["check"])
    family = _text(item.get("family")).lower() or family_of(check)
    expires = _text(item.get("expires")) or _text(evidence.get("expires")) or None
    return Row(
        index=index,
        vendor=_text(item["vendor"]),
        operation=operation,
        check=check,
        verdict=verdict,
        family=family,
        tag=_text(item.get("tag")) or None,
        reason=_text(item.get("reason")) or _text(evidence.get("reason")),
        evidence=evidence,
        statuses=_statuses(item, evidence),
        expires=expires,
        raw=item,
    )


def _as_status(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        status = value
    elif isinstance(value, str) and value.strip().isdigit():
        status = int(value.strip())
    else:
        return None
    return status if 100 <= status <= 599 else None


def _statuses(item: dict[str, Any], evidence: dict[str, Any]) -> tuple[int, ...]:
    """Every HTTP status the target answered during this check, wherever the row recorded it.

    Accepted places: ``row.status`` (a number or a list), ``row.statuses`` (a list),
    ``evidence.response.status`` and ``evidence.responses[].status``.
    """
    found: list[Any] = []
    for key in ("status", "statuses"):
        value = item.get(key)
        found.extend(value if isinstance(value, list) else [value])
    response = evidence.get("response")
    if isinstance(response, dict):
        found.append(response.get("status"))
    responses = evidence.get("responses")
    if isinstance(responses, list):
        found.extend(r.get("status") for r in responses if isinstance(r, dict))
    statuses = {s for s in (_as_status(v) for v in found) if s is not None}
    return tuple(sorted(statuses))
