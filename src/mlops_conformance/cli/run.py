"""``mlops-conformance run``: the conformance suites against a target, with progress and a summary.

No second implementation: this builds a pytest command line for ``suites_dir()`` and calls
``pytest.main`` with the same plugin options a ``pytest suites`` user would pass; a small extra
plugin only reports progress. pytest's own terminal output goes to ``<report-dir>/pytest.txt``. The
exit code is 0 only when no row failed or errored (nor warned, with ``--strict``).

Output: on a terminal a progress bar; without one (CI, a pipe) a ``progress:`` line every 10 % of
the checks or every 30 s, whichever comes first. Then the table per vendor and tag, the fail/error
rows, and last the report's and the summary's paths. ``-q``: no progress, the totals line and the
failures only; ``-v``: every fail/error row as it happens and all of them at the end. Under GitHub
Actions (``GITHUB_ACTIONS=true``) fail/error rows also become ``::error`` annotations and the
Markdown summary is appended to ``$GITHUB_STEP_SUMMARY``.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Self

import click
import orjson

from ..errors import ReportError, UsageError
from .config import ConfiguredCommand

_SHOWN = ("pass", "fail", "error", "warn", "drift", "docs", "skip", "xfail")
_STYLE = {
    "pass": "green",
    "fail": "bold red",
    "error": "red",
    "warn": "yellow",
    "drift": "cyan",
    "docs": "magenta",
}
MAX_LISTED = 20
PROGRESS_STEPS = 10  # a progress line each tenth of the checks, without a terminal
PROGRESS_EVERY_S = 30.0  # ... or after this long without one


@click.command(
    cls=ConfiguredCommand,
    epilog="\b\nExit codes:\n  0  no row is fail or error (nor warn, with --strict)\n"
    "  1  findings: a fail or error row (warn too, with --strict)\n"
    "  2  usage or input error (a bad option, no check selected, an unreadable contract)\n"
    "  130  interrupted (the reports hold what ran)",
)
@click.option("--target", metavar="URL", help="Server under test (default: the embedded mock).")
@click.option("--vendor", default="all", show_default=True, help="datarobot, domino, mlflow or all.")
@click.option(
    "--contract",
    "contract_files",
    multiple=True,
    metavar="[NAME=]FILE",
    help="Check against this OpenAPI 3.0/3.1 document (JSON/YAML) instead of the bundled contracts; "
    "repeatable; without --target the embedded mock serves it.",
)
@click.option(
    "--token-env",
    metavar="VAR|NAME=VAR,...",
    help="Environment variable holding the token, for every vendor or per vendor "
    "(default: the vendor's own).",
)
@click.option("--allow-writes", is_flag=True, help="Allow writes against --target (read-only otherwise).")
@click.option(
    "--max-examples", type=int, default=None, metavar="N", help="Generated requests per operation [10]."
)
@click.option("--operations", metavar="REGEX", help="Only operations whose id ('GET /path') matches.")
@click.option("--tags", metavar="TAGS", help="Only operations with one of these comma-separated tags.")
@click.option(
    "--known-failures",
    type=click.Path(dir_okay=False),
    help="YAML file of accepted failures, or the name of a shipped one (mlflow).",
)
@click.option(
    "--request-timeout", type=float, default=None, metavar="S", help="Per-request timeout in seconds [10]."
)
@click.option(
    "--max-retries", type=int, default=None, metavar="N", help="Retries of a 429/503 answer (0: none) [3]."
)
@click.option(
    "--max-wait", type=float, default=None, metavar="S", help="Longest Retry-After waited for, seconds [30]."
)
@click.option("--report-dir", type=click.Path(file_okay=False), default="reports", show_default=True)
@click.option("--strict", is_flag=True, help="Warnings (broken inferred rules) fail the run too.")
@click.option(
    "--seed", type=int, default=None, help="Seed for generated requests (default: random, recorded)."
)
@click.option("-n", "--workers", metavar="N|auto", help="Spread the run over pytest-xdist workers.")
@click.option(
    "--shard",
    metavar="I/N",
    help="Run only the I-th of N shards (1-based; by operation, balanced by cost); merge with report --merge.",
)
@click.option(
    "--ca-bundle", type=click.Path(dir_okay=False), help="CA certificates (PEM) for the target's TLS."
)
@click.option("--insecure", is_flag=True, help="Do not verify the target's TLS certificate (warned about).")
@click.option("--cert", type=click.Path(dir_okay=False), help="Client certificate (PEM) for mutual TLS.")
@click.option(
    "--key", type=click.Path(dir_okay=False), help="The client certificate's key, if not in --cert."
)
@click.option(
    "-H",
    "--header",
    "headers",
    multiple=True,
    metavar="'NAME: VALUE'",
    help="Extra request header (redacted).",
)
@click.option("--rate-limit", metavar="N/s", help="At most N requests per second.")
@click.option(
    "--allure",
    is_flag=True,
    help="Also write Allure results to <report-dir>/allure-results/ (one file per check).",
)
@click.option("-q", "--quiet", count=True, help="No progress; only the totals line and the failures.")
@click.option("-v", "--verbose", count=True, help="Every fail/error row, as it happens and at the end.")
@click.argument("pytest_args", nargs=-1, type=click.UNPROCESSED)
def run(
    target: str | None,
    vendor: str,
    contract_files: tuple[str, ...],
    token_env: str | None,
    allow_writes: bool,
    max_examples: int | None,
    operations: str | None,
    tags: str | None,
    known_failures: str | None,
    request_timeout: float | None,
    max_retries: int | None,
    max_wait: float | None,
    report_dir: str,
    strict: bool,
    seed: int | None,
    workers: str | None,
    shard: str | None,
    ca_bundle: str | None,
    insecure: bool,
    cert: str | None,
    key: str | None,
    headers: tuple[str, ...],
    rate_limit: str | None,
    allure: bool,
    quiet: int,
    verbose: int,
    pytest_args: tuple[str, ...],
) -> None:
    """Run the conformance suites (default: against the embedded mock) and write the reports.

    Extra arguments after ``--`` go to pytest unchanged (``-- -k pagination``).
    """
    import pytest
    from rich.console import Console

    from ..resources import suites_dir

    user = _user_contracts(contract_files)
    _validate(
        target, vendor, token_env, operations, known_failures, max_examples, request_timeout, workers, user
    )
    _validate_retries(max_retries, max_wait)
    from ..runner.shard import parse_shard

    parse_shard(shard)  # a bad I/N is one line, before pytest starts
    from ..resources import contracts_line
    from ..runner.options import parse_vendors

    # the first line: which contracts (path, sha256)
    if user:
        shown = ", ".join(f"{v} {c.sha256[:8]} ({c.path})" for v, c in user.items())
        click.echo(f"contracts: {shown}")
    else:
        click.echo(contracts_line(parse_vendors(vendor)))
    reports = Path(report_dir)
    suites = suites_dir()
    args = [
        str(suites),
        "-c",
        str(suites / "pytest.ini"),
        "--rootdir",
        str(suites),
        "--report-dir",
        str(reports),
    ]
    args += _flag("--target", target) + _flag("--vendor", vendor) + _flag("--token-env", token_env)
    for name, contract in user.items():  # resolved once: every worker loads the same files, same names
        args += ["--contract", f"{name}={Path(str(contract.path)).absolute()}"]
    args += _flag("--max-examples", max_examples) + _flag("--operations", operations) + _flag("--tags", tags)
    args += _flag("--known-failures", known_failures) + _flag("--request-timeout", request_timeout)
    args += _flag("--max-retries", max_retries) + _flag("--max-wait", max_wait)
    args += _network_flags(ca_bundle, insecure, cert, key, headers, rate_limit)
    args += (
        _flag("--conformance-seed", seed)
        + _flag("--shard", shard)
        + (["--allow-writes"] if allow_writes else [])
        + (["--strict"] if strict else [])
        + (["--allure-results"] if allure else [])
    )
    args += (["-n", workers] if workers else []) + ["-p", "no:randomly", "-rN"] + list(pytest_args)

    out = _PipeSafe(sys.stdout)
    console = Console(file=out, highlight=False, force_terminal=out.isatty() or None)
    if not console.is_terminal:
        console = Console(file=out, highlight=False, width=max(console.width, 140))
    verbosity = verbose - quiet
    if verbosity < 0:
        progress: _Progress = _Progress(console, verbose=False)
    elif console.is_terminal:
        progress = _BarProgress(console, verbose=verbosity > 0)
    else:
        progress = _LineProgress(console, verbose=verbosity > 0)
    captured = io.StringIO()
    # A summary left by an earlier run must never be mistaken for this run's result.
    (reports / "summary.json").unlink(missing_ok=True)
    # pytest writes usage errors (a preflight refusal, say) to stderr: keep them for the one-line error.
    with progress, contextlib.redirect_stdout(captured), contextlib.redirect_stderr(captured):
        code = pytest.main(args, plugins=[progress, *_xdist_progress(progress)])
    _keep_output(reports, captured.getvalue())
    if code == pytest.ExitCode.INTERRUPTED:
        console.print("[yellow]interrupted[/]: reports hold what ran so far")
    elif code in (pytest.ExitCode.USAGE_ERROR, pytest.ExitCode.INTERNAL_ERROR):
        raise UsageError(
            _pytest_error(captured.getvalue())
            or f"pytest stopped ({code.name.lower()}); see {reports / 'pytest.txt'}"
        )
    summary = _summary(reports / "summary.json")
    if code == pytest.ExitCode.NO_TESTS_COLLECTED or not summary["rows"]:
        if shard:
            raise UsageError(f"no check selected: shard {shard} holds no operation of this selection")
        raise UsageError("no check selected: --vendor/--operations/--tags match no documented operation")
    html = _finish_reports(reports, summary, console)
    _print_summary(console, summary, reports, verbosity)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        _github(console, summary, reports)
    _print_closing(console, reports, html, quiet=verbosity < 0)
    rows = summary["rows"]
    bad = {"fail", "error", "warn"} if strict else {"fail", "error"}
    if code == pytest.ExitCode.INTERRUPTED:
        sys.exit(130)
    sys.exit(1 if any(r["verdict"] in bad for r in rows) else 0)


class _PipeSafe(io.TextIOBase):
    """stdout that a reader may close early (``run ... | head``): the run goes on and writes its
    reports; what no one reads any more is dropped instead of crashing pytest mid-run."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.closed_by_reader = False

    def write(self, text: str) -> int:
        if not self.closed_by_reader:
            try:
                self._stream.write(text)
            except (BrokenPipeError, ValueError):
                self.closed_by_reader = True
        return len(text)

    def flush(self) -> None:
        if not self.closed_by_reader:
            try:
                self._stream.flush()
            except (BrokenPipeError, ValueError):
                self.closed_by_reader = True

    def isatty(self) -> bool:
        return bool(getattr(self._stream, "isatty", lambda: False)())

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self._stream, "encoding", None) or "utf-8"


