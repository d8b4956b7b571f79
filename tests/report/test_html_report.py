"""The HTML report as a file: self-contained, one matrix row per operation, faithful counts, safe text."""

from __future__ import annotations

import json
import os
import re
import stat
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from mlops_conformance.report import parse_summary, render_report, write_html
from mlops_conformance.report.layout import unpack_from_script
from mlops_conformance.report.matrix_html import unpacked_rows
from mlops_conformance.resources import sources_dir

from .factory import make_summary, write_summary


class _Scan(HTMLParser):
    """Collects the elements of interest from a rendered page."""

    def __init__(self) -> None:
        super().__init__()
        self.op_rows: list[dict[str, str | None]] = []
        self.buttons: list[dict[str, str | None]] = []
        self.scripts: list[str] = []
        self._in_script = False
        self._script_attrs: dict[str, str | None] = {}
        self.data: Any = None
        self.packed: Any = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        classes = (attr.get("class") or "").split()
        if tag == "tr" and "op" in classes:
            self.op_rows.append(attr)
        if tag == "button":
            self.buttons.append(attr)
        if tag == "script":
            self._in_script, self._script_attrs = True, attr

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            if self._script_attrs.get("id") == "report-data":
                self.data = json.loads(data)
            if self._script_attrs.get("id") == "report-data-z":
                self.packed = unpack_from_script(data)
            self.scripts.append(data)


def _scan(html: str) -> _Scan:
    """The page's elements, its data as the script sees it once the packed evidence is inflated."""
    scan = _Scan()
    scan.feed(html)
    if scan.data is not None:
        scan.data["rows"] = unpacked_rows(scan.data, scan.packed)
    return scan


@pytest.fixture(scope="module")
def page(full_summary: dict, contracts: dict, tmp_path_factory: pytest.TempPathFactory) -> str:
    return render_report(parse_summary(full_summary), tmp_path_factory.mktemp("page"), contracts=contracts)


def test_the_page_fetches_nothing(page: str) -> None:
    assert "<link" not in page
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "@import" not in page and "url(" not in page
    assert "<script src" not in page


def test_the_matrix_has_one_row_per_operation_of_the_run(page: str, full_summary: dict) -> None:
    operations = {(r["vendor"], r["operation"]) for r in full_summary["rows"]}
    rows = _scan(page).op_rows
    assert len(rows) == len(operations)
    assert {(r["data-vendor"], r["data-operation"]) for r in rows} == operations


def test_every_row_of_the_summary_sits_in_exactly_one_matrix_cell(page: str, full_summary: dict) -> None:
    cells = [b for b in _scan(page).buttons if "cell" in (b.get("class") or "").split()]
    indices = [int(i) for b in cells for i in (b["data-rows"] or "").split()]
    assert sorted(indices) == list(range(len(full_summary["rows"])))


def test_the_verdict_filter_shows_the_summary_counts(page: str, full_summary: dict) -> None:
    expected = Counter(r["verdict"] for r in full_summary["rows"])
    for button in _scan(page).buttons:
        if "vbtn" in (button.get("class") or "").split():
            verdict = button["data-verdict"]
            shown = re.search(rf'data-verdict="{verdict}"[^>]*>{verdict} <b>(\d+)</b>', page)
            assert shown and int(shown.group(1)) == expected.get(verdict, 0)


def test_a_cell_drill_down_carries_the_documentation_line_it_comes_from(
    page: str, full_summary: dict
) -> None:
    data = _scan(page).data
    index, row = next(
        (i, r) for i, r in enumerate(full_summary["rows"]) if r["evidence"]["source"]["line"] > 1
    )
    source = row["evidence"]["source"]
    shown = data["rows"][str(index)]
    assert shown["source"] == f"{source['document']}:{source['line']}"
    real_line = (
        (sources_dir() / source["document"]).read_text(encoding="utf-8").splitlines()[source["line"] - 1]
    )
    assert [source["line"], real_line[:400]] in shown["lines"]


def test_known_failures_list_each_xfail_with_its_expiry(page: str, full_summary: dict) -> None:
    known = page[page.index('id="known"') : page.index('id="coverage"')]
    xfails = [r for r in full_summary["rows"] if r["verdict"] == "xfail"]
    assert known.count("<tr data-vendor=") == len(xfails)
    assert known.count("2026-12-10 · in 9 d") == len(xfails)  # the run started 2026-12-01


