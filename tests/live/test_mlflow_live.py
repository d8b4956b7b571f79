"""The suite against a real ``mlflow server``: its verdicts must hold on a live target, not only on our mock.

Each run here is what a user types (the CLI in a subprocess, two workers, the shipped
known-failures file). Every ``fail``/``error`` the live server produced was investigated: suite
bugs were fixed, and MLflow's own divergences are entries of ``contracts/known-failures/mlflow.yaml``,
one root cause each, with a request that shows it. The last test replays those requests, so an
entry that MLflow has fixed (or that was never true) turns this file red instead of hiding nothing.

The seed is fixed so CI is reproducible; the file was checked against other seeds too (its entries
are root causes, not samples). A new ``fail`` on a new seed is a finding, not flakiness to retry.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from .mlflow_server import mlflow_server

ROOT = Path(__file__).resolve().parents[2]
KNOWN_FAILURES = ROOT / "contracts" / "known-failures" / "mlflow.yaml"
SEED = "1"
EVIDENCE = re.compile(
    r"^(?P<method>[A-Z]+) (?P<path>\S+)(?: with body (?P<body>.+?))? -> (?P<status>\d{3})\b"
)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with mlflow_server(tmp_path_factory.mktemp("mlflow-live")) as url:
        yield url


def run(url: str | None, report_dir: Path, *extra: str) -> tuple[int, dict[str, Any], str]:
    """``mlops-conformance run --vendor mlflow`` against ``url`` (None: the embedded mock)."""
    command = [
        sys.executable, "-m", "mlops_conformance", "run",
        "--vendor", "mlflow",
        *(("--target", url) if url else ()),
        *(("--known-failures", str(KNOWN_FAILURES)) if url else ()),  # MLflow's, not the mock's
        "--seed", SEED, "-n", "2", "-q",
        "--report-dir", str(report_dir),
        *extra,
    ]  # fmt: skip
    done = subprocess.run(
        command, check=False, capture_output=True, text=True, timeout=600, env={**os.environ, "NO_COLOR": "1"}
    )
    summary = json.loads((report_dir / "summary.json").read_text())
    return done.returncode, summary, done.stdout + done.stderr


def unexplained(summary: dict[str, Any]) -> list[str]:
    return [
        f"{r['operation']} {r['check']}: {r.get('message') or r.get('reason') or ''}"[:300]
        for r in summary["rows"]
        if r["verdict"] in ("fail", "error")
    ]


def experiments(url: str) -> list[dict[str, Any]]:
    answer = httpx.get(f"{url}/api/2.0/mlflow/experiments/search", params={"max_results": 1000}, timeout=10)
    answer.raise_for_status()
    return answer.json().get("experiments", [])


def registered_models(url: str) -> list[dict[str, Any]]:
    answer = httpx.get(
        f"{url}/api/2.0/mlflow/registered-models/search", params={"max_results": 1000}, timeout=10
    )
    answer.raise_for_status()
    return answer.json().get("registered_models", [])


@pytest.fixture(scope="module")
def read_only(live: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    before = (experiments(live), registered_models(live))
    report_dir = tmp_path_factory.mktemp("read-only")
    code, summary, output = run(live, report_dir)
    after = (experiments(live), registered_models(live))
    return {
        "code": code,
        "summary": summary,
        "output": output,
        "dir": report_dir,
        "unchanged": before == after,
    }


def test_a_read_only_run_has_no_unexplained_failure_and_writes_nothing(read_only):
    summary, output = read_only["summary"], read_only["output"]
    assert unexplained(summary) == [], output[-3000:]
    assert read_only["code"] == 0, output[-3000:]
    verdicts = [r["verdict"] for r in summary["rows"]]
    # It really talked to the server: most read operations answered and were judged.
    assert verdicts.count("pass") >= 150, output[-2000:]
    passed = {
        r["operation"]
        for r in summary["rows"]
        if r["check"] == "schema.response_body" and r["verdict"] == "pass"
    }
    assert {
        "GET /api/2.0/mlflow/experiments/search",
        "GET /api/2.0/mlflow/experiments/get",  # its experiment_id found by experiments/search
        "GET /api/2.0/mlflow/registered-models/search",
    } <= passed
    assert not any(r["method"] != "GET" for r in _requests(summary)), "a read-only run sent a write"
    assert read_only["unchanged"]


def test_compare_shows_where_the_mock_differs_from_the_live_server(read_only, tmp_path):
    """The documented use of ``compare``: the mock's run as OLD, the live server's as NEW."""
    code, mock_summary, output = run(None, tmp_path / "mock")
    assert code == 0 and unexplained(mock_summary) == [], output[-3000:]
    markdown = tmp_path / "mock-vs-live.md"
    done = subprocess.run(
        [sys.executable, "-m", "mlops_conformance", "compare", str(tmp_path / "mock"), str(read_only["dir"])]
        + ["--markdown", str(markdown)],
        check=False,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr  # no row passes on the mock and fails live
    text = markdown.read_text()
    assert "| target | embedded mock | http://127.0.0.1:" in text
    # Where they differ is counted and listed: MLflow answers statuses its definitions never name.
    assert re.search(r"\*\*0 regressions\*\* · \d+ fixes · [1-9]\d* other changes", text), text[:1500]
    assert re.search(r"\| mlflow \| `[A-Z]+ /api/[^`]+` \| `[a-z_.]+` \| pass \| (skip|drift|xfail) \|", text), (
        text[:3000]
    )


def test_a_run_with_writes_has_no_unexplained_failure_and_cleans_up(live, tmp_path):
    code, summary, output = run(live, tmp_path / "writes", "--allow-writes")
    assert unexplained(summary) == [], output[-3000:]
    assert code == 0, output[-3000:]
    xfailed = [r for r in summary["rows"] if r["verdict"] == "xfail"]
    assert xfailed, "MLflow's known divergences did not show: is the run exercising writes?"
    assert all(r.get("reason") for r in xfailed)
    created = [
        r for r in _requests(summary) if r["method"] == "POST" and r["url"].endswith("/experiments/create")
    ]
    assert created, "no experiment was created"
    leftovers = [e["name"] for e in experiments(live) if e["name"].startswith("mlops-conformance-")]
    leftovers += [m["name"] for m in registered_models(live) if m["name"].startswith("mlops-conformance-")]
    assert leftovers == []


def _requests(summary: dict[str, Any]) -> list[dict[str, Any]]:
    return [r["evidence"]["request"] for r in summary["rows"] if (r.get("evidence") or {}).get("request")]


def _entries() -> list[dict[str, Any]]:
    return yaml.safe_load(KNOWN_FAILURES.read_text())["known_failures"]


@pytest.mark.parametrize("entry", _entries(), ids=lambda e: e["reason"][:48])
def test_each_known_divergence_still_shows_on_the_live_server(live, entry):
    found = EVIDENCE.match(entry["evidence"])
    assert found, f"evidence not in the form 'METHOD /path[ with body JSON] -> STATUS': {entry['evidence']}"
    body = json.loads(found["body"]) if found["body"] else None
    answer = httpx.request(found["method"], live + found["path"], json=body, timeout=10)
    assert answer.status_code == int(found["status"]), answer.text[:300]
