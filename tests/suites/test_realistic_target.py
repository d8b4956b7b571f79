"""A target that behaves as real vendor servers legitimately do (rate limits, 503s, gzip, extra
headers and fields, optional headers left out, other users writing mid-walk, slowness, closed
connections) gets no ``fail`` and no ``error`` row; a target that does not serve a documented route
gets one ``fail`` for ``schema.operation_served`` and ``skip`` for the rest of that operation.

The target is the reference mock behind ``_realistic.RealisticProxy``; see that module for what each
behaviour does.
"""

from __future__ import annotations

import gzip
from typing import Any

import httpx
import pytest

from mlops_conformance.checks import REGISTRY

from ._realistic import (
    BEHAVIOURS,
    EXTRA_ITEM,
    EXTRA_TOP_LEVEL,
    Realistic,
    Tuning,
    accepts_gzip,
    realistic_target,
)
from ._run import TOKEN, Run, run_suites

SEED = ("--conformance-seed", "11")
COMMON = ("--max-examples", "2", *SEED)
BAD = {"fail", "error"}

USE_CASES = r"^[A-Z]+ /api/v2/useCases/(\{useCaseId\}/)?$"
DOMINO_PROJECTS = r"^[A-Z]+ /api/projects/beta/projects(/\{projectId\})?$"
FOCUS = f"{USE_CASES}|{DOMINO_PROJECTS}"
# Operations where a behaviour shows beyond the focus lists: documented, not-required headers.
OPTIONAL_HEADERS = (
    r"^GET /api/v2/projects/\{projectId\}/modelJobs/\{jobId\}/$"
    r"|^GET /api/v2/customJobs/\{customJobId\}/runs/\{customJobRunId\}/logs/$"
)
OPERATIONS = {behaviour: FOCUS for behaviour in BEHAVIOURS} | {
    "conditional_headers": f"{FOCUS}|{OPTIONAL_HEADERS}",
}
# A focused run sends a few dozen requests: strike often enough that each behaviour shows.
FOCUSED = Tuning(rate_limit_every=3, unavailable_every=4, long_wait_every=50, slow_every=20, close_every=2)
# A full run sends about two thousand: keep the waits (Retry-After: 1, slow answers) to seconds.
FULL = Tuning(rate_limit_every=7, unavailable_every=11, long_wait_every=250, slow_every=250, close_every=3)

MISSING = "/api/v2/useCases/"
MISSING_OPERATION = f"GET {MISSING}"
DOCUMENT_ONLY = {c.id for c in REGISTRY.all() if c.subject == "document"}  # never ask the target


def offending(run: Run, verdicts: set[str] = BAD) -> list[dict[str, Any]]:
    return [r for r in run.rows if r["verdict"] in verdicts]


def explain(rows: list[dict[str, Any]], limit: int = 60) -> str:
    lines = [
        f"{r['verdict']} {r['check']} {r['vendor']}::{r['operation']}: "
        f"{r.get('reason') or ''} {(r.get('evidence') or {}).get('message') or ''}".rstrip()
        for r in rows[:limit]
    ]
    if len(rows) > limit:
        lines.append(f"... and {len(rows) - limit} more")
    return f"{len(rows)} offending rows:\n" + "\n".join(lines)


# The vendors realistic_target serves by default; a run checks only those (MLflow, the third bundled
# vendor, is not behind the proxy: its RPCs are tested against the mock in test_embedded_mock).
SERVED = ("--vendor", "datarobot,domino")


def run_through(tmp_path, target: Realistic, *args: str) -> Run:  # type: ignore[no-untyped-def]
    return run_suites(tmp_path / "reports", "--target", target.url, *COMMON, *SERVED, *args)


def assert_clean(run: Run, target: Realistic) -> None:
    bad = offending(run)
    assert not bad, explain(bad) + f"\nproxy: {dict(target.stats)} {target.proxy.notes[:5]}"
    assert run.code == 0, run.output[-2000:]
    assert not target.proxy.notes, target.proxy.notes[:5]


def retried_rows(run: Run, status: int) -> list[dict[str, Any]]:
    return [
        r
        for r in run.rows
        if any(attempt.get("status") == status for attempt in (r.get("evidence") or {}).get("retries") or [])
    ]


# -- 1. whole runs, every behaviour at once -----------------------------------------------------------


def test_a_full_read_only_run_through_every_behaviour_has_no_fail_or_error(tmp_path, monkeypatch):
    with realistic_target(monkeypatch, *BEHAVIOURS, tuning=FULL) as target:
        run = run_through(tmp_path, target)
    assert all(target.stats[b] > 0 for b in BEHAVIOURS), dict(target.stats)
    assert_clean(run, target)


def test_a_full_run_with_writes_through_every_behaviour_has_no_fail_or_error(tmp_path, monkeypatch):
    with realistic_target(monkeypatch, *BEHAVIOURS, tuning=FULL) as target:
        run = run_through(tmp_path, target, "--allow-writes")
    assert all(target.stats[b] > 0 for b in BEHAVIOURS), dict(target.stats)
    assert_clean(run, target)


# -- 2. one behaviour at a time ---------------------------------------------------------------------


