"""The trend chart: conformance and coverage per vendor over the recorded runs, as inline SVG.

Plain SVG keeps the report one self-contained file that opens offline; every point carries a
``<title>`` so hovering shows the exact figures. Runs are spaced evenly (run order, not wall time):
nightly jobs drift by minutes and a gap of a week is still "the next run".
"""

from __future__ import annotations

from html import escape

from .history import TrendPoint
from .stats import percent

VENDOR_COLOURS = ("#1f5fbf", "#0f8a7a", "#9a4dcc", "#c2561a", "#5b6b7a")

_W, _H = 1200, 230
_LEFT, _RIGHT, _TOP, _BOTTOM = 52, 210, 16, 36


def _when(started: str) -> str:
    text = started.replace("T", " ").rstrip("Z")
    return text[:16] if len(text) >= 16 else text


def _x(index: int, count: int) -> float:
    span = _W - _LEFT - _RIGHT
    return _LEFT + (span / 2 if count == 1 else span * index / (count - 1))


def _y(value: float) -> float:
    return _TOP + (_H - _TOP - _BOTTOM) * (1 - value / 100.0)


def _fmt(value: float) -> str:
    return f"{value:.1f}"


def render_trend(points: list[TrendPoint]) -> str:
    """An ``<svg>`` element plotting ``points`` (already in run order)."""
    runs: list[str] = []
    for point in points:
        if point.started not in runs:
            runs.append(point.started)
    vendors = sorted({p.vendor for p in points})
    if not runs:
        return '<p class="muted">No runs recorded yet.</p>'
    parts = [
        (
            f'<svg class="trend" viewBox="0 0 {_W} {_H}" role="img" aria-label="Conformance and coverage per run"'
            ' xmlns="http://www.w3.org/2000/svg">'
        )
    ]
    for level in (0, 25, 50, 75, 100):
        grid_y = _fmt(_y(level))
        parts.append(f'<line class="grid" x1="{_LEFT}" x2="{_W - _RIGHT}" y1="{grid_y}" y2="{grid_y}"/>')
        parts.append(
            f'<text class="axis" x="{_LEFT - 8}" y="{grid_y}" text-anchor="end" dy="4">{level}%</text>'
        )
    label_every = max(1, (len(runs) + 5) // 6)
    for index, started in enumerate(runs):
        if index % label_every == 0 or index == len(runs) - 1:
            label_x = _fmt(_x(index, len(runs)))
            anchor = (
                "start"
                if index == 0 and len(runs) > 1
                else ("end" if index == len(runs) - 1 and len(runs) > 1 else "middle")
            )
            parts.append(
                f'<text class="axis" x="{label_x}" y="{_H - _BOTTOM + 20}" text-anchor="{anchor}">'
                f"{escape(_when(started))}</text>"
            )
    label_slots: list[float] = []
    for vendor_index, vendor in enumerate(vendors):
        colour = VENDOR_COLOURS[vendor_index % len(VENDOR_COLOURS)]
        mine = {p.started: p for p in points if p.vendor == vendor}
        for metric, css in (("conformance", "line"), ("coverage", "line dashed")):
            coords: list[tuple[float, float, TrendPoint, float]] = []
            for index, started in enumerate(runs):
                found = mine.get(started)
                value = getattr(found, metric) if found is not None else None
                if found is not None and value is not None:
                    coords.append((_x(index, len(runs)), _y(value), found, value))
            if not coords:
                continue
            if len(coords) > 1:
                path = " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y, _, _ in coords)
                parts.append(f'<polyline class="{css}" stroke="{colour}" points="{path}"/>')
            for x, y, point, value in coords:
                tested = sum(
                    point.counts.get(v, 0) for v in ("pass", "fail", "warn", "drift", "xfail", "error")
                )
                title = (
                    f"{vendor} · {_when(point.started)} · {metric} {percent(value)}"
                    f" (pass {point.counts.get('pass', 0)} of {tested} tested;"
                    f" fail {point.counts.get('fail', 0)}, error {point.counts.get('error', 0)})"
                )
                shape = "dot" if metric == "conformance" else "dot hollow"
                parts.append(
                    f'<circle class="{shape}" cx="{_fmt(x)}" cy="{_fmt(y)}" r="4" stroke="{colour}"'
                    f' fill="{colour if metric == "conformance" else "#fff"}"><title>{escape(title)}</title></circle>'
                )
            last_x, last_y, _, last_value = coords[-1]
            slot = last_y
            while any(abs(slot - taken) < 14 for taken in label_slots):
                slot += 14
            label_slots.append(slot)
            parts.append(
                f'<text class="end-label" x="{_fmt(last_x + 10)}" y="{_fmt(slot)}" dy="4" fill="{colour}">'
                f"{percent(last_value)} {escape(vendor)} {'conformance' if metric == 'conformance' else 'coverage'}</text>"
            )
    parts.append("</svg>")
    legend = ['<div class="legend">']
    for vendor_index, vendor in enumerate(vendors):
        colour = VENDOR_COLOURS[vendor_index % len(VENDOR_COLOURS)]
        legend.append(f'<span><i class="swatch" style="background:{colour}"></i>{escape(vendor)}</span>')
    legend.append('<span><i class="key solid"></i>conformance</span>')
    legend.append('<span><i class="key dashed"></i>coverage of documented status codes</span>')
    legend.append(f'<span class="muted">{len(runs)} run{"s" if len(runs) != 1 else ""}</span></div>')
    return "".join(parts) + "".join(legend)


def render_sparkline(points: list[TrendPoint], vendor: str) -> str:
    """A small chart of one vendor's last runs for its headline card (empty before two runs)."""
    mine = [p for p in points if p.vendor == vendor][-30:]
    if len(mine) < 2:
        return ""
    width, height, pad = 200, 52, 5
    # A sparkline shows movement, so its scale hugs the values (at least ten points tall).
    values = [v for p in mine for v in (p.conformance, p.coverage) if v is not None]
    low, high = max(0.0, min(values, default=0.0) - 2), min(100.0, max(values, default=100.0) + 2)
    if high - low < 10:
        low = max(0.0, min((low + high) / 2 - 5, 90.0))
        high = low + 10

    def coords(metric: str) -> list[tuple[float, float, float]]:
        found = []
        for index, point in enumerate(mine):
            value = getattr(point, metric)
            if value is not None:
                x = pad + (width - 2 * pad) * index / (len(mine) - 1)
                found.append((x, pad + (height - 2 * pad) * (high - value) / (high - low), value))
        return found

    label = f"{vendor}: conformance and coverage over the last {len(mine)} runs"
    svg = f'<svg class="spark" viewBox="0 0 {width} {height}" role="img" xmlns="http://www.w3.org/2000/svg"'
    parts = [f'{svg} aria-label="{escape(label)}">']
    for metric, css in (("conformance", "conf"), ("coverage", "cov")):
        line = coords(metric)
        if len(line) > 1:
            parts.append(
                f'<polyline class="{css}" points="{" ".join(f"{_fmt(x)},{_fmt(y)}" for x, y, _ in line)}"/>'
            )
        if line:
            x, y, value = line[-1]
            parts.append(
                f'<circle class="{css}" cx="{_fmt(x)}" cy="{_fmt(y)}" r="2.5">'
                f"<title>{escape(metric)} {percent(value)} in the latest run</title></circle>"
            )
    parts.append("</svg>")
    return (
        f'<div class="sparkwrap">{"".join(parts)}<span class="muted small">last {len(mine)} runs</span></div>'
    )
