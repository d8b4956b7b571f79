"""The matrix section: filter bar, the operation x family table, and the drill-down drawer.

The table is rendered here, server side, so the page is complete without JavaScript (and a DOM dump
counts it); the script only filters rows and fills the drawer from the embedded evidence data.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from .coverage import OperationCoverage, coverage_totals
from .doclines import DocLines
from .layout import h, stacked_bar
from .matrix import MatrixRow, cell_index, evidence_data
from .stats import CONFORMANCE_RULE, Tally, percent
from .summary import VERDICTS, Row

FAMILY_TITLES = {
    "schema": "status code, body schema, content type, headers",
    "examples": "documented examples against their own schemas",
    "pagination": "page size, walk without gaps or duplicates, totals, links",
    "lifecycle": "create, get, list, update, delete",
    "errors": "negative inputs answer 4xx, never 5xx",
    "auth": "no or wrong token answers 401/403",
}


def _toolbar(matrix: list[MatrixRow], rows: list[Row]) -> str:
    vendors = sorted({m.vendor for m in matrix})
    tags = sorted({m.tag for m in matrix}, key=str.lower)
    counts = Counter(r.verdict for r in rows)
    vendor_options = "".join(f'<option value="{h(v)}">{h(v)}</option>' for v in vendors)
    tag_options = "".join(f'<option value="{h(t)}">{h(t)}</option>' for t in tags)
    buttons = "".join(
        f'<button type="button" class="vbtn v-{v}" data-verdict="{v}" aria-pressed="false"'
        f"{' disabled' if not counts.get(v) else ''}>{v} <b>{counts.get(v, 0)}</b></button>"
        for v in VERDICTS
    )
    return (
        '<div class="toolbar" role="search"><div class="bar">'
        '<input type="search" id="f-text" placeholder="Filter by path, check or reason  ( / )" aria-label="Filter text">'
        f'<select id="f-vendor" aria-label="Vendor"><option value="">all vendors</option>{vendor_options}</select>'
        f'<select id="f-tag" aria-label="Tag"><option value="">all tags</option>{tag_options}</select>'
        '<button type="button" id="f-problems" class="plain">problems only</button>'
        '<button type="button" id="f-reset" class="plain">reset</button></div>'
        f'<div class="bar"><div class="vbtns" role="group" aria-label="Verdicts">{buttons}</div>'
        f'<span id="f-count" class="muted small">{len(matrix)} of {len(matrix)} operations</span></div>'
        "</div>"
    )


def _search_text(entry: MatrixRow) -> str:
    words = [entry.operation, entry.summary, entry.tag]
    for row in entry.rows:
        words.extend((row.check, row.reason))
    # Each check id and reason once: many rows of one operation share them.
    return " ".join(dict.fromkeys(w.lower() for w in words if w))


def _cell(entry: MatrixRow, family: str, op_index: int) -> str:
    cell = entry.cells.get(family)
    if cell is None:
        return '<td class="c none" title="no check of this family for this operation">·</td>'
    verdict = cell.verdict
    n = len(cell.rows)
    tally = Counter(r.verdict for r in cell.rows)
    breakdown = ", ".join(f"{v} {tally[v]}" for v in VERDICTS if tally[v])
    title = f"{family}: {breakdown}"  # the row's header names the operation
    ids = " ".join(str(r.index) for r in cell.rows)
    verdicts = " ".join(sorted(tally))
    more = f"<small>{n}</small>" if n > 1 else ""
    return (
        f'<td class="c"><button type="button" class="cell v-{verdict}" data-op="{op_index}" data-family="{h(family)}"'
        f' data-rows="{ids}" data-verdicts="{verdicts}" title="{h(title)}">{verdict}{more}</button></td>'
    )


def _coverage_cell(entry: MatrixRow, op_index: int) -> str:
    cov = entry.coverage
    if cov is None or not cov.total:
        label = "n/a" if cov is None else "none documented"
        return f'<td class="c cov"><span class="muted small">{label}</span></td>'
    ratio = cov.exercised / cov.total
    css = "cov-full" if ratio == 1 else ("cov-none" if ratio == 0 else "cov-part")
    extra = (
        f' <em title="undocumented statuses answered">+{len(cov.undocumented)}</em>'
        if cov.undocumented
        else ""
    )
    return (
        f'<td class="c cov"><button type="button" class="covbtn {css}" data-op="{op_index}" data-coverage="1"'
        f' title="{cov.exercised} of {cov.total} documented status codes exercised">'
        f'<span class="meter"><i style="width:{100 * ratio:.0f}%"></i></span>{cov.exercised}/{cov.total}{extra}</button></td>'
    )


def _group_head(
    vendor: str, tag: str, entries: list[MatrixRow], coverages: list[OperationCoverage], span: int
) -> str:
    """A vendor/tag group's header row, carrying that tag's headline figures."""
    tally = Tally.of(r for entry in entries for r in entry.rows)
    cov = coverage_totals(coverages, vendor=vendor, tag=tag)
    figures = (
        f'<span class="gfig" title="{h(CONFORMANCE_RULE)}">conformance <b>{h(percent(tally.conformance))}</b></span>'
        f'<span class="gfig" title="documented status codes exercised">coverage <b>{h(percent(cov.percent))}</b></span>'
        f'<span class="gbar">{stacked_bar(tally.counts)}</span>'
    )
    return (
        f'<tr class="group" data-group="{h(vendor)}|{h(tag)}"><th colspan="{span}" scope="rowgroup"><div class="ghead">'
        f'<span><span class="vendor">{h(vendor)}</span> {h(tag)} <span class="muted">({len(entries)})</span></span>'
        f"{figures}</div></th></tr>"
    )


def op_indices(matrix: list[MatrixRow]) -> dict[tuple[str, str], int]:
    """(vendor, operation) -> the ``data-op`` index its matrix row gets (display order)."""
    order = [entry for entries in cell_index(matrix).values() for entry in entries]
    return {(entry.vendor, entry.operation): index for index, entry in enumerate(order)}


def render_matrix(
    matrix: list[MatrixRow], families: list[str], rows: list[Row], coverages: list[OperationCoverage]
) -> str:
    head = "".join(
        f'<th scope="col" class="fam" title="{h(FAMILY_TITLES.get(f, f))}">{h(f)}</th>' for f in families
    )
    body: list[str] = []
    op_index = 0
    span = len(families) + 2
    for (vendor, tag), entries in cell_index(matrix).items():
        body.append(_group_head(vendor, tag, entries, coverages, span))
        for entry in entries:
            verdicts = " ".join(sorted({r.verdict for r in entry.rows}))
            summary = f'<span class="sum">{h(entry.summary)}</span>' if entry.summary else ""
            deprecated = (
                '<span class="dep" title="deprecated in the docs">deprecated</span>'
                if entry.deprecated
                else ""
            )
            body.append(
                f'<tr class="op" data-op="{op_index}" data-vendor="{h(vendor)}" data-operation="{h(entry.operation)}" data-tag="{h(tag)}"'
                f' data-group="{h(vendor)}|{h(tag)}" data-verdicts="{verdicts}" data-search="{h(_search_text(entry))}">'
                f'<th scope="row" class="opname"><span class="m m-{h(entry.method.lower())}">{h(entry.method)}</span>'
                f"<code>{h(entry.path)}</code>{deprecated}{summary}</th>"
                + "".join(_cell(entry, f, op_index) for f in families)
                + _coverage_cell(entry, op_index)
                + "</tr>"
            )
            op_index += 1
    return (
        '<section id="matrix-section"><h2>Operations × check families</h2>'
        + _toolbar(matrix, rows)
        + '<div class="matrix-wrap"><table id="matrix" class="matrix"><thead><tr>'
        f'<th scope="col" class="opcol">Operation</th>{head}<th scope="col" class="fam">statuses</th></tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
        '<p id="f-empty" class="muted" hidden>No operation matches these filters.</p></div>'
        '<aside id="drawer" class="drawer" hidden aria-live="polite"><div class="drawer-head">'
        '<div><div id="d-kicker" class="muted small"></div><h3 id="d-title"></h3></div>'
        '<button type="button" id="d-close" class="plain" aria-label="Close">✕</button></div>'
        '<div id="d-body"></div></aside></section>'
    )


# The evidence of the first problems the page lists travels as plain JSON, usable at once (and in a
# browser without DecompressionStream); every other row's evidence is packed (gzip + base64) and
# inflated by the page in the background.
MAX_PLAIN_ROWS = 50


def matrix_data(
    matrix: list[MatrixRow],
    rows: list[Row],
    doclines: DocLines,
    pack: bool = True,
    plain: set[int] | None = None,
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The JSON the page's script reads, as ``(plain, packed)``.

    ``plain``: per operation its name, tag and summary (``ops``) and the evidence of the rows whose
    index is in ``plain`` (``rows``). ``packed``: the evidence of every other row, ordered by
    operation (so that gzip finds the repeats of one operation close together), the documentation
    excerpts stored once per source line (``docs``) instead of once per row, and each operation's
    status-code coverage (``coverage``, by operation index). ``pack=False`` puts everything in
    ``plain`` (the former, uncompressed page; the benchmark's baseline) and gives ``None``.
    """
    source_of = {(m.vendor, m.operation): m.source for m in matrix}
    position = {key: n for n, key in enumerate((m.vendor, m.operation) for m in matrix)}
    chosen = plain or set()
    plain_rows: dict[str, Any] = {}
    packed_rows: dict[str, Any] = {}
    docs: dict[str, Any] = {}
    ordered = sorted(
        rows, key=lambda r: (position.get((r.vendor, r.operation), len(position)), r.family, r.index)
    )
    for row in ordered if pack else rows:
        shown = evidence_data(row, doclines, source_of.get((row.vendor, row.operation)))
        if not pack or row.index in chosen:
            plain_rows[str(row.index)] = shown
            continue
        lines = shown.pop("lines", None)
        if lines is not None:
            docs.setdefault(shown["source"], lines)
        packed_rows[str(row.index)] = shown
    ops: list[dict[str, Any]] = []
    coverage: list[Any] = []
    for entry in matrix:
        cov = entry.coverage
        ops.append(
            {"vendor": entry.vendor, "operation": entry.operation, "tag": entry.tag, "summary": entry.summary}
        )
        coverage.append(
            [
                [[s.status, s.exercised, s.reason] for s in cov.documented] if cov else [],
                list(cov.undocumented) if cov else [],
            ]
        )
    if not pack:
        for op, (documented, undocumented) in zip(ops, coverage, strict=True):
            op.update(documented=documented, undocumented=undocumented)
        return {"rows": plain_rows, "ops": ops}, None
    return {"rows": plain_rows, "ops": ops}, {"rows": packed_rows, "docs": docs, "coverage": coverage}


def unpacked_rows(plain: dict[str, Any], packed: dict[str, Any] | None) -> dict[str, Any]:
    """Every row's drill-down data as the page sees it once inflated (doc excerpts re-attached)."""
    merged = dict(plain.get("rows", {}))
    docs = (packed or {}).get("docs", {})
    for index, shown in (packed or {}).get("rows", {}).items():
        full = dict(shown)
        if "lines" not in full and full.get("source") in docs:
            full["lines"] = docs[full["source"]]
        merged[index] = full
    return merged