def test_an_expired_known_failure_is_flagged(contracts: dict, tmp_path: Path) -> None:
    document = make_summary(contracts, started="2027-02-01T00:00:00Z", limit=12)
    html = render_report(parse_summary(document), tmp_path, contracts=contracts)
    assert "expired 53 d ago" in html and "exp-past" in html


def test_hostile_evidence_is_shown_as_text_and_never_becomes_markup(
    small_summary: dict, contracts: dict, tmp_path: Path
) -> None:
    hostile = "</script><script>alert(1)</script><img src=x onerror=alert(2)>"
    row = small_summary["rows"][0]
    row["evidence"]["response"] = {"status": 200, "headers": {}, "body_excerpt": hostile}
    row["reason"] = hostile
    row["verdict"] = "xfail"
    html = render_report(parse_summary(small_summary), tmp_path, contracts=contracts)
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert _scan(html).data["rows"]["0"]["response"]["body"] == hostile


def test_credentials_in_evidence_are_redacted_again(
    small_summary: dict, contracts: dict, tmp_path: Path
) -> None:
    row = small_summary["rows"][0]
    row["evidence"]["request"] = {
        "method": "GET",
        "url": "http://user:pw-9f8e7d@127.0.0.1:5555/api/v2/useCases/?api_key=k-1a2b3c4d&limit=5",
        "headers": {
            "Authorization": "Bearer tok-5e6f7a8b",
            "X-Domino-Api-Key": "dom-0c1d2e3f",
            "Accept": "application/json",
        },
    }
    html = render_report(parse_summary(small_summary), tmp_path, contracts=contracts)
    for secret in ("pw-9f8e7d", "k-1a2b3c4d", "tok-5e6f7a8b", "dom-0c1d2e3f"):
        assert secret not in html
    assert _scan(html).data["rows"]["0"]["request"]["url"].endswith("?api_key=[redacted]&limit=5")


def test_the_headline_shows_conformance_and_coverage_per_vendor(page: str, full_summary: dict) -> None:
    rows = [r for r in full_summary["rows"] if r["vendor"] == "domino"]
    counts = Counter(r["verdict"] for r in rows)
    tested = sum(counts[v] for v in ("pass", "fail", "warn", "drift", "xfail", "error"))
    card = page[page.index('<article class="card" data-vendor="domino">') :]
    card = card[: card.index("</article>")]
    assert f"{100 * counts['pass'] / tested:.1f}%" in card
    assert f"{counts['pass']} of {tested} tested rows pass" in card
    assert "documented status codes exercised" in card


def test_write_html_writes_index_html_next_to_the_summary(tmp_path: Path, small_summary: dict) -> None:
    write_summary(tmp_path, small_summary)
    path = write_html(tmp_path)
    assert path == tmp_path / "index.html"
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_the_written_report_is_readable_by_others(tmp_path: Path, small_summary: dict) -> None:
    write_summary(tmp_path, small_summary)
    previous = os.umask(0o022)
    try:
        path = write_html(tmp_path)
    finally:
        os.umask(previous)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_each_tag_group_of_the_matrix_carries_its_conformance_and_coverage(
    page: str, full_summary: dict
) -> None:
    rows = [r for r in full_summary["rows"] if r["vendor"] == "datarobot" and r["tag"] == "Use Cases"]
    counts = Counter(r["verdict"] for r in rows)
    tested = sum(counts[v] for v in ("pass", "fail", "warn", "drift", "xfail", "error"))
    group = page[page.index('<tr class="group" data-group="datarobot|Use Cases">') :]
    group = group[: group.index("</tr>")]
    assert f"conformance <b>{100 * counts['pass'] / tested:.1f}%</b>" in group


def test_the_drill_down_keeps_every_failure_detail_and_the_transport_error(
    small_summary: dict, contracts: dict, tmp_path: Path
) -> None:
    row = small_summary["rows"][0]
    row["verdict"] = "error"
    row["evidence"].update(
        {"details": [f"detail {n}" for n in range(12)], "error": "connection reset", "requests_judged": 7}
    )
    data = _scan(render_report(parse_summary(small_summary), tmp_path, contracts=contracts)).data["rows"]["0"]
    assert data["details"] == [f"detail {n}" for n in range(10)]
    assert (data["error"], data["judged"]) == ("connection reset", 7)
