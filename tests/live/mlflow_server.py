"""A real ``mlflow server`` for the live tests and the benchmark: SQLite in a temp dir, loopback only.

Started as users start it (``python -m mlflow server``), with workspaces enabled so that every
documented endpoint is routed, and the job runner off (it needs ``huey``, which the test extra does
not install and no endpoint under test uses). The server's log is kept beside its database, so a
start-up failure names its cause instead of a bare timeout.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

STARTUP_TIMEOUT_S = 90.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServerFailed(RuntimeError):
    """The server did not come up; the message ends with its log's last lines."""


def _tail(log: Path, lines: int = 15) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _wait_ready(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerFailed(f"mlflow server exited with {process.returncode}:\n{_tail(log)}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        time.sleep(0.25)
    raise ServerFailed(f"mlflow server not ready after {STARTUP_TIMEOUT_S:.0f} s:\n{_tail(log)}")


@contextlib.contextmanager
def mlflow_server(directory: Path) -> Iterator[str]:
    """Yield the base URL of a fresh MLflow server whose state lives in ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = directory / "server.log"
    env = {**os.environ, "MLFLOW_SERVER_ENABLE_JOB_EXECUTION": "false", "PYTHONUNBUFFERED": "1"}
    command = [
        sys.executable, "-m", "mlflow", "server",
        "--backend-store-uri", f"sqlite:///{directory / 'mlflow.sqlite'}",
        "--default-artifact-root", str(directory / "artifacts"),
        "--host", "127.0.0.1", "--port", str(port),
        "--workers", "1",
        "--enable-workspaces",
    ]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url, process, log)
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, 15)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait()


if __name__ == "__main__":  # a server to point a run at by hand: python tests/live/mlflow_server.py DIR
    import tempfile

    with mlflow_server(Path(sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp())) as base:
        print(base, flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)
