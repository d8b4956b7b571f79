"""Throughput of the reference mock against a live MLflow server, on the same MLflow endpoints.

    python benchmarks/bench_mlflow.py [--requests 300] [--rounds 4] [--suite]

Starts a real ``mlflow server`` (SQLite in a temp dir, as tests/live/ does) and the reference mock
serving the MLflow contract (in this process, on its own loopback port), seeds each with the same
few objects through the API (an experiment, a run with a metric, a registered model), and then
sends the same reads to both, in ``--rounds`` interleaved rounds whose order alternates so machine
drift falls on both alike: experiments search, experiment get, run get, metric history, registered
models search. Prints requests per second per endpoint and target and the live/mock ratio measured
in this one run (the absolute figures depend on the machine; the ratio is the claim). Every answer
must be a 200, or the measurement is refused.

``--suite`` also times one read-only ``mlops-conformance run --vendor mlflow`` against each (two
workers, seed 1): what the suite costs on the mock compared with the real thing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "live"))
sys.path.insert(0, str(ROOT / "src"))

TOKEN = "bench-token"
V2 = "/api/2.0/mlflow"


def seed(client: httpx.Client) -> dict[str, str]:
    """The same objects on both targets, created through the API (ids differ, shapes do not)."""

    def post(path: str, body: dict[str, Any]) -> dict[str, Any]:
        answer = client.post(V2 + path, json=body)
        answer.raise_for_status()
        return answer.json()

    experiment = post("/experiments/create", {"name": "mlops-conformance-bench"})["experiment_id"]
    run = post("/runs/create", {"experiment_id": experiment, "start_time": 1})["run"]["info"]["run_id"]
    post("/runs/log-metric", {"run_id": run, "key": "loss", "value": 0.5, "timestamp": 1, "step": 0})
    post("/registered-models/create", {"name": "mlops-conformance-bench-model"})
    return {"experiment": experiment, "run": run}


def reads(ids: dict[str, str]) -> dict[str, tuple[str, dict[str, Any]]]:
    return {
        "experiments/search": ("/experiments/search", {"max_results": 10}),
        "experiments/get": ("/experiments/get", {"experiment_id": ids["experiment"]}),
        "runs/get": ("/runs/get", {"run_id": ids["run"]}),
        "metrics/get-history": ("/metrics/get-history", {"run_id": ids["run"], "metric_key": "loss"}),
        "registered-models/search": ("/registered-models/search", {"max_results": 10}),
    }


def rate(client: httpx.Client, path: str, params: dict[str, Any], count: int) -> float:
    started = time.perf_counter()
    for _ in range(count):
        answer = client.get(V2 + path, params=params)
        if answer.status_code != 200:
            raise SystemExit(
                f"refused: {client.base_url}{path} answered {answer.status_code}: {answer.text[:200]}"
            )
    return count / (time.perf_counter() - started)


def suite_seconds(target: str) -> float:
    with tempfile.TemporaryDirectory() as reports:
        command = [sys.executable, "-m", "mlops_conformance", "run", "--vendor", "mlflow", "--target", target]
        command += ["--seed", "1", "-n", "2", "-q", "--report-dir", reports]
        started = time.perf_counter()
        subprocess.run(
            command, check=False, capture_output=True, env={**os.environ, "MLFLOW_TRACKING_TOKEN": TOKEN}
        )
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="requests per endpoint, target and round")
    parser.add_argument("--rounds", type=int, default=4, help="interleaved rounds (order alternates)")
    parser.add_argument("--suite", action="store_true", help="also time a read-only suite run on each")
    args = parser.parse_args()
    from mlflow_server import mlflow_server  # tests/live/mlflow_server.py

    from mlops_conformance.mock import serve_in_background

    with (
        tempfile.TemporaryDirectory() as state,
        mlflow_server(Path(state)) as live_url,
        serve_in_background(["mlflow"], token=TOKEN) as mock,
    ):
        headers = {"Authorization": f"Bearer {TOKEN}"}
        clients = {
            "mock": httpx.Client(base_url=mock.url, headers=headers, timeout=30),
            "live": httpx.Client(base_url=live_url, headers=headers, timeout=30),
        }
        targets = {name: reads(seed(client)) for name, client in clients.items()}
        rates: dict[tuple[str, str], list[float]] = {}
        for round_index in range(args.rounds):
            order = list(clients) if round_index % 2 == 0 else list(reversed(clients))
            for endpoint in targets["mock"]:
                for name in order:
                    path, params = targets[name][endpoint]
                    rates.setdefault((endpoint, name), []).append(
                        rate(clients[name], path, params, args.requests)
                    )
        print(f"{'endpoint':28} {'mock req/s':>11} {'live req/s':>11} {'live/mock':>10}")
        ratios = []
        for endpoint in targets["mock"]:
            mock_rate = statistics.median(rates[(endpoint, "mock")])
            live_rate = statistics.median(rates[(endpoint, "live")])
            ratios.append(live_rate / mock_rate)
            print(f"{endpoint:28} {mock_rate:11.0f} {live_rate:11.0f} {live_rate / mock_rate:10.2f}")
        print(f"{'geometric mean':28} {'':11} {'':11} {statistics.geometric_mean(ratios):10.2f}")
        if args.suite:
            mock_s, live_s = suite_seconds(mock.url), suite_seconds(live_url)
            print(
                f"read-only suite run: mock {mock_s:.1f} s, live {live_s:.1f} s, live/mock {live_s / mock_s:.2f}"
            )
        for client in clients.values():
            client.close()


if __name__ == "__main__":
    main()