def _network_flags(
    ca_bundle: str | None,
    insecure: bool,
    cert: str | None,
    key: str | None,
    headers: tuple[str, ...],
    rate_limit: str | None,
) -> list[str]:
    """The network options, checked here first so a bad one is one line before pytest starts."""
    from ..runner.network import parse_header, parse_rate, readable_file

    readable_file("--ca-bundle", ca_bundle)
    readable_file("--cert", cert)
    readable_file("--key", key)
    for header in headers:
        parse_header(header)
    parse_rate(rate_limit)
    if insecure:
        click.echo("warning: --insecure: the target's TLS certificate is NOT verified", err=True)
    found = _flag("--ca-bundle", ca_bundle) + _flag("--cert", cert) + _flag("--key", key)
    found += _flag("--rate-limit", rate_limit) + (["--insecure"] if insecure else [])
    return found + [f"--header={header}" for header in headers]


def _flag(name: str, value: Any) -> list[str]:
    return [] if value is None else [name, str(value)]


def _user_contracts(files: tuple[str, ...]) -> dict[str, Any]:
    from ..runner.options import user_contracts

    return user_contracts(files)


def _validate(
    target: str | None,
    vendor: str,
    token_env: str | None,
    operations: str | None,
    known_failures: str | None,
    max_examples: int | None,
    request_timeout: float | None,
    workers: str | None,
    user: dict[str, Any] | None = None,
) -> None:
    """Fail on bad options here, in one line, before pytest starts (the same parsers the plugin uses)."""
    from ..runner import known_failures as known
    from ..runner.options import RunOptions, parse_operations, parse_target, parse_token_env, parse_vendors

    parsed_target = parse_target(target)
    vendors = parse_vendors(vendor, tuple(user)) if user else parse_vendors(vendor)
    parse_operations(operations)
    if known_failures:
        known.load(Path(known_failures))
    if max_examples is not None and max_examples < 1:
        raise UsageError("--max-examples must be at least 1")
    if request_timeout is not None and request_timeout <= 0:
        raise UsageError("--request-timeout must be a positive number of seconds")
    _, per_vendor = parse_token_env(token_env)
    unknown = sorted(set(per_vendor) - set(vendors))
    if unknown:
        raise UsageError(f"--token-env {token_env}: {', '.join(unknown)} is not a vendor of this run")
    if parsed_target:
        from ..contract import load_contracts

        # The contracts decide whether a vendor needs a token at all (MLflow's declares no security).
        contracts = user or load_contracts(vendors)
        RunOptions(target=parsed_target, vendors=vendors, token_env=token_env).tokens_from_environment(
            contracts
        )
    if workers:
        if not (workers == "auto" or workers.isdigit()):
            raise UsageError(f"--workers {workers!r}: expected a number or auto")
        try:
            import xdist  # noqa: F401
        except ImportError:
            raise UsageError("--workers needs pytest-xdist (pip install pytest-xdist)") from None


