"""``mlops-conformance run``: the conformance suites against a target, with progress and a summary.

No second implementation: this builds a pytest command line for ``suites_dir()`` and calls
``pytest.main`` with the same plugin options a ``pytest suites`` user would pass; a small extra
plugin only draws progress. pytest's own terminal output goes to ``<report-dir>/pytest.txt``. The
exit code is 0 only when no row failed or errored (nor warned, with ``--strict``).
"""

from __future__ import annotations

import contextlib
import io
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Self

import click
import orjson

from ..errors import ReportError, UsageError

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


@click.command(
    epilog="\b\nExit codes:\n  0  no row is fail or error (nor warn, with --strict)\n"
    "  1  findings: a fail or error row (warn too, with --strict)\n"
    "  2  usage or input error (a bad option, no check selected, an unreadable contract)\n"
    "  130  interrupted (the reports hold what ran)"
)
@click.option("--target", metavar="URL", help="Server under test (default: the embedded mock).")
@click.option("--vendor", default="all", show_default=True, help="datarobot, domino or all.")
@click.option(
    "--token-env", metavar="NAME", help="Environment variable holding the token (default: the vendor's own)."
)
@click.option("--allow-writes", is_flag=True, help="Allow writes against --target (read-only otherwise).")
@click.option("--max-examples", type=int, default=None, metavar="N", help="Generated requests per operation [10].")
@click.option("--operations", metavar="REGEX", help="Only operations whose id ('GET /path') matches.")
@click.option("--tags", metavar="TAGS", help="Only operations with one of these comma-separated tags.")
@click.option("--known-failures", type=click.Path(dir_okay=False), help="YAML file of accepted failures.")
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
@click.argument("pytest_args", nargs=-1, type=click.UNPROCESSED)
def run(
    target: str | None,
    vendor: str,
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
    pytest_args: tuple[str, ...],
) -> None:
    """Run the conformance suites (default: against the embedded mock) and write the reports.

    Extra arguments after ``--`` go to pytest unchanged (``-- -k pagination``).
    """
    import pytest
    from rich.console import Console

    from ..resources import suites_dir

    _validate(target, vendor, token_env, operations, known_failures, max_examples, request_timeout, workers)
    _validate_retries(max_retries, max_wait)
    from ..resources import contracts_line
    from ..runner.options import parse_vendors

    click.echo(contracts_line(parse_vendors(vendor)))  # the first line: which contracts (path, sha256)
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
    args += _flag("--max-examples", max_examples) + _flag("--operations", operations) + _flag("--tags", tags)
    args += _flag("--known-failures", known_failures) + _flag("--request-timeout", request_timeout)
    args += _flag("--max-retries", max_retries) + _flag("--max-wait", max_wait)
    args += (
        _flag("--conformance-seed", seed)
        + (["--allow-writes"] if allow_writes else [])
        + (["--strict"] if strict else [])
    )
    args += (["-n", workers] if workers else []) + ["-p", "no:randomly", "-rN"] + list(pytest_args)

    console = Console(file=sys.stdout, highlight=False)
    if not console.is_terminal:
        console = Console(file=sys.stdout, highlight=False, width=max(console.width, 140))
    progress = _Progress(console)
    captured = io.StringIO()
    # A summary left by an earlier run must never be mistaken for this run's result.
    (reports / "summary.json").unlink(missing_ok=True)
    with progress, contextlib.redirect_stdout(captured):
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
        raise UsageError("no check selected: --vendor/--operations/--tags match no documented operation")
    _finish_reports(reports, summary, console)
    _print_summary(console, summary, reports)
    rows = summary["rows"]
    bad = {"fail", "error", "warn"} if strict else {"fail", "error"}
    if code == pytest.ExitCode.INTERRUPTED:
        sys.exit(130)
    sys.exit(1 if any(r["verdict"] in bad for r in rows) else 0)


def _flag(name: str, value: Any) -> list[str]:
    return [] if value is None else [name, str(value)]


def _validate(
    target: str | None,
    vendor: str,
    token_env: str | None,
    operations: str | None,
    known_failures: str | None,
    max_examples: int | None,
    request_timeout: float | None,
    workers: str | None,
) -> None:
    """Fail on bad options here, in one line, before pytest starts (the same parsers the plugin uses)."""
    from ..runner import known_failures as known
    from ..runner.options import RunOptions, parse_operations, parse_target, parse_vendors

    parsed_target = parse_target(target)
    vendors = parse_vendors(vendor)
    parse_operations(operations)
    if known_failures:
        known.load(Path(known_failures))
    if max_examples is not None and max_examples < 1:
        raise UsageError("--max-examples must be at least 1")
    if request_timeout is not None and request_timeout <= 0:
        raise UsageError("--request-timeout must be a positive number of seconds")
    if parsed_target:
        RunOptions(target=parsed_target, vendors=vendors, token_env=token_env).tokens_from_environment()
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
    """A pytest plugin that draws a rich progress bar from result rows as they arrive."""

    def __init__(self, console: Any) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.counts: Counter[str] = Counter()
        self.collection_errors: list[str] = []
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
        self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.bar.stop()

    def set_total(self, total: int) -> None:
        self.bar.update(self.task, total=total, description="")

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
        shown = " ".join(
            f"[{_STYLE.get(v, 'white')}]{v} {self.counts[v]}[/]" for v in _SHOWN if self.counts[v]
        )
        self.bar.update(self.task, advance=1, description=shown)


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


def _finish_reports(reports: Path, summary: dict[str, Any], console: Any) -> None:
    """History, the HTML matrix and allure metadata, when the reports package provides them."""
    try:
        from ..report import allure_environment, append_history, write_html
    except ImportError as exc:
        console.print(f"[yellow]note[/]: HTML report and history not written ({exc})")
        return
    from ..errors import ConformanceError

    try:
        append_history(reports, summary)
        write_html(reports)
        results = reports / "allure-results"
        if results.is_dir():
            allure_environment(results, summary["run"])
    except ConformanceError as exc:
        console.print(f"[yellow]note[/]: {exc.one_line()}")


def _print_summary(console: Any, summary: dict[str, Any], reports: Path) -> None:
    from rich.table import Table

    rows = summary["rows"]
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
    total = Counter(r["verdict"] for r in rows)
    table.add_row("all", "", *[str(total[v]) for v in _SHOWN], style="bold")
    console.print(table)
    bad = [r for r in rows if r["verdict"] in ("fail", "error")]
    for row in bad[:MAX_LISTED]:
        message = row.get("reason") or row.get("evidence", {}).get("message", "")
        console.print(
            f"[red]{row['verdict']}[/] {row['vendor']}::{row['operation']}::{row['check']}: {message}",
            soft_wrap=True,
        )
    if len(bad) > MAX_LISTED:
        console.print(f"... and {len(bad) - MAX_LISTED} more in {reports / 'summary.json'}")
    for error in summary["run"].get("cleanup_errors", []):
        console.print(f"[red]cleanup failed[/]: {error}", soft_wrap=True)
    console.print(
        f"reports: {reports}/ (summary.json, junit.xml, allure-results/, pytest.txt)", soft_wrap=True
    )
