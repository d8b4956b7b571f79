"""What the retry machinery of ``TargetClient`` costs when the target never says 429 or 503.

    python benchmarks/bench_retry.py [--requests 2000] [--rounds 6] [--vendor datarobot]

Starts the embedded reference mock (in this process, on a free loopback port) and sends the same
``GET`` (the vendor's list endpoint) through one ``TargetClient``: ``--requests`` at a time with
retries enabled (the default, ``max_retries=3``), then as many with ``max_retries=0``, in
``--rounds`` interleaved rounds whose order alternates, so drift of the machine (warm-up, other
load) falls on both alike. Prints each round, both overall rates and their ratio from this one run;
the absolute figures depend on the machine, the ratio is the claim (about 1.00: no measurable
cost). Every answer must be a 200 without retries, or the measurement is refused.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "bench-token"
LIST_PATHS = {"datarobot": "/api/v2/useCases/", "domino": "/api/environments/beta/environments"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vendor", choices=sorted(LIST_PATHS), default="datarobot")
    parser.add_argument("--requests", type=int, default=2000, help="requests per mode and round")
    parser.add_argument("--rounds", type=int, default=6, help="interleaved rounds (order alternates)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from mlops_conformance.contract import Contract
    from mlops_conformance.mock import serve_in_background
    from mlops_conformance.runner.client import TargetClient, credential_for
    from mlops_conformance.runner.options import DEFAULT_MAX_RETRIES

    path = LIST_PATHS[args.vendor]
    modes = {f"retries on ({DEFAULT_MAX_RETRIES})": DEFAULT_MAX_RETRIES, "retries off (0)": 0}
    seconds = {label: 0.0 for label in modes}
    per_round: list[dict[str, float]] = []

    def burst(client: TargetClient, max_retries: int) -> float:
        client.max_retries = max_retries
        started = time.perf_counter()
        for _ in range(args.requests):
            exchange = client.send(args.vendor, "GET", path)
            if exchange.status != 200 or exchange.error or exchange.meta.get("retries"):
                sys.exit(f"unexpected answer {exchange.status} {exchange.error or ''}: not measuring")
        return time.perf_counter() - started

    with serve_in_background([args.vendor], token=TOKEN) as mock:
        client = TargetClient(
            mock.url,
            tokens={args.vendor: TOKEN},
            credentials={args.vendor: credential_for(args.vendor, Contract.load(args.vendor))},
            timeout_s=10,
            allow_writes=False,
        )
        try:
            for max_retries in modes.values():  # warm-up: connection, caches, the mock's first pages
                client.max_retries = max_retries
                for _ in range(min(200, args.requests)):
                    client.send(args.vendor, "GET", path)
            for round_ in range(args.rounds):
                order = list(modes.items()) if round_ % 2 == 0 else list(reversed(modes.items()))
                rates = {}
                for label, max_retries in order:
                    elapsed = burst(client, max_retries)
                    seconds[label] += elapsed
                    rates[label] = args.requests / elapsed
                per_round.append(rates)
        finally:
            client.close()

    on, off = modes
    print(
        f"\n{args.vendor}: GET {path} on the embedded mock (same process, loopback), one client, "
        f"{args.requests} requests per mode x {args.rounds} rounds, interleaved"
    )
    print(f"{'round':>5} {on + ' req/s':>24} {off + ' req/s':>22} {'ratio':>7}")
    for number, rates in enumerate(per_round, 1):
        print(f"{number:5} {rates[on]:24.0f} {rates[off]:22.0f} {rates[on] / rates[off]:7.3f}")
    total = args.requests * args.rounds
    rate_on, rate_off = total / seconds[on], total / seconds[off]
    ratios = [r[on] / r[off] for r in per_round]
    print(
        f"{'all':>5} {rate_on:24.0f} {rate_off:22.0f} {rate_on / rate_off:7.3f}"
        f"   (per-round ratios: median {statistics.median(ratios):.3f}, "
        f"range {min(ratios):.3f}-{max(ratios):.3f})"
    )


if __name__ == "__main__":
    main()
