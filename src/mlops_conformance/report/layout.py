"""The HTML shell shared by the report and the comparison page: one file, nothing fetched.

CSS and JavaScript live as package data under ``report/assets/`` (real files an editor can lint)
and are inlined here, so the page opens from disk with no network at all.
"""

from __future__ import annotations

import base64
import gzip
import json
from functools import cache
from html import escape
from importlib import resources
from typing import Any

from .summary import VERDICTS

VERDICT_HELP = {
    "pass": "the target kept the documented rule",
    "fail": "the target broke a documented rule",
    "warn": "the target broke an inferred rule or a SHOULD (fails only with --strict)",
    "drift": "the target answered something the docs do not mention (never fails a run)",
    "skip": "not run, with a reason (read-only mode, no example, ...)",
    "xfail": "a known failure, listed with reason and expiry",
    "error": "the target could not be tested (timeout, connection refused, garbage)",
    "docs": "the documentation contradicts itself; reported against the docs, not the target",
}


@cache
def asset(name: str) -> str:
    """The text of ``report/assets/<name>``."""
    return resources.files(__package__).joinpath("assets", name).read_text(encoding="utf-8")


def h(value: Any) -> str:
    """HTML-escape anything (``None`` becomes the empty string)."""
    return "" if value is None else escape(str(value), quote=True)


def json_for_script(data: Any) -> str:
    """JSON safe to embed in ``<script type="application/json">`` (no ``</script>`` can occur)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def pack_for_script(data: Any) -> str:
    """``data`` as gzip-compressed JSON in base64, for a ``<script type="application/octet-stream">``.

    The page inflates it with the browser's ``DecompressionStream``; base64 has no ``<``, so no
    ``</script>`` can occur. ``mtime=0`` keeps a report byte-identical for identical input.
    """
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8")
    return base64.b64encode(gzip.compress(raw, compresslevel=9, mtime=0)).decode("ascii")


def unpack_from_script(text: str) -> Any:
    """The inverse of ``pack_for_script`` (what the page's script does), for tests and tools."""
    return json.loads(gzip.decompress(base64.b64decode(text.strip())).decode("utf-8"))


def verdict_badge(verdict: str, count: int | None = None) -> str:
    suffix = f" <b>{count}</b>" if count is not None else ""
    return f'<span class="badge v-{h(verdict)}" title="{h(VERDICT_HELP.get(verdict, ""))}">{h(verdict)}{suffix}</span>'


def stacked_bar(counts: dict[str, int]) -> str:
    """A horizontal bar with one segment per verdict, widths proportional to the counts."""
    total = sum(counts.values())
    if not total:
        return '<div class="stack empty"></div>'
    segments = []
    for verdict in VERDICTS:
        n = counts.get(verdict, 0)
        if n:
            segments.append(
                f'<i class="v-{verdict}" style="width:{100.0 * n / total:.3f}%" title="{verdict}: {n}"></i>'
            )
    return f'<div class="stack">{"".join(segments)}</div>'


def document(
    title: str, body: str, data: Any | None = None, script: bool = True, packed: Any | None = None
) -> str:
    """A complete, self-contained HTML document.

    ``data`` is embedded as plain JSON (``#report-data``, read at once), ``packed`` compressed
    (``#report-data-z``, inflated by the script in the background).
    """
    data_tag = (
        f'<script type="application/json" id="report-data">{json_for_script(data)}</script>'
        if data is not None
        else ""
    )
    if packed is not None:
        data_tag += (
            '<script type="application/octet-stream" id="report-data-z" data-encoding="gzip+base64">'
            f"{pack_for_script(packed)}</script>"
        )
    script_tag = f"<script>{asset('report.js')}</script>" if script else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="color-scheme" content="light">'
        f"<title>{h(title)}</title><style>{asset('report.css')}</style></head>"
        f"<body>{body}{data_tag}{script_tag}</body></html>\n"
    )
