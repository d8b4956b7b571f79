"""A run's result for CI systems: GitHub Actions workflow commands and a Markdown step summary.

``annotations`` turns fail/error rows into ``::error title=<check>::<vendor> <operation>: <message>``
lines (GitHub shows them on the run's page and in pull requests), escaped as the runner expects:
``%``, CR and LF in the message; those and ``:`` and ``,`` in a property value. ``step_summary``
is the Markdown appended to ``$GITHUB_STEP_SUMMARY``: verdict counts per vendor and the failures.
"""

from __future__ import annotations

from collections.abc import Iterable

from .compare_render import _code, _md
from .redact import redact_target
from .stats import Tally, percent
from .summary import VERDICTS, Row, Summary

# GitHub shows at most 10 error annotations per step and 50 per job; more is noise in the log.
MAX_ANNOTATIONS = 50
MAX_SUMMARY_ROWS = 50
FAILING = ("fail", "error")


def escape_data(text: str) -> str:
    """A workflow command's message: ``%``, ``\\r`` and ``\\n`` percent-encoded (GitHub's rules)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value: as ``escape_data``, and ``:`` and ``,`` too."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def row_message(row: Row) -> str:
    """What went wrong, in one line: the row's reason, else its evidence's message or error."""
    for value in (row.reason, row.evidence.get("message"), row.evidence.get("error")):
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
    return row.verdict


def failing_rows(rows: Iterable[Row]) -> list[Row]:
    return [row for row in rows if row.verdict in FAILING]


def annotations(rows: Iterable[Row], limit: int = MAX_ANNOTATIONS) -> list[str]:
    """``::error`` workflow commands for the first ``limit`` fail/error rows, and a notice for the rest."""
    failing = failing_rows(rows)
    lines = [
        f"::error title={escape_property(row.check)}::"
        + escape_data(f"{row.vendor} {row.operation}: {row_message(row)}")
        for row in failing[:limit]
    ]
    if len(failing) > limit:
        lines.append(
            "::notice title=mlops-conformance::"
            + escape_data(f"{len(failing) - limit} more fail/error rows are not annotated; see summary.json")
        )
    return lines


def step_summary(summary: Summary, html: str, json_path: str) -> str:
    """Markdown for ``$GITHUB_STEP_SUMMARY``: a per-vendor table of verdicts, then the failures."""
    out = [f"## Conformance of {_md(redact_target(summary.target) or 'the target')}", ""]
    out.append("| vendor | conformance | " + " | ".join(VERDICTS) + " |")
    out.append("|---|---:|" + "---:|" * len(VERDICTS))
    groups = [(vendor, [r for r in summary.rows if r.vendor == vendor]) for vendor in summary.vendors]
    if len(groups) > 1:
        groups.append(("**all**", summary.rows))
    for vendor, rows in groups:
        tally = Tally.of(rows)
        counts = " | ".join(str(tally.counts[v]) for v in VERDICTS)
        out.append(f"| {vendor} | {percent(tally.conformance)} | {counts} |")
    failing = failing_rows(summary.rows)
    out.append("")
    if failing:
        out += [f"### Failures ({len(failing)})", ""]
        out += ["| verdict | vendor | operation | check | message |", "|---|---|---|---|---|"]
        for row in failing[:MAX_SUMMARY_ROWS]:
            out.append(
                f"| {row.verdict} | {_md(row.vendor)} | {_code(_md(row.operation))} | {_code(_md(row.check))} "
                f"| {_md(row_message(row))[:300]} |"
            )
        if len(failing) > MAX_SUMMARY_ROWS:
            out.append(f"\n… and {len(failing) - MAX_SUMMARY_ROWS} more in {_code(json_path)}.")
        out.append("")
    else:
        out += ["No fail or error row.", ""]
    out += [f"Report: {_code(html)} · summary: {_code(json_path)}", ""]
    return "\n".join(out)