@pytest.mark.parametrize("behaviour", BEHAVIOURS)
def test_one_legitimate_behaviour_alone_has_no_fail_or_error(tmp_path, monkeypatch, behaviour):
    with realistic_target(monkeypatch, behaviour, tuning=FOCUSED) as target:
        run = run_through(tmp_path, target, "--allow-writes", "--operations", OPERATIONS[behaviour])
    assert target.stats[behaviour] > 0, f"{behaviour} never happened: {dict(target.stats)}"
    assert_clean(run, target)
    if behaviour == "rate_limit":
        assert retried_rows(run, 429), "no row's evidence shows a retry after 429"
    if behaviour == "unavailable":
        assert retried_rows(run, 503), "no row's evidence shows a retry after 503"
    if behaviour == "extra":  # reported, as drift
        drift = [r for r in offending(run, {"drift"}) if r["check"] == "schema.response_body"]
        messages = " ".join(str((r.get("evidence") or {}).get("message")) for r in drift)
        assert EXTRA_TOP_LEVEL in messages and any(name in messages for name in EXTRA_ITEM), explain(drift)


# -- 3. the opposite direction: a documented route the target does not serve ----------------------


@pytest.mark.parametrize("status", [404, 405])
def test_a_documented_route_that_is_not_served_fails_once_and_skips_the_rest(tmp_path, monkeypatch, status):
    with realistic_target(
        monkeypatch, vendors=("datarobot",), missing_route=("GET", MISSING, status)
    ) as target:
        run = run_through(tmp_path, target, "--vendor", "datarobot", "--operations", f"^{MISSING_OPERATION}$")
    assert target.stats["missing_route"] > 0
    rows = [r for r in run.rows if r["operation"] == MISSING_OPERATION]
    served = [r for r in rows if r["check"] == "schema.operation_served"]
    assert served and {r["verdict"] for r in served} == {"fail"}, explain(served)
    others = [r for r in rows if r["check"] != "schema.operation_served" and r["check"] not in DOCUMENT_ONLY]
    wrong = [r for r in others if r["verdict"] != "skip" or "not served" not in (r.get("reason") or "")]
    assert others and not wrong, explain(wrong)
    assert run.code == 1


def test_a_route_that_always_answers_503_is_one_error_row_and_skips_the_rest(tmp_path, monkeypatch):
    """A feature switched off answers 503 for good: the probe says so once (``error``: the run
    cannot judge the operation), and no other check pays the retries again to repeat it."""
    with realistic_target(monkeypatch, vendors=("datarobot",), missing_route=("GET", MISSING, 503)) as target:
        run = run_through(
            tmp_path,
            target,
            "--vendor",
            "datarobot",
            "--operations",
            f"^{MISSING_OPERATION}$",
            "--max-retries",
            "1",
        )
    rows = [r for r in run.rows if r["operation"] == MISSING_OPERATION]
    served = [r for r in rows if r["check"] == "schema.operation_served"]
    assert [r["verdict"] for r in served] == ["error"], explain(served)
    assert "unavailable" in served[0]["reason"]
    others = [r for r in rows if r["check"] != "schema.operation_served" and r["check"] not in DOCUMENT_ONLY]
    wrong = [
        r for r in others if r["verdict"] != "skip" or "answered the probe" not in (r.get("reason") or "")
    ]
    assert others and not wrong, explain(wrong)
    assert target.stats["missing_route"] == 2  # the probe and its one retry, nothing more


# -- the stand-in itself ------------------------------------------------------------------------------


def test_the_proxy_does_what_it_says(monkeypatch):
    """Refusals never reach the mock; gzip frames correctly and only when allowed; optional
    documented headers go; extras land at the top level and in list items."""
    assert accepts_gzip(None) and accepts_gzip("gzip, deflate") and accepts_gzip("br;q=1, *;q=0.1")
    assert not accepts_gzip("identity") and not accepts_gzip("gzip;q=0") and not accepts_gzip("")
    tuning = Tuning(rate_limit_every=2, long_wait_every=1000)
    behaviours = ("rate_limit", "gzip", "extra", "conditional_headers")
    with (
        realistic_target(monkeypatch, *behaviours, vendors=("datarobot",), tuning=tuning) as target,
        httpx.Client(base_url=target.url, headers={"Authorization": f"Bearer {TOKEN}"}) as client,
    ):

        def get(path: str, **kwargs: Any) -> httpx.Response:
            while (response := client.get(path, **kwargs)).status_code == 429:
                pass
            return response

        first = get("/api/v2/useCases/", headers={"Accept-Encoding": "gzip"})
        refused = client.post("/api/v2/useCases/", json={"name": "never-created"})  # every 2nd
        listing = get("/api/v2/useCases/", params={"limit": 100}, headers={"Accept-Encoding": "identity"})
        job = get("/api/v2/customJobs/").json()["data"][0]["id"]
        run = get(f"/api/v2/customJobs/{job}/runs/").json()["data"][0]["id"]
        logs = get(f"/api/v2/customJobs/{job}/runs/{run}/logs/")
    assert refused.status_code == 429 and refused.headers["retry-after"] in ("0", "1")
    assert listing.status_code == 200 and "content-encoding" not in listing.headers
    names = [item.get("name") for item in listing.json()["data"]]
    assert "never-created" not in names and listing.json()["totalCount"] == first.json()["totalCount"]
    assert first.headers["content-encoding"] == "gzip" and "Accept-Encoding" in first.headers["vary"]
    assert int(first.headers["content-length"]) == len(gzip.compress(first.content, mtime=0))
    body = first.json()
    assert EXTRA_TOP_LEVEL in body and all(set(EXTRA_ITEM) <= set(item) for item in body["data"])
    assert {"x-request-id", "strict-transport-security"} <= set(first.headers)
    # Content-Disposition is documented on that 200, without required: true
    assert logs.status_code == 200 and "content-disposition" not in logs.headers
    assert target.stats["conditional_headers"] >= 1 and target.stats["rate_limit"] >= 1
