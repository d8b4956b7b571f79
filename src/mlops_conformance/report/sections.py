"""The report's sections besides the matrix: run header, headline, known failures, coverage.

Each function takes already-computed figures and returns an HTML fragment; nothing here counts or
reads files, so what the page shows is exactly what ``stats`` and ``coverage`` computed.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from .coverage import OperationCoverage, coverage_totals
from .history import TrendPoint
from .layout import VERDICT_HELP, h, stacked_bar, verdict_badge
from .redact import redact_target
from .stats import CONFORMANCE_RULE, Tally, percent
from .summary import VERDICTS, Row, Summary
from .trend import render_sparkline


def run_header(summary: Summary, generated: str) -> str:
    run = summary.run
    versions: dict[str, Any] = run["versions"] if isinstance(run.get("versions"), dict) else {}
    facts = [
        ("Target", redact_target(summary.target) or "unknown"),
        ("Vendors", ", ".join(summary.vendors) or "none"),
        ("Started", summary.started.replace("T", " ") or "unknown"),
    ]
    duration = run.get("duration_s")
    if isinstance(duration, (int, float)) and not isinstance(duration, bool):
        facts.append(("Duration", f"{duration:.1f} s"))
    facts.append(("Rows", str(len(summary.rows))))
    flags = []
    if run.get("strict"):
        flags.append('<span class="flag">strict</span>')
    flags.append(
        '<span class="flag">writes allowed</span>'
        if run.get("allow_writes")
        else '<span class="flag">read-only</span>'
    )
    version_text = " · ".join(f"{h(k)} {h(v)}" for k, v in sorted(versions.items()))
    return (
        '<header class="top"><div class="wrap">'
        '<div class="title"><h1>Conformance report</h1>'
        f'<div class="flags">{"".join(flags)}</div></div>'
        '<dl class="facts">'
        + "".join(f"<div><dt>{h(k)}</dt><dd>{h(v)}</dd></div>" for k, v in facts)
        + "</dl>"
        + (f'<p class="versions">{version_text} · generated {h(generated)}</p>' if version_text else "")
        + "</div></header>"
    )


# A problems list longer than this is cut (the matrix, filtered to fail and error, shows all).
MAX_PROBLEMS = 100


def problem_rows(summary: Summary) -> list[Row]:
    """The rows that fail the run (fail, error; warn too under --strict), worst first."""
    bad = ("fail", "error", "warn") if summary.run.get("strict") else ("fail", "error")
    return sorted(
        (r for r in summary.rows if r.verdict in bad),
        key=lambda r: (bad.index(r.verdict), r.vendor, r.operation, r.check, r.index),
    )


def _problem_message(row: Row) -> str:
    for value in (row.reason, row.evidence.get("message"), row.evidence.get("error")):
        if isinstance(value, str) and value.strip():
            text = " ".join(value.split())
            return text if len(text) <= 300 else text[:300] + "…"
    return ""


def problems_section(summary: Summary, op_index: dict[tuple[str, str], int]) -> str:
    """What failed, first on the page: one line per fail/error row with a button to its evidence.

    Empty (no section at all) when nothing failed, so a clean run opens on its headline.
    """
    problems = problem_rows(summary)
    if not problems:
        return ""
    body = []
    for row in problems[:MAX_PROBLEMS]:
        index = op_index.get((row.vendor, row.operation))
        button = (
            f'<button type="button" class="plain pbtn" data-op="{index}" data-family="{h(row.family)}"'
            f' data-rows="{row.index}" data-verdicts="{h(row.verdict)}">evidence</button>'
            if index is not None
            else ""
        )
        body.append(
            f'<tr data-vendor="{h(row.vendor)}" data-search="{h((row.operation + " " + row.check + " " + row.reason).lower())}">'
            f"<td>{verdict_badge(row.verdict)}</td><td>{h(row.vendor)}</td>"
            f'<td class="op"><code>{h(row.operation)}</code></td><td><code>{h(row.check)}</code></td>'
            f'<td class="msg">{h(_problem_message(row))}</td><td>{button}</td></tr>'
        )
    more = (
        f'<p class="muted small">… and {len(problems) - MAX_PROBLEMS} more: filter the matrix by '
        "<b>problems only</b> to see every one.</p>"
        if len(problems) > MAX_PROBLEMS
        else ""
    )
    counts = ", ".join(
        f"{sum(1 for r in problems if r.verdict == v)} {v}"
        for v in ("fail", "error", "warn")
        if any(r.verdict == v for r in problems)
    )
    return (
        f'<section id="problems" class="problems"><h2>Problems <span class="count">{len(problems)}</span></h2>'
        f'<p class="muted small">{h(counts)}: the rows that make this run fail, worst first.</p>'
        '<div class="panel scroll-x"><table class="list"><thead><tr><th>Verdict</th><th>Vendor</th>'
        "<th>Operation</th><th>Check</th><th>Message</th><th></th></tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>{more}</div></section>"
    )


def _figure(label: str, value: float | None, detail: str, css: str) -> str:
    return (
        f'<div class="figure {css}"><span class="label">{h(label)}</span>'
        f'<span class="big">{h(percent(value))}</span><span class="detail">{h(detail)}</span></div>'
    )


def headline(
    summary: Summary,
    coverages: list[OperationCoverage],
    have_contract: set[str],
    points: list[TrendPoint],
) -> str:
    """One card per vendor (conformance and coverage side by side, their recent trend), then a
    table per tag."""
    cards = []
    table_rows = []
    for vendor in summary.vendors:
        rows = [r for r in summary.rows if r.vendor == vendor]
        tally = Tally.of(rows)
        cov = coverage_totals(coverages, vendor=vendor)
        cov_value = cov.percent if vendor in have_contract else None
        cov_detail = (
            f"{cov.exercised} of {cov.documented} documented status codes exercised"
            if vendor in have_contract
            else "contract unavailable"
        )
        ops = len({r.operation for r in rows})
        in_contract = sum(1 for c in coverages if c.vendor == vendor and c.in_contract)
        scope = f"{ops} of {in_contract} operations run" if in_contract > ops else f"{ops} operations"
        chips = "".join(verdict_badge(v, n) for v, n in tally.nonzero())
        cards.append(
            f'<article class="card" data-vendor="{h(vendor)}"><h2>{h(vendor)}</h2>'
            '<div class="figures">'
            + _figure(
                "Conformance",
                tally.conformance,
                f"{tally.counts['pass']} of {tally.tested} tested rows pass",
                "conf",
            )
            + _figure("Coverage", cov_value, cov_detail, "cov")
            + render_sparkline(points, vendor)
            + "</div>"
            f"{stacked_bar(tally.counts)}"
            f'<div class="chips">{chips}</div>'
            f'<p class="muted small">{scope} · {tally.total} rows</p></article>'
        )
        by_tag: dict[str, list[Row]] = defaultdict(list)
        for row in rows:
            by_tag[row.tag or _tag_from_coverage(coverages, vendor, row.operation)].append(row)
        for tag in sorted(by_tag, key=str.lower):
            tag_rows = by_tag[tag]
            tag_tally = Tally.of(tag_rows)
            tag_cov = coverage_totals(coverages, vendor=vendor, tag=tag)
            cells = "".join(
                f'<td class="num{" zero" if not tag_tally.counts[v] else ""}">{tag_tally.counts[v]}</td>'
                for v in VERDICTS
            )
            table_rows.append(
                f'<tr data-vendor="{h(vendor)}" data-tag="{h(tag)}"><td>{h(vendor)}</td><th scope="row">{h(tag)}</th>'
                f'<td class="num">{len({r.operation for r in tag_rows})}</td>'
                f'<td class="num strong">{h(percent(tag_tally.conformance))}</td>'
                f'<td class="num">{h(percent(tag_cov.percent if vendor in have_contract else None))}</td>'
                f"<td>{stacked_bar(tag_tally.counts)}</td>{cells}</tr>"
            )
    head = "".join(f'<th class="num" title="{h(VERDICT_HELP[v])}">{verdict_badge(v)}</th>' for v in VERDICTS)
    return (
        '<section id="headline"><div class="cards">' + "".join(cards) + "</div>"
        f'<details class="panel"{" open" if len(table_rows) <= 6 else ""}><summary><h2>By vendor and tag</h2>'
        f'<span class="muted small">{len(table_rows)} tags · conformance and coverage per tag</span></summary>'
        '<div class="scroll-x"><table class="tags"><thead><tr><th>Vendor</th><th>Tag</th><th class="num">Ops</th>'
        '<th class="num">Conformance</th><th class="num">Coverage</th><th>Verdicts</th>'
        f"{head}</tr></thead><tbody>{''.join(table_rows)}</tbody></table></div>"
        f'<p class="muted small">{h(CONFORMANCE_RULE)}; coverage = documented status codes the target '
        "was seen to answer ÷ documented status codes of every operation in the contract.</p></details></section>"
    )


def _tag_from_coverage(coverages: list[OperationCoverage], vendor: str, operation: str) -> str:
    for cov in coverages:
        if cov.vendor == vendor and cov.operation == operation:
            return cov.tag
    return "untagged"


def _expiry(expires: str | None, today: date) -> tuple[str, str]:
    if not expires:
        return "no expiry", "exp-none"
    try:
        when = date.fromisoformat(expires[:10])
    except ValueError:
        return expires, "exp-none"
    days = (when - today).days
    if days < 0:
        return f"{expires} · expired {-days} d ago", "exp-past"
    if days <= 14:
        return f"{expires} · in {days} d", "exp-soon"
    return f"{expires} · in {days} d", "exp-ok"


def known_failures(rows: list[Row], today: date) -> str:
    xfails = sorted((r for r in rows if r.verdict == "xfail"), key=lambda r: (r.expires or "9999", r.key))
    if not xfails:
        return (
            '<section id="known"><h2>Known failures</h2>'
            '<p class="panel muted">No row of this run matched the known-failures list.</p></section>'
        )
    body = []
    for row in xfails:
        label, css = _expiry(row.expires, today)
        body.append(
            f'<tr data-vendor="{h(row.vendor)}" data-search="{h((row.operation + " " + row.check).lower())}">'
            f'<td>{h(row.vendor)}</td><td class="op"><code>{h(row.operation)}</code></td>'
            f"<td><code>{h(row.check)}</code></td><td>{h(row.reason)}</td>"
            f'<td><span class="expiry {css}">{h(label)}</span></td></tr>'
        )
    return (
        f'<section id="known"><h2>Known failures <span class="count">{len(xfails)}</span></h2>'
        '<div class="panel scroll-x"><table class="list"><thead><tr><th>Vendor</th><th>Operation</th><th>Check</th>'
        f"<th>Reason</th><th>Expires</th></tr></thead><tbody>{''.join(body)}</tbody></table></div></section>"
    )


def coverage_section(coverages: list[OperationCoverage]) -> str:
    if not coverages:
        return (
            '<section id="coverage"><h2>Coverage</h2><p class="muted">No contract was available, '
            "so documented status codes are unknown.</p></section>"
        )
    body = []
    for cov in sorted(
        coverages, key=lambda c: (c.vendor, c.tag.lower(), c.operation.partition(" ")[2], c.operation)
    ):
        chips = "".join(
            f'<span class="st {"hit" if s.exercised else "miss"}" title="{h("exercised" if s.exercised else s.reason)}">'
            f"{h(s.status)}</span>"
            for s in cov.documented
        )
        undocumented = "".join(
            f'<span class="st drift" title="answered, but not documented">{s}</span>'
            for s in cov.undocumented
        )
        reasons = sorted({s.reason for s in cov.documented if not s.exercised and s.reason})
        if not cov.in_contract:
            reasons = ["operation not in the current contract"]
        verdicts = (
            "cov-full"
            if cov.total and cov.exercised == cov.total
            else ("cov-none" if not cov.exercised else "cov-part")
        )
        body.append(
            f'<tr data-vendor="{h(cov.vendor)}" data-tag="{h(cov.tag)}" data-search="{h(cov.operation.lower())}">'
            f'<td>{h(cov.vendor)}</td><td class="op"><code>{h(cov.operation)}</code></td>'
            f'<td class="num {verdicts}">{cov.exercised}/{cov.total}</td><td>{chips}</td>'
            f'<td class="small">{h("; ".join(reasons))}</td><td>{undocumented}</td></tr>'
        )
    return (
        '<section id="coverage"><details class="panel"><summary><h2>Coverage of documented status codes</h2>'
        f'<span class="muted small">{len(coverages)} operations · click to expand</span></summary>'
        '<div class="scroll-x"><table class="list"><thead><tr><th>Vendor</th><th>Operation</th>'
        '<th class="num">Exercised</th><th>Documented statuses</th><th>Not exercised because</th>'
        f"<th>Undocumented, answered</th></tr></thead><tbody>{''.join(body)}</tbody></table></div>"
        "</details></section>"
    )


def notes_section(notes: list[str]) -> str:
    if not notes:
        return ""
    items = "".join(f"<li>{h(n)}</li>" for n in notes)
    return f'<section id="notes" class="notes"><h2>Notes</h2><ul>{items}</ul></section>'


def footer() -> str:
    items = "".join(f"<li>{verdict_badge(v)} {h(text)}</li>" for v, text in VERDICT_HELP.items())
    return f'<footer class="wrap"><h2>Verdicts</h2><ul class="legend-list">{items}</ul></footer>'
