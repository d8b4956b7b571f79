"""``mlops-conformance report``, ``compare`` and ``diff``: reading results after a run.

Exit codes: ``report`` 0 when the page was written; ``compare`` 1 when any row regressed (pass,
warn or drift before; fail or error now), else 0; ``diff`` 1 when any change is breaking, else 0.
Bad input (a missing or corrupt summary, summaries of different vendors, an unreadable contract)
is a one-line ``error: ...`` and exit code 2 (3 for contracts), never a traceback.
"""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import ReportError


def _write(path: Path, text: str, what: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ReportError(f"{path}: cannot write the {what}: {exc.strerror or exc}") from None


@click.command()
@click.argument("report_dir", metavar="[DIR]", default="reports", type=click.Path(path_type=Path))
def report(report_dir: Path) -> None:
    """Write DIR/index.html (default DIR: reports) from DIR/summary.json and DIR/history/.

    One self-contained page: headline per vendor and tag (conformance and coverage), the operation x
    check-family matrix with drill-down to the evidence and the documentation line, filters, known
    failures with their expiry, and the trend over the recorded runs.
    """
    from ..report.page import write_html

    path = write_html(report_dir)
    click.echo(f"wrote {path}")


@click.command()
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

    Exits 1 when any row regressed (was pass, warn or drift; now fail or error), 0 otherwise, and 2
    when the summaries cannot be compared (missing, corrupt, different vendors).
    """
    from ..report.compare import compare as compare_runs
    from ..report.compare_render import to_html, to_markdown
    from ..report.summary import load_summary

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


@click.command()
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
    and relaxations. Exits 1 when anything is breaking, 0 otherwise.
    """
    from ..report.diff_contract import diff_contracts, load_contract_file, to_json, to_markdown

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