def _validate_retries(max_retries: int | None, max_wait: float | None) -> None:
    if max_retries is not None and max_retries < 0:
        raise UsageError("--max-retries must be 0 or more")
    if max_wait is not None and not max_wait >= 0:
        raise UsageError("--max-wait must be 0 or more seconds")


class _Progress:
    """A pytest plugin following the run from its result rows; this base class shows nothing."""

    def __init__(self, console: Any, verbose: bool = False) -> None:
        self.console = console
        self.verbose = verbose
        self.counts: Counter[str] = Counter()
        self.done = 0
        self.total: int | None = None
        self.collection_errors: list[str] = []
        self.started = time.monotonic()

    def __enter__(self) -> Self:
        self.started = time.monotonic()
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def set_total(self, total: int) -> None:
        self.total = total

    def pytest_collection_finish(self, session: Any) -> None:
        if not hasattr(session.config, "workerinput") and session.items:
            self.set_total(len(session.items))

    def pytest_collectreport(self, report: Any) -> None:
        if report.failed:
            self.collection_errors.append(
                str(report.longreprtext).strip().splitlines()[-1:][0]
                if report.longreprtext
                else report.nodeid
            )

    def pytest_runtest_logreport(self, report: Any) -> None:
        row = getattr(report, "conformance_row", None)
        if row is None:
            return
        self.counts[row["verdict"]] += 1
        self.done += 1
        if self.verbose and row["verdict"] in ("fail", "error"):
            self.print_row(row)
        self.advanced()

    def advanced(self) -> None:
        """One more check finished (``self.done``, ``self.counts`` are up to date)."""

    def print_row(self, row: dict[str, Any]) -> None:
        self.console.print(_row_line(row), soft_wrap=True)


