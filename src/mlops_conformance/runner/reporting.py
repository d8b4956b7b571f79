"""The pytest side of result rows: from test reports to rows, rows to ``summary.json``.

``Reporter`` is registered by the plugin only while the suites run. On each test it turns the
recorded verdict (``runner.verdicts``) and pytest's final outcome (xfail from a known-failures file
included) into one row, carried on the report so that pytest-xdist brings it to the controller,
which collects the rows and writes the summary when the session ends. ``scrub`` removes the run's
secrets from a report before junit, allure or the terminal see it.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from . import CASE, observations, summary
from .session import Case

WORKER_OUTPUT = "mlops_conformance_cleanup"
_SUMMARY = pytest.StashKey[Path]()


@dataclass(slots=True)
class RunState:
    options: Any  # RunOptions
    contracts: dict[str, Any]
    known: Any  # KnownFailures
    worker: bool
    groups: bool
    started: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    clock: float = field(default_factory=time.perf_counter)
    rows: list[dict[str, Any]] = field(default_factory=list)
    cleanup: list[dict[str, str]] = field(default_factory=list)
    secrets: set[str] = field(default_factory=set)
    observed: list[dict[str, Any]] = field(default_factory=list)  # Observations.export() per session


def case_of(item: pytest.Item) -> Case | None:
    case = getattr(getattr(item, "callspec", None), "params", {}).get(CASE)
    return case if isinstance(case, Case) else None


class Reporter:
    """Collects rows (on the controller) and writes ``summary.json`` at the end of the session."""

    def __init__(self, config: pytest.Config, state: RunState) -> None:
        self.config = config
        self.state = state

    def pytest_collection_modifyitems(self, config: pytest.Config, items: list[pytest.Item]) -> None:
        """A suite module with no case for the selection has nothing to run: deselect it rather
        than report a skip that stands for no row."""
        empty = [
            i
            for i in items
            if CASE in getattr(getattr(i, "callspec", None), "params", {}) and case_of(i) is None
        ]
        if empty:
            config.hook.pytest_deselected(items=empty)
            items[:] = [i for i in items if i not in empty]

    @pytest.hookimpl(hookwrapper=True, tryfirst=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
        """Outermost: the row, once pytest has settled the outcome (xfail included)."""
        outcome = yield
        case = case_of(item)
        if case is None:
            return
        report = outcome.get_result()  # type: ignore[attr-defined]
        found = row_for(item, case, call, report, self.state)
        if found is not None:
            report.conformance_row = found

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        found = getattr(report, "conformance_row", None)
        if found is not None and not self.state.worker:
            self.state.rows.append(found)

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        state = self.state
        if state.worker:
            self.config.workeroutput[WORKER_OUTPUT] = {  # type: ignore[attr-defined]
                "cleanup": state.cleanup,
                "observed": state.observed,
            }
            return
        if self.config.option.collectonly:
            return
        run_level = [
            self._known(r) for r in observations.rows(observations.merge(state.observed), state.contracts)
        ]
        rows = state.rows + [_cleanup_row(error) for error in state.cleanup] + run_level
        if (
            summary.failed(run_level, strict=state.options.strict)
            and session.exitstatus == pytest.ExitCode.OK
        ):
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
        run = {
            "target": _target_label(state),
            "vendors": list(state.options.vendors),
            "started": summary.iso_z(state.started),
            "duration_s": round(time.perf_counter() - state.clock, 3),
            "versions": summary.versions(),
            "contract_sha256": {v: c.sha256 for v, c in state.contracts.items()},
            "strict": state.options.strict,
            "allow_writes": state.options.writes_allowed,
            "seed": state.options.seed,
            "max_examples": state.options.max_examples,
            "cleanup_errors": [e["message"] for e in state.cleanup],
            "expired_known_failures": [
                f"{e.check} {e.operation} (expired {e.expires})" for e in state.known.expired
            ],
        }
        if state.options.shard is not None:
            run["shard"] = str(state.options.shard)  # "1/2": `report --merge` checks the set is whole
        path = summary.write(state.options.report_dir / summary.SUMMARY_NAME, run, rows)
        state.rows = rows
        self.config.stash[_SUMMARY] = path

    def _known(self, found: dict[str, Any]) -> dict[str, Any]:
        """A run-level row listed in the known-failures file becomes ``xfail``, like a test's."""
        known = self.state.known.find(found["vendor"], found["operation"], found["check"])
        if known is None or found["verdict"] not in ("fail", "error", "warn"):
            return found
        evidence = dict(found.get("evidence", {}))
        if known.expires:
            evidence["expires"] = known.expires.isoformat()
        return {**found, "verdict": "xfail", "reason": f"known failure: {known.reason}", "evidence": evidence}

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        path = self.config.stash.get(_SUMMARY, None)
        if path is None:
            return
        shown = ", ".join(f"{v} {n}" for v, n in summary.counts(self.state.rows).items() if n)
        terminalreporter.write_sep("-", "mlops-conformance")
        terminalreporter.write_line(f"{len(self.state.rows)} rows: {shown or 'none'}")
        for entry in self.state.known.expired:
            terminalreporter.write_line(
                f"expired known failure ignored: {entry.check} {entry.operation} ({entry.expires})"
            )
        for error in self.state.cleanup:
            terminalreporter.write_line(f"cleanup failed: {error['message']}")
        terminalreporter.write_line(f"summary: {path}")


