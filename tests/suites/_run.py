"""Running the conformance suites from a self-test: in-process ``pytest.main``, as the CLI does.

In-process keeps a run to a second or two (the imports are already paid for), which is what lets
the fault matrix run one suite per mock fault.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pytest

from mlops_conformance.resources import suites_dir

TOKEN = "tok-MLOPS-SELFTEST-7f3a9c"  # recognisable on purpose: no output may ever contain it


@dataclass
class Run:
    code: int
    report_dir: Path
    output: str

    @property
    def summary(self) -> dict[str, Any]:
        return orjson.loads((self.report_dir / "summary.json").read_bytes())

    @property
    def rows(self) -> list[dict[str, Any]]:
        return self.summary["rows"]

    def verdicts(self, check: str | None = None, operation: str | None = None) -> set[str]:
        return {
            r["verdict"]
            for r in self.rows
            if (check is None or r["check"] == check) and (operation is None or r["operation"] == operation)
        }


def run_suites(report_dir: Path, *args: str) -> Run:
    """``pytest suites --report-dir report_dir *args`` in this process; its terminal output kept."""
    suites = suites_dir()
    argv = [
        str(suites),
        "-c",
        str(suites / "pytest.ini"),
        "--rootdir",
        str(suites),
        "-q",
        "-p",
        "no:randomly",
    ]
    argv += ["--report-dir", str(report_dir), *args]
    captured = io.StringIO()
    with contextlib.redirect_stdout(captured):
        code = pytest.main(argv)
    return Run(int(code), report_dir, captured.getvalue())


@contextlib.contextmanager
def mock_target(
    monkeypatch: pytest.MonkeyPatch,
    *,
    fault: str | None = None,
    vendors: tuple[str, ...] = ("datarobot", "domino"),
) -> Iterator[str]:
    """The reference mock as an external target, with ``TOKEN`` in both vendors' variables."""
    from mlops_conformance.mock import serve_in_background

    monkeypatch.setenv("DATAROBOT_API_TOKEN", TOKEN)
    monkeypatch.setenv("DOMINO_USER_API_KEY", TOKEN)
    with serve_in_background(list(vendors), token=TOKEN, fault=fault) as running:
        yield running.url


def files_containing(root: Path, needle: str) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and needle.encode() in p.read_bytes()]
