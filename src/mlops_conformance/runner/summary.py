"""``summary.json``: result rows plus run metadata, the stable output other tools read.

Row keys (never renamed): vendor, operation, tag, check, family, verdict, reason (skip/xfail/error
only), evidence; plus statuses (every status the target answered for the row, for coverage). Run keys: target, vendors, started, duration_s, versions, contract_sha256, strict,
allow_writes, counts; plus seed, max_examples, cleanup_errors and, for a shard, shard ("1/2"; a
merged summary has shards: N).
"""

from __future__ import annotations

import datetime as dt
import os
import platform
from collections import Counter
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from ..checks import VERDICTS

if TYPE_CHECKING:
    from .session import Case

SUMMARY_NAME = "summary.json"


def row(
    case: Case,
    verdict: str,
    *,
    reason: str | None = None,
    evidence: dict[str, Any] | None = None,
    statuses: list[int] | None = None,
) -> dict[str, Any]:
    found: dict[str, Any] = {
        "vendor": case.vendor,
        "operation": case.operation.id,
        "tag": case.operation.tag,
        "check": case.check.id,
        "family": case.check.family,
        "verdict": verdict,
    }
    if reason:
        found["reason"] = reason
    if statuses:
        found["statuses"] = statuses
    found["evidence"] = evidence or {}
    return found


def versions() -> dict[str, str]:
    found = {}
    for name in ("mlops-conformance", "schemathesis", "hypothesis", "pytest"):
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "unknown"
    found["python"] = platform.python_version()
    return found


def counts(rows: list[dict[str, Any]]) -> dict[str, int]:
    counted = Counter(r["verdict"] for r in rows)
    return {verdict: counted.get(verdict, 0) for verdict in VERDICTS}


def iso_z(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def write(path: Path, run: dict[str, Any], rows: list[dict[str, Any]]) -> Path:
    """Write the summary atomically (a reader never sees half a file); rows in a stable order."""
    ordered = sorted(rows, key=lambda r: (r["vendor"], r["family"], r["operation"], r["check"]))
    run = {**run, "counts": counts(ordered)}
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".json.tmp")
    temporary.write_bytes(
        orjson.dumps({"run": run, "rows": ordered}, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS)
    )
    os.replace(temporary, path)
    return path


def failed(rows: list[dict[str, Any]], *, strict: bool) -> bool:
    """Whether the run failed: any fail or error row (or warn, when strict)."""
    bad = {"fail", "error", "warn"} if strict else {"fail", "error"}
    return any(r["verdict"] in bad for r in rows)
