"""``mlops-conformance report``, ``compare`` and ``diff``: reading results after a run.

Exit codes, as in every command: 0 clean; 1 findings (``compare``: a row regressed, pass, warn or
drift before, fail or error now; ``diff``: a breaking change); 2 usage or input error (a missing or
corrupt summary, summaries of different vendors, an unreadable or invalid contract), one line
``error: ...`` on stderr, never a traceback.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from ..errors import ConformanceError, ReportError

REPORT_EPILOG = """\b
Exit codes:
  0  the page was written (with --merge: the merged summary, history entry and page)
  2  usage or input error (no summary.json, a corrupt one, an unwritable directory; with
     --merge: a missing or repeated shard, shards of different contracts or vendors)
"""

COMPARE_EPILOG = """\b
Exit codes:
  0  no regression
  1  regressions: a row was pass, warn or drift before and is fail or error now
  2  usage or input error (a missing or corrupt summary, summaries of different vendors)
"""

DIFF_EPILOG = """\b
Exit codes:
  0  no breaking change
  1  breaking changes
  2  usage or input error (an unreadable, non-JSON or invalid contract)
"""


@contextmanager
def _input_errors() -> Iterator[None]:
    """Bad input is exit code 2 in every command, whichever error class reports it."""
    try:
        yield
    except ConformanceError as exc:
        exc.exit_code = 2
        raise


def _write(path: Path, text: str, what: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ReportError(f"{path}: cannot write the {what}: {exc.strerror or exc}") from None


@click.command(epilog=REPORT_EPILOG)
@click.argument("report_dirs", metavar="[DIR]...", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--merge",
    is_flag=True,
    help="Merge the report directories of every shard of a run (run --shard I/N) into --output.",
)
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="With --merge: where the merged summary.json, history/ and index.html go.",
)
def report(report_dirs: tuple[Path, ...], merge: bool, output: Path | None) -> None:
    """Write DIR/index.html (default DIR: reports) from DIR/summary.json and DIR/history/.

    One self-contained page: headline per vendor and tag (conformance and coverage), the operation x
    check-family matrix with drill-down to the evidence and the documentation line, filters, known
    failures with their expiry, and the trend over the recorded runs.

    With --merge DIR... --output OUT: the shards' summaries as one run (the rows of every shard, the
    run-level rows combined), written to OUT/summary.json with a history entry and OUT/index.html.
    """
    from ..errors import UsageError
    from ..report.page import write_html

    if merge:
        if not report_dirs or output is None:
            raise UsageError("--merge needs the shards' report directories and --output DIR")
        from ..report.merge import merge_directories

        with _input_errors():
            path = merge_directories(list(report_dirs), output)
        click.echo(f"merged {len(report_dirs)} shards into {path}")
        click.echo(f"wrote {output / 'index.html'}")
        return
    if output is not None:
        raise UsageError("--output goes with --merge (report DIR writes DIR/index.html)")
    if len(report_dirs) > 1:
        raise UsageError("report takes one DIR (several only with --merge)")
    with _input_errors():
        path = write_html(report_dirs[0] if report_dirs else Path("reports"))
    click.echo(f"wrote {path}")


@click.command(epilog=COMPARE_EPILOG)
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option(
    "--markdown",
    "markdown_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the Markdown comparison to FILE instead of standard output.",
)
@click.option(
    "--html",
    "html_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write a self-contained HTML comparison to FILE.",
)
def compare(old: Path, new: Path, markdown_file: Path | None, html_file: Path | None) -> None:
    """Compare two runs (summary.json files or report directories): regressions, fixes, new and
    removed rows, changed verdict counts.

    """
    from ..report.compare import compare as compare_runs
    from ..report.compare_render import to_html, to_markdown
    from ..report.summary import load_summary

    with _input_errors():
        comparison = compare_runs(load_summary(old), load_summary(new))
    markdown = to_markdown(comparison)
    if markdown_file is None:
        click.echo(markdown, nl=False)
    else:
        _write(markdown_file, markdown, "Markdown comparison")
        click.echo(f"wrote {markdown_file}", err=True)
    if html_file is not None:
        _write(html_file, to_html(comparison), "HTML comparison")
        click.echo(f"wrote {html_file}", err=True)
    if comparison.regressed:
        raise SystemExit(1)


@click.command(epilog=DIFF_EPILOG)
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["md", "json"]),
    default="md",
    show_default=True,
    help="Markdown for people and pull requests, JSON for tools.",
)
@click.option(
    "--output",
    "output_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to FILE instead of standard output.",
)
def diff(old: Path, new: Path, output_format: str, output_file: Path | None) -> None:
    """Breaking and non-breaking changes from contract OLD to contract NEW (OpenAPI JSON files).

    Breaking: removed operations, parameters, fields, status codes or media types; newly required
    parameters, fields or bodies; narrowed enums; type or format changes. Non-breaking: additions
    and relaxations. `x-` keys among status codes, parameters and fields are extensions, ignored.
    """
    from ..report.diff_contract import diff_contracts, load_contract_file, to_json, to_markdown

    with _input_errors():
        changes = diff_contracts(load_contract_file(old), load_contract_file(new))
    render = to_json if output_format == "json" else to_markdown
    text = render(changes, str(old), str(new))
    if output_file is None:
        click.echo(text, nl=False)
    else:
        _write(output_file, text, "contract diff")
        click.echo(f"wrote {output_file}", err=True)
    if any(change.breaking for change in changes):
        raise SystemExit(1)