class _BarProgress(_Progress):
    """On a terminal: a rich progress bar with the verdict counts so far."""

    def __init__(self, console: Any, verbose: bool = False) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        super().__init__(console, verbose)
        self.bar = Progress(
            TextColumn("[bold]conformance[/]"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self.task = self.bar.add_task("collecting", total=None)

    def __enter__(self) -> Self:
        super().__enter__()
        self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.bar.stop()

    def set_total(self, total: int) -> None:
        super().set_total(total)
        self.bar.update(self.task, total=total, description="")

    def advanced(self) -> None:
        shown = " ".join(
            f"[{_STYLE.get(v, 'white')}]{v} {self.counts[v]}[/]" for v in _SHOWN if self.counts[v]
        )
        self.bar.update(self.task, advance=1, description=shown)

    def print_row(self, row: dict[str, Any]) -> None:
        self.bar.console.print(_row_line(row), soft_wrap=True)  # above the live bar


class _LineProgress(_Progress):
    """Without a terminal (CI, a pipe): ``progress: 412/4011 (10%) 38 s`` each tenth or each 30 s.

    A background thread prints when nothing finished for ``every`` seconds (a slow target, a long
    collection), so a CI log never sits silent long enough to look hung.
    """

    def __init__(
        self,
        console: Any,
        verbose: bool = False,
        every: float = PROGRESS_EVERY_S,
        steps: int = PROGRESS_STEPS,
    ) -> None:
        super().__init__(console, verbose)
        self.every = every
        self.steps = steps
        self.step = 0
        self.last = time.monotonic()
        self.lock = threading.RLock()
        self.stopped = threading.Event()
        self.ticker = threading.Thread(target=self._tick, name="conformance-progress", daemon=True)

    def __enter__(self) -> Self:
        super().__enter__()
        self.last = self.started
        self.ticker.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        self.ticker.join(timeout=5)

    def _tick(self) -> None:
        while not self.stopped.wait(min(1.0, self.every)):
            with self.lock:
                if time.monotonic() - self.last >= self.every:
                    self.emit()

    def line(self) -> str:
        elapsed = f"{time.monotonic() - self.started:.0f} s"
        if not self.total:
            return f"progress: collecting checks, {elapsed}"
        shown = f"progress: {self.done}/{self.total} ({100 * self.done // self.total}%) {elapsed}"
        bad = ", ".join(f"{v} {self.counts[v]}" for v in ("fail", "error") if self.counts[v])
        return f"{shown} ({bad})" if bad else shown

    def emit(self) -> None:
        self.last = time.monotonic()
        self.console.print(self.line(), markup=False, highlight=False, soft_wrap=True)

    def advanced(self) -> None:
        with self.lock:
            step = self.steps * self.done // self.total if self.total else 0
            if step > self.step:
                self.step = step
                self.emit()
            elif time.monotonic() - self.last >= self.every:
                self.emit()

    def print_row(self, row: dict[str, Any]) -> None:
        with self.lock:
            super().print_row(row)


def _row_line(row: dict[str, Any]) -> str:
    """``[red]fail[/] vendor::operation::check: message`` (the message escaped: never markup)."""
    from rich.markup import escape

    message = row.get("reason") or (row.get("evidence") or {}).get("message", "") or ""
    message = " ".join(str(message).split())
    return f"[red]{row['verdict']}[/] " + escape(
        f"{row['vendor']}::{row['operation']}::{row['check']}: {message}"
    )


def _xdist_progress(progress: _Progress) -> list[Any]:
    """With pytest-xdist, the controller learns the number of tests from its workers."""
    try:
        import xdist  # noqa: F401
    except ImportError:
        return []

    class _Nodes:
        def pytest_xdist_node_collection_finished(self, node: Any, ids: list[str]) -> None:
            progress.set_total(len(ids))

    return [_Nodes()]


def _keep_output(reports: Path, text: str) -> None:
    if text:
        reports.mkdir(parents=True, exist_ok=True)
        (reports / "pytest.txt").write_text(text, encoding="utf-8")


def _pytest_error(text: str) -> str | None:
    for line in text.splitlines():
        if line.startswith("ERROR: "):
            return line.removeprefix("ERROR: ").strip()
    return None


def _summary(path: Path) -> dict[str, Any]:
    try:
        return orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError) as exc:
        raise ReportError(f"{path}: the run wrote no readable summary ({exc})") from None


def _finish_reports(reports: Path, summary: dict[str, Any], console: Any) -> Path | None:
    """History, the HTML matrix and allure metadata; the HTML report's path when it was written."""
    try:
        from ..report import allure_environment, append_history, write_html
    except ImportError as exc:
        console.print(f"[yellow]note[/]: HTML report and history not written ({exc})")
        return None
    from ..errors import ConformanceError

    html = None
    try:
        append_history(reports, summary)
        html = write_html(reports)
        results = reports / "allure-results"
        if results.is_dir():
            allure_environment(results, summary["run"])
    except ConformanceError as exc:
        console.print(f"[yellow]note[/]: {exc.one_line()}")
    return html


def _print_summary(console: Any, summary: dict[str, Any], reports: Path, verbosity: int = 0) -> None:
    """The table per vendor and tag (``-q``: its totals line only), then the fail/error rows."""
    from rich.table import Table

    rows = summary["rows"]
    total = Counter(r["verdict"] for r in rows)
    if verbosity < 0:
        console.print("all: " + ", ".join(f"{total[v]} {v}" for v in _SHOWN), soft_wrap=True)
    else:
        table = Table(title=f"conformance of {summary['run'].get('target')}", show_lines=False)
        table.add_column("vendor")
        table.add_column("tag")
        for verdict in _SHOWN:
            table.add_column(verdict, justify="right", style=_STYLE.get(verdict))
        grouped: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        for row in rows:
            grouped[(row["vendor"], row.get("tag") or "")][row["verdict"]] += 1
        for (vendor, tag), counted in sorted(grouped.items()):
            table.add_row(vendor, tag, *[str(counted[v]) if counted[v] else "" for v in _SHOWN])
        table.add_row("all", "", *[str(total[v]) for v in _SHOWN], style="bold")
        console.print(table)
    bad = [r for r in rows if r["verdict"] in ("fail", "error")]
    listed = bad if verbosity > 0 else bad[:MAX_LISTED]
    for row in listed:
        console.print(_row_line(row), soft_wrap=True)
    if len(bad) > len(listed):
        console.print(
            f"... and {len(bad) - len(listed)} more (-v lists all) in {reports / 'summary.json'}",
            markup=False,
            soft_wrap=True,
        )
    for error in summary["run"].get("cleanup_errors", []):
        console.print("[red]cleanup failed[/]: " + _escape(str(error)), soft_wrap=True)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _github(console: Any, summary: dict[str, Any], reports: Path) -> None:
    """Under GitHub Actions: ``::error`` annotations for fail/error rows, the step summary appended."""
    from ..errors import ConformanceError
    from ..report import parse_summary
    from ..report.ci import annotations, step_summary

    try:
        parsed = parse_summary(summary, reports / "summary.json")
    except ConformanceError as exc:
        console.print(f"[yellow]note[/]: no GitHub annotations ({exc.one_line()})")
        return
    for line in annotations(parsed.rows):
        console.file.write(line + "\n")  # verbatim: a workflow command, never styled or wrapped
    console.file.flush()
    target = os.environ.get("GITHUB_STEP_SUMMARY", "").strip()
    if not target:
        return
    markdown = step_summary(parsed, str(reports / "index.html"), str(reports / "summary.json"))
    try:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(markdown + "\n")
    except OSError as exc:
        console.print(
            f"[yellow]note[/]: step summary not written to {_escape(target)}: {exc.strerror or exc}"
        )


def _print_closing(console: Any, reports: Path, html: Path | None, quiet: bool = False) -> None:
    """The last lines: where the other outputs are, then the HTML report and the summary."""
    if not quiet:
        others = [
            name
            for name in ("junit.xml", "pytest.txt", "history/", "allure-results/")
            if (reports / name.rstrip("/")).exists()
        ]
        console.print(f"reports: {reports}/ ({', '.join(others)})", markup=False, soft_wrap=True)
    shown = str(html) if html is not None else f"not written (see the note above); {reports / 'index.html'}"
    console.print(f"html report: {shown}", markup=False, soft_wrap=True)
    console.print(f"summary: {reports / 'summary.json'}", markup=False, soft_wrap=True)
