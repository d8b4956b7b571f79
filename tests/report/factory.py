"""Realistic synthetic summaries for the report tests, built from real contracts when present.

The factory produces the rows a conformance run would: every operation of the contract, the check
ids of each family that applies to it, a seeded mix of verdicts, and evidence shaped like the
suites write it (redacted request, response excerpt, schema path, documentation source). Tests
derive their expectations from the same contract, so they hold for the fixture contracts and for
the generated ones alike.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path
from typing import Any

from mlops_conformance.contract import Contract
from mlops_conformance.errors import ContractError
from mlops_conformance.resources import contracts_dir

FIXTURES = Path(__file__).parent / "fixtures"

WEIGHTS = {"pass": 70, "fail": 5, "warn": 3, "drift": 3, "skip": 10, "xfail": 3, "error": 3, "docs": 3}
SKIP_REASONS = (
    "read-only mode: POST needs --allow-writes",
    "no example in the docs for this operation",
    "not reachable: no parent resource to address",
)


def contract_for(vendor: str) -> Contract:
    """The generated contract when it exists, else the small fixture excerpt."""
    try:
        real: Path | None = contracts_dir() / f"{vendor}.openapi.json"
    except ContractError:
        real = None
    if real is not None and real.is_file():
        return Contract.load(vendor, real)
    return Contract.load(vendor, FIXTURES / f"{vendor}.openapi.json")


def checks_for(op: Any) -> list[tuple[str, str]]:
    """(family, check id) pairs a run would report for one operation."""
    checks = [
        ("schema", "status_code_documented"),
        ("schema", "response_schema_conformance"),
        ("schema", "content_type_conformance"),
        ("errors", "negative_input_not_5xx"),
        ("auth", "auth_missing_token"),
        ("auth", "auth_invalid_token"),
    ]
    if op.method == "GET":
        checks.append(("examples", "example_response_valid"))
    if op.pagination:
        checks += [("pagination", "pagination_walk"), ("pagination", "pagination_out_of_range")]
    if op.method == "POST":
        checks.append(("lifecycle", "lifecycle_create_get_delete"))
    return checks


def _status_for(op: Any, family: str, verdict: str, check: str) -> int | None:
    documented = [int(s) for s in op.documented_statuses() if s.isdigit()]
    if verdict == "skip":
        return None
    if verdict == "drift" and check == "status_code_documented":
        return 418
    if family == "auth":
        return next((s for s in documented if s in (401, 403)), 401)
    if family == "errors":
        return next((s for s in documented if 400 <= s < 500 and s not in (401, 403)), 400)
    return next((s for s in documented if 200 <= s < 300), 200)


def make_summary(
    contracts: dict[str, Contract],
    *,
    seed: int = 7,
    started: str = "2026-12-01T23:50:00Z",
    limit: int | None = None,
) -> dict[str, Any]:
    """A summary.json document for ``contracts`` (only the first ``limit`` operations per vendor, if given)."""
    rng = random.Random(seed)
    verdicts, bias = list(WEIGHTS), list(WEIGHTS.values())
    rows: list[dict[str, Any]] = []
    for vendor, contract in sorted(contracts.items()):
        for op in contract.operations()[:limit]:
            for family, check in checks_for(op):
                verdict = rng.choices(verdicts, bias)[0]
                status = _status_for(op, family, verdict, check)
                source = op.source or {"document": f"{vendor}/unknown.txt", "line": 1}
                row: dict[str, Any] = {
                    "vendor": vendor,
                    "operation": op.id,
                    "tag": op.tag,
                    "check": check,
                    "family": family,
                    "verdict": verdict,
                }
                evidence: dict[str, Any] = {"source": dict(source)}
                if verdict == "skip":
                    row["reason"] = rng.choice(SKIP_REASONS)
                else:
                    evidence["request"] = {
                        "method": op.method,
                        "url": f"http://127.0.0.1:5555{op.path}",
                        "headers": {"Authorization": "[redacted]", "Accept": "application/json"},
                        "body": {"name": "mlopsconf-test"} if op.method in ("POST", "PATCH") else None,
                    }
                    evidence["response"] = {
                        "status": status,
                        "headers": {"content-type": "application/json"},
                        "body_excerpt": json.dumps({"id": "abc123", "name": "mlopsconf-test"}),
                    }
                    evidence["schema_path"] = f"/paths/{op.path}/{op.method.lower()}/responses/{status}"
                    evidence["message"] = f"{check}: {verdict}"
                if verdict == "xfail":
                    row["reason"] = "known vendor bug VND-123"
                    evidence["expires"] = "2026-12-10"
                if verdict == "error":
                    row["reason"] = "timeout after 10 s"
                row["evidence"] = evidence
                rows.append(row)
    counts = Counter(r["verdict"] for r in rows)
    return {
        "run": {
            "target": "http://127.0.0.1:5555 (embedded mock)",
            "vendors": sorted(contracts),
            "started": started,
            "duration_s": 12.3,
            "versions": {"mlops-conformance": "0.1.0", "schemathesis": "4.3.0"},
            "contract_sha256": {v: c.sha256 for v, c in contracts.items()},
            "strict": False,
            "allow_writes": True,
            "counts": dict(counts),
        },
        "rows": rows,
    }


def write_summary(directory: Path, document: dict[str, Any]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "summary.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path
