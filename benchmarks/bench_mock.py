"""Requests per second of the reference mock against Prism, on the same contract, in the same run.

    python benchmarks/bench_mock.py [--seconds 5] [--connections 8] [--vendor datarobot]

Both servers mock ``contracts/<vendor>.openapi.json`` on loopback. The load generator is ``wrk``
when it is installed (``apt-get install wrk``: a C client that leaves the CPU to the servers), else a
small asyncio HTTP/1.1 client (keep-alive connections, each sending its next request as soon as the
last answer is read), bounded in time and in request count, that counts only 2xx answers; ``wrk``
reports non-2xx answers and socket errors, shown as errors. Prism (``@stoplight/prism-cli``) is installed with npm into a cache directory outside
the repository (``~/.cache/mlops-conformance/prism``, or ``$MLOPS_CONFORMANCE_PRISM_DIR``).

Measured endpoints: a list (``GET /api/v2/useCases/``) and a get (``GET /api/v2/useCases/{id}/``,
the id taken from the mock's list); for Domino, the environments list and get.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PRISM_VERSION = "5"
TOKEN = "bench-token"
MAX_REQUESTS = 200_000
ENDPOINTS = {
    "datarobot": ("/api/v2/useCases/", "/api/v2/useCases/{id}/", "data", "id"),
    "domino": (
        "/api/environments/beta/environments",
        "/api/environments/v1/environments/{id}",
        "environments",
        "id",
    ),
}


@dataclass
class Result:
    ok: int
    failed: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0


# -- the load generator -------------------------------------------------------------------------------


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    headers = {
        k.strip().lower(): v.strip() for k, _, v in (line.partition(b":") for line in lines[1:] if line)
    }
    if b"content-length" in headers:
        await reader.readexactly(int(headers[b"content-length"]))
    elif headers.get(b"transfer-encoding", b"").lower() == b"chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip().split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status


async def _connection(
    port: int, request: bytes, deadline: float, budget: list[int], counts: list[int]
) -> None:
    """One keep-alive connection sending requests back to back; a dropped connection is reopened."""
    while time.perf_counter() < deadline and budget[0] > 0:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while time.perf_counter() < deadline and budget[0] > 0:
                budget[0] -= 1
                writer.write(request)
                status = await _read_response(reader)
                counts[0 if 200 <= status < 300 else 1] += 1
        except (ConnectionError, asyncio.IncompleteReadError):
            counts[1] += 1
        finally:
            writer.close()


async def _load(port: int, path: str, seconds: float, connections: int, headers: dict[str, str]) -> Result:
    lines = [
        f"GET {path} HTTP/1.1",
        "Host: 127.0.0.1",
        "Accept: application/json",
        *(f"{k}: {v}" for k, v in headers.items()),
    ]
    request = ("\r\n".join(lines) + "\r\n\r\n").encode()
    warm = [MAX_REQUESTS]
    await asyncio.gather(
        *(_connection(port, request, time.perf_counter() + 0.5, warm, [0, 0]) for _ in range(connections))
    )
    counts, budget = [0, 0], [MAX_REQUESTS]
    started = time.perf_counter()
    await asyncio.gather(
        *(_connection(port, request, started + seconds, budget, counts) for _ in range(connections))
    )
    return Result(counts[0], counts[1], time.perf_counter() - started)


def _wrk(port: int, path: str, seconds: float, connections: int, headers: dict[str, str]) -> Result:
    wrk = shutil.which("wrk")
    assert wrk is not None
    url = f"http://127.0.0.1:{port}{path}"
    base = [wrk, "-t", "1", "-c", str(connections)]
    for name, value in {"Accept": "application/json", **headers}.items():
        base += ["-H", f"{name}: {value}"]
    subprocess.run([*base, "-d", "1s", url], capture_output=True, check=True)  # warm-up
    out = subprocess.run(
        [*base, "-d", f"{max(1, round(seconds))}s", url], capture_output=True, text=True, check=True
    ).stdout
    done = re.search(r"(\d+) requests in ([\d.]+)(m?s)", out)
    if done is None:
        raise SystemExit(f"unexpected wrk output:\n{out}")
    elapsed = float(done.group(2)) / (1000 if done.group(3) == "ms" else 1)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    non_2xx = int(bad.group(1)) if bad else 0
    failed = non_2xx + (sum(int(g) for g in errors.groups()) if errors else 0)
    return Result(int(done.group(1)) - non_2xx, failed, elapsed)


def _measure(port: int, path: str, seconds: float, connections: int, headers: dict[str, str]) -> Result:
    if shutil.which("wrk"):
        return _wrk(port, path, seconds, connections, headers)
    return asyncio.run(_load(port, path, seconds, connections, headers))


# -- servers ----------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(port: int, process: subprocess.Popen[bytes], name: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{name} exited with status {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{name} did not listen on port {port} within {timeout:.0f}s")


def _prism(cache: Path) -> Path:
    binary = cache / "node_modules" / ".bin" / "prism"
    if not binary.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise SystemExit("npm is needed to install @stoplight/prism-cli (apt-get install npm)")
        cache.mkdir(parents=True, exist_ok=True)
        print(f"installing @stoplight/prism-cli@{PRISM_VERSION} into {cache} ...", flush=True)
        subprocess.run(
            [
                npm,
                "install",
                "--prefix",
                str(cache),
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
                f"@stoplight/prism-cli@{PRISM_VERSION}",
            ],
            check=True,
        )
    return binary


def _get_json(url: str, headers: dict[str, str]) -> object:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.loads(answer.read())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vendor", choices=sorted(ENDPOINTS), default="datarobot")
    parser.add_argument("--seconds", type=float, default=5.0, help="measuring time per endpoint and server")
    parser.add_argument("--connections", type=int, default=8, help="concurrent keep-alive connections")
    args = parser.parse_args()

    cache = Path(
        os.environ.get("MLOPS_CONFORMANCE_PRISM_DIR", Path.home() / ".cache" / "mlops-conformance" / "prism")
    )
    prism_binary = _prism(cache)
    contract = REPO / "contracts" / f"{args.vendor}.openapi.json"
    list_path, get_template, items_key, id_key = ENDPOINTS[args.vendor]
    auth = {"Authorization": f"Bearer {TOKEN}"}

    mock_port, prism_port = _free_port(), _free_port()
    env = {**os.environ, "MLOPS_CONFORMANCE_MOCK_TOKEN": TOKEN}
    mock = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mlops_conformance",
            "mock",
            "--vendor",
            args.vendor,
            "--port",
            str(mock_port),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    prism = subprocess.Popen(
        [str(prism_binary), "mock", "--host", "127.0.0.1", "--port", str(prism_port), str(contract)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait(mock_port, mock, "the mock")
        _wait(prism_port, prism, "prism")
        listed = _get_json(f"http://127.0.0.1:{mock_port}{list_path}", auth)
        item_id = listed[items_key][0][id_key]  # type: ignore[index]
        get_path = get_template.replace("{id}", str(item_id))
        rows = []
        for label, path in (("list", list_path), ("get", get_path)):
            ours = _measure(mock_port, path, args.seconds, args.connections, auth)
            theirs = _measure(prism_port, path, args.seconds, args.connections, auth)
            rows.append((label, path, ours, theirs))
    finally:
        for process in (mock, prism):
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()

    generator = "wrk" if shutil.which("wrk") else "asyncio client"
    print(
        f"\n{args.vendor}: {generator}, {args.connections} connections, "
        f"{args.seconds:g}s per endpoint and server, loopback"
    )
    print(
        f"{'endpoint':6} {'path':44} {'mock req/s':>11} {'prism req/s':>12} {'ratio':>7}  errors (mock/prism)"
    )
    for label, path, ours, theirs in rows:
        ratio = ours.rate / theirs.rate if theirs.rate else float("inf")
        shown = re.sub(r"[0-9a-f]{24}", "{id}", path)
        print(
            f"{label:6} {shown:44} {ours.rate:11.0f} {theirs.rate:12.0f} {ratio:6.1f}x  {ours.failed}/{theirs.failed}"
        )


if __name__ == "__main__":
    main()
