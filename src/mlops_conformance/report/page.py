"""``DIR/index.html``: gather a run's summary, history and contracts, then render one page."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from ..contract import Contract
from ..errors import ReportError
from .coverage import compute_coverage
from .doclines import DocLines
from .fileio import write_atomically
from .history import contracts_for, load_trend, trend_block
from .layout import document
from .matrix import build_matrix, families_of
from .matrix_html import MAX_PLAIN_ROWS, matrix_data, op_indices, render_matrix
from .sections import (
    coverage_section,
    footer,
    headline,
    known_failures,
    notes_section,
    problem_rows,
    problems_section,
    run_header,
)
from .summary import Summary, load_summary
from .trend import render_trend

INDEX_NAME = "index.html"


def _run_date(summary: Summary) -> date:
    """The day the run started: known failures expire relative to the run, not to whoever opens it."""
    try:
        return datetime.fromisoformat(summary.started).date()
    except ValueError:
        return datetime.now(UTC).date()


def _contract_notes(summary: Summary, contracts: dict[str, Contract]) -> list[str]:
    recorded = summary.run.get("contract_sha256")
    notes = []
    if isinstance(recorded, dict):
        for vendor, contract in contracts.items():
            sha = recorded.get(vendor)
            if isinstance(sha, str) and sha and sha != contract.sha256:
                notes.append(
                    f"{vendor}: the contract changed since this run (run used {sha[:12]}…, now {contract.sha256[:12]}…); "
                    "coverage and documentation lines are read from the current contract"
                )
    return notes


def render_report(
    summary: Summary,
    report_dir: Path,
    contracts: dict[str, Contract] | None = None,
    doclines: DocLines | None = None,
    pack: bool = True,
) -> str:
    """The whole report page for ``summary``, with the trend read from ``report_dir/history``.

    ``pack=False`` embeds every row's evidence as plain JSON, uncompressed (the page as it was
    before packing; kept for the size benchmark).
    """
    notes: list[str] = []
    if contracts is None:
        contracts, notes = contracts_for(summary.vendors)
    notes.extend(_contract_notes(summary, contracts))
    coverages = compute_coverage(summary.rows, contracts)
    matrix = build_matrix(summary.rows, contracts, coverages)
    families = families_of(summary.rows)
    points, history_notes = load_trend(report_dir, summary, trend_block(summary, coverages))
    notes.extend(history_notes)
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    # When anything failed, the page opens on the failures: their section comes first.
    problems = problems_section(summary, op_indices(matrix))
    body = (
        run_header(summary, generated)
        + '<nav class="jump wrap">'
        + ('<a href="#problems" class="bad">Problems</a>' if problems else "")
        + '<a href="#headline">Headline</a><a href="#matrix-section">Matrix</a>'
        '<a href="#trend">Trend</a><a href="#known">Known failures</a><a href="#coverage">Coverage</a></nav>'
        '<main class="wrap">'
        + problems
        + notes_section(notes)
        + headline(summary, coverages, set(contracts), points)
        + render_matrix(matrix, families, summary.rows, coverages)
        + f'<section id="trend"><h2>Trend</h2><div class="chart">{render_trend(points)}</div></section>'
        + known_failures(summary.rows, _run_date(summary))
        + coverage_section(coverages)
        + "</main>"
        + footer()
    )
    data, packed = matrix_data(
        matrix,
        summary.rows,
        doclines or DocLines(),
        pack=pack,
        plain={row.index for row in problem_rows(summary)[:MAX_PLAIN_ROWS]},
    )
    title = f"Conformance · {', '.join(summary.vendors) or 'no vendor'} · {summary.started or 'run'}"
    return document(title, body, data, packed=packed)


def write_html(report_dir: Path) -> Path:
    """Render ``report_dir/summary.json`` (and its history) into ``report_dir/index.html``."""
    report_dir = Path(report_dir)
    if not report_dir.is_dir():
        raise ReportError(f"{report_dir}: no such report directory")
    summary = load_summary(report_dir)
    html = render_report(summary, report_dir)
    target = report_dir / INDEX_NAME
    try:
        write_atomically(target, html.encode("utf-8"))
    except OSError as exc:
        raise ReportError(f"{target}: cannot write: {exc.strerror or exc}") from None
    return target