class XdistCollector:
    """Receives what workers report only at their end: cleanup failures of their sessions."""

    def __init__(self, state: RunState) -> None:
        self.state = state

    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        output = getattr(node, "workeroutput", {}).get(WORKER_OUTPUT) or {}
        self.state.cleanup += output.get("cleanup", [])
        self.state.observed += output.get("observed", [])


def _cleanup_row(error: dict[str, str]) -> dict[str, Any]:
    return {
        "vendor": error["vendor"],
        "operation": error["operation"],
        "tag": "cleanup",
        "check": "lifecycle.cleanup",
        "family": "lifecycle",
        "verdict": "fail",
        "evidence": {"message": error["message"]},
    }


def _target_label(state: RunState) -> str:
    from .client import Redactor
    from .options import EMBEDDED

    if state.options.embedded:
        return EMBEDDED
    return Redactor(list(state.secrets)).url(state.options.target)


def row_for(
    item: pytest.Item, case: Any, call: pytest.CallInfo[None], report: pytest.TestReport, state: RunState
) -> dict[str, Any] | None:
    from .verdicts import ROW

    recorded = item.stash.get(ROW, None)
    if report.when == "setup":
        if report.failed:
            return summary.row(case, "error", reason=_scrubbed(_last_line(report), state.secrets))
        if report.skipped and recorded is None:
            return summary.row(case, "skip", reason=_skip_reason(report))
        return None
    if report.when != "call":
        return None
    if recorded is None:
        if report.skipped and not hasattr(report, "wasxfail"):
            return summary.row(case, "skip", reason=_skip_reason(report))
        return summary.row(case, "error", reason=_scrubbed(f"internal: {_last_line(report)}", state.secrets))
    found = dict(recorded)
    if hasattr(report, "wasxfail"):
        known = state.known.find(case.vendor, case.operation.id, case.check.id)
        if report.skipped:
            found["verdict"] = "xfail"
            found["reason"] = report.wasxfail.removeprefix("reason: ")
            if known is not None and known.expires:
                found["evidence"] = {**found.get("evidence", {}), "expires": known.expires.isoformat()}
        else:
            found["evidence"] = {**found.get("evidence", {}), "known_failure": "listed, but did not fail"}
    return found


def _skip_reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return _last_line(report)


def _last_line(report: pytest.TestReport) -> str:
    lines = [line for line in str(report.longreprtext or "").splitlines() if line.strip()]
    return lines[-1].strip() if lines else "unknown error"


def _scrubbed(text: str, secrets: set[str]) -> str:
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, "[REDACTED]")
    return text


def scrub(report: pytest.TestReport, secrets: set[str]) -> None:
    """Remove every secret of the run from what junit, allure and the terminal will show."""
    if not secrets:
        return
    text = str(report.longrepr) if report.longrepr is not None else ""
    if any(s in text for s in secrets):
        if isinstance(report.longrepr, tuple):
            path, line, message = report.longrepr
            report.longrepr = (path, line, _scrubbed(str(message), secrets))
        else:
            report.longrepr = _scrubbed(text, secrets)
    report.sections = [(title, _scrubbed(content, secrets)) for title, content in report.sections]
    report.user_properties = [(k, _scrubbed(str(v), secrets)) for k, v in report.user_properties]
