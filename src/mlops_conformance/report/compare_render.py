"""A comparison as Markdown (for pull-request comments) and as a self-contained HTML page."""

from __future__ import annotations

from .compare import Comparison, RowChange, count_deltas
from .layout import document, h, verdict_badge
from .redact import redact_target
from .stats import percent

# A pull-request comment holds at most 65,536 characters: list the first rows of each kind and
# point at the HTML comparison (which lists everything) for the rest.
MAX_REGRESSIONS = 250
MAX_LISTED = 60


def _md(text: object) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _code(text: str) -> str:
    return "`" + text.replace("`", "'") + "`"


def _headline(comparison: Comparison) -> str:
    parts = [
        f"**{len(comparison.regressions)} regression{'s' if len(comparison.regressions) != 1 else ''}**",
        f"{len(comparison.fixes)} fix{'es' if len(comparison.fixes) != 1 else ''}",
        f"{len(comparison.changed)} other change{'s' if len(comparison.changed) != 1 else ''}",
        f"{len(comparison.added)} new row{'s' if len(comparison.added) != 1 else ''}",
        f"{len(comparison.removed)} removed row{'s' if len(comparison.removed) != 1 else ''}",
        f"{comparison.unchanged} unchanged",
    ]
    return " · ".join(parts)


def _md_changes(changes: list[RowChange], limit: int | None) -> list[str]:
    lines = ["| vendor | operation | check | old | new | reason |", "|---|---|---|---|---|---|"]
    shown = changes if limit is None else changes[:limit]
    for c in shown:
        lines.append(
            f"| {_md(c.vendor)} | {_code(_md(c.operation))} | {_code(_md(c.check))} | {c.old or '—'} | "
            f"{c.new or '—'} | {_md(c.reason)[:300]} |"
        )
    if len(shown) < len(changes):
        lines.append(
            f"\n… and {len(changes) - len(shown)} more (the HTML comparison, `--html FILE`, lists all)."
        )
    return lines


def to_markdown(comparison: Comparison) -> str:
    old, new = comparison.old, comparison.new
    out = [f"## Conformance comparison: {', '.join(comparison.vendors)}", ""]
    out += ["| | old | new |", "|---|---|---|"]
    out.append(f"| summary | {_code(old.label)} | {_code(new.label)} |")
    out.append(
        f"| target | {_md(redact_target(old.target) or '—')} | {_md(redact_target(new.target) or '—')} |"
    )
    out.append(f"| started | {_md(old.started or '—')} | {_md(new.started or '—')} |")
    for vendor, (was, now) in comparison.counts.items():
        out.append(f"| conformance, {vendor} | {percent(was.conformance)} | {percent(now.conformance)} |")
        out.append(f"| rows, {vendor} | {was.total} | {now.total} |")
    out += ["", _headline(comparison), ""]
    deltas = count_deltas(comparison)
    if deltas:
        out += ["### Verdict counts", "", "| vendor | verdict | old | new | Δ |", "|---|---|---:|---:|---:|"]
        out += [f"| {v} | {verdict} | {a} | {b} | {b - a:+d} |" for v, verdict, a, b in deltas]
        out.append("")
    sections = (
        ("Regressions: pass, warn or drift → fail or error", comparison.regressions, MAX_REGRESSIONS, False),
        ("Fixes: now pass", comparison.fixes, MAX_LISTED, False),
        ("Other verdict changes", comparison.changed, MAX_LISTED, True),
        ("New rows", comparison.added, MAX_LISTED, True),
        ("Removed rows", comparison.removed, MAX_LISTED, True),
    )
    for title, changes, limit, folded in sections:
        if not changes:
            continue
        if folded:
            out += [f"<details><summary>{title} ({len(changes)})</summary>", ""]
        else:
            out += [f"### {title} ({len(changes)})", ""]
        out += _md_changes(changes, limit)
        out += ["", "</details>", ""] if folded else [""]
    if not comparison.regressions:
        out.append("No regressions.")
    return "\n".join(out).rstrip() + "\n"


def _html_changes(title: str, changes: list[RowChange], open_: bool) -> str:
    if not changes:
        return ""
    rows = "".join(
        f'<tr><td>{h(c.vendor)}</td><td class="op"><code>{h(c.operation)}</code></td><td><code>{h(c.check)}</code></td>'
        f"<td>{verdict_badge(c.old) if c.old else '—'}</td><td>{verdict_badge(c.new) if c.new else '—'}</td>"
        f'<td class="small">{h(c.reason)}</td></tr>'
        for c in changes
    )
    return (
        f'<section><details class="panel"{" open" if open_ else ""}><summary><h2>{h(title)}'
        f' <span class="count">{len(changes)}</span></h2></summary><div class="scroll-x"><table class="list">'
        "<thead><tr><th>Vendor</th><th>Operation</th><th>Check</th><th>Old</th><th>New</th><th>Reason</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></div></details></section>"
    )


def to_html(comparison: Comparison) -> str:
    old, new = comparison.old, comparison.new
    cards = []
    for vendor, (was, now) in comparison.counts.items():
        chips = "".join(
            f'<tr><td>{verdict_badge(v)}</td><td class="num">{was.counts[v]}</td><td class="num">{now.counts[v]}</td>'
            f'<td class="num">{now.counts[v] - was.counts[v]:+d}</td></tr>'
            for v in was.counts
            if was.counts[v] or now.counts[v]
        )
        cards.append(
            f'<article class="card"><h2>{h(vendor)}</h2><div class="figures">'
            f'<div class="figure conf"><span class="label">Conformance, old</span><span class="big">{h(percent(was.conformance))}</span></div>'
            f'<div class="figure cov"><span class="label">Conformance, new</span><span class="big">{h(percent(now.conformance))}</span></div>'
            '</div><table class="tags"><thead><tr><th>Verdict</th><th class="num">Old</th><th class="num">New</th>'
            f'<th class="num">Δ</th></tr></thead><tbody>{chips}</tbody></table></article>'
        )
    status = "regressed" if comparison.regressed else "no regressions"
    body = (
        '<header class="top"><div class="wrap"><div class="title"><h1>Conformance comparison</h1>'
        f'<div class="flags"><span class="flag">{h(status)}</span></div></div><dl class="facts">'
        f"<div><dt>Old</dt><dd>{h(old.label)} · {h(old.started or '—')}</dd></div>"
        f"<div><dt>New</dt><dd>{h(new.label)} · {h(new.started or '—')}</dd></div>"
        f"<div><dt>Target</dt><dd>{h(redact_target(old.target) or '—')} → {h(redact_target(new.target) or '—')}</dd></div>"
        f'</dl><p class="versions">{h(_headline(comparison).replace("**", ""))}</p></div></header>'
        '<main class="wrap"><section><div class="cards">'
        + "".join(cards)
        + "</div></section>"
        + _html_changes("Regressions", comparison.regressions, True)
        + _html_changes("Fixes", comparison.fixes, True)
        + _html_changes("Other verdict changes", comparison.changed, False)
        + _html_changes("New rows", comparison.added, False)
        + _html_changes("Removed rows", comparison.removed, False)
        + "</main>"
    )
    return document(f"Conformance comparison · {', '.join(comparison.vendors)}", body, script=False)
