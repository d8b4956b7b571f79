"""Lean reports: compact history entries that compare still reads, a packed page within its size
budget for a run of ~4,400 rows, and the problems first when anything failed."""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from mlops_conformance.cli import cli
from mlops_conformance.report import append_history, compare, load_summary, parse_summary, render_report
from mlops_conformance.report.history import compact_rows
from mlops_conformance.report.layout import unpack_from_script
from mlops_conformance.report.matrix_html import MAX_PLAIN_ROWS
from mlops_conformance.report.page import write_html
from mlops_conformance.report.sections import problem_rows

from .browser import DomScan, dump_dom
from .factory import make_summary, write_summary

MAX_INDEX_BYTES = 1_500_000
MAX_REPORT_DIR_BYTES = 10_000_000


def _regressed(document: dict[str, Any], started: str) -> tuple[dict[str, Any], tuple[str, str, str]]:
    """A later run of ``document`` in which its first passing row fails."""
    later = copy.deepcopy(document)
    later["run"]["started"] = started
    row = next(r for r in later["rows"] if r["verdict"] == "pass")
    row["verdict"], row["reason"] = "fail", "Received: 500"
    return later, (row["vendor"], row["operation"], row["check"])


def test_compare_reads_two_compact_history_entries(tmp_path: Path, small_summary: dict) -> None:
    later, key = _regressed(small_summary, "2026-12-02T23:50:00Z")
    old = append_history(tmp_path, small_summary)
    new = append_history(tmp_path, later)
    comparison = compare(load_summary(old), load_summary(new))
    assert [(c.key, c.old, c.new, c.reason) for c in comparison.regressions] == [
        (key, "pass", "fail", "Received: 500")
    ]
    assert (
        comparison.unchanged
        == len({tuple(r[k] for k in ("vendor", "operation", "check")) for r in later["rows"]}) - 1
    )
    result = CliRunner().invoke(cli, ["compare", str(old), str(new)])
    assert result.exit_code == 1, result.output


def test_compare_reads_a_full_summary_against_a_history_entry(tmp_path: Path, small_summary: dict) -> None:
    later, key = _regressed(small_summary, "2026-12-02T23:50:00Z")
    old = append_history(tmp_path / "a", small_summary)
    new = write_summary(tmp_path / "b", later)
    comparison = compare(load_summary(old), load_summary(new))
    assert [c.key for c in comparison.regressions] == [key]
    assert compare(load_summary(new), load_summary(old)).fixes[0].key == key
    result = CliRunner().invoke(cli, ["compare", str(old), str(tmp_path / "b")])
    assert result.exit_code == 1, result.output


def test_a_history_entry_keeps_what_trend_and_compare_need_and_nothing_else(
    tmp_path: Path, full_summary: dict
) -> None:
    path = append_history(tmp_path, full_summary)
    entry = json.loads(path.read_bytes())
    assert set(entry) == {"run", "trend", "compact"}
    parsed = load_summary(path)
    original = parse_summary(full_summary)
    assert [(r.key, r.verdict, r.family, r.tag, r.reason) for r in parsed.rows] == [
        (r.key, r.verdict, r.family, r.tag, r.reason) for r in original.rows
    ]
    assert path.stat().st_size < 40 * len(full_summary["rows"]) + 10_000


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        ({"format": "rows-compact/99"}, "unknown compact row format"),
        ({"rows": [[0, 1]]}, "expected 7 indices"),
        ({"rows": [[0, 1, 2, 3, 4, 5, 999]]}, "outside the string table"),
        ({"rows": [[0, 1, 2, 3, 4, 5, -1]]}, "outside the string table"),
    ],
)
def test_a_damaged_compact_entry_is_a_one_line_error(
    tmp_path: Path, small_summary: dict, broken: dict, message: str
) -> None:
    from mlops_conformance.errors import ReportError

    entry = json.loads(append_history(tmp_path, small_summary).read_bytes())
    entry["compact"].update(broken)
    with pytest.raises(ReportError, match=message):
        parse_summary(entry)


def test_compact_rows_store_each_string_once(small_summary: dict) -> None:
    compact = compact_rows(parse_summary(small_summary).rows)
    assert compact["strings"][0] == "" and len(set(compact["strings"])) == len(compact["strings"])


def _realistic(contracts: dict, rows_wanted: int = 4400) -> dict[str, Any]:
    """A synthetic run shaped like a full run against the mock: ~4,400 rows, evidence of the same
    weight (full request and response headers, bodies of a few hundred bytes with random ids, one
    sample per operation and family as the suites share them), and more failures than a real run."""
    document = make_summary(contracts, seed=11)
    rng = random.Random(3)
    base = document["rows"]
    rows = []
    samples: dict[tuple[str, str, str], str] = {}
    suffixes = ("", ".second", ".third")
    for suffix in suffixes:
        for row in base:
            if len(rows) >= rows_wanted:
                break
            copy_ = copy.deepcopy(row)
            copy_["check"] += suffix
            evidence = copy_["evidence"]
            if "request" in evidence:
                evidence["request"]["headers"] = {
                    "host": "127.0.0.1:36991",
                    "accept-encoding": "gzip, deflate",
                    "connection": "keep-alive",
                    "user-agent": "mlops-conformance",
                    "accept": "application/json, */*;q=0.5",
                    "authorization": "[REDACTED]",
                }
                evidence["response"]["headers"] = {
                    "date": f"Sun, 06 Dec 2026 19:{rng.randrange(60):02d}:{rng.randrange(60):02d} GMT",
                    "content-length": str(rng.randrange(100, 900)),
                    "content-type": "application/json",
                }
                items = [
                    {
                        "id": f"{rng.getrandbits(96):024x}",
                        "name": f"mlops-conformance-{rng.randrange(10**6)}",
                        "created": "2026-12-06T19:40:45Z",
                    }
                    for _ in range(rng.randrange(1, 5))
                ]
                sample = (copy_["vendor"], copy_["operation"], copy_["family"])
                body = samples.setdefault(sample, json.dumps({"count": len(items), "data": items}))
                evidence["response"]["body_excerpt"] = body
            rows.append(copy_)
    document["rows"] = rows
    return document


@pytest.fixture(scope="module")
def big_report(contracts: dict, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    document = _realistic(contracts)
    directory = tmp_path_factory.mktemp("big")
    write_summary(directory, document)
    append_history(directory, document, contracts=contracts)
    write_html(directory)
    return directory, document


def test_a_full_runs_report_fits_its_size_budget(big_report: tuple[Path, dict]) -> None:
    directory, document = big_report
    assert len(document["rows"]) >= 4000
    index = (directory / "index.html").stat().st_size
    total = sum(p.stat().st_size for p in directory.rglob("*") if p.is_file())
    assert index <= MAX_INDEX_BYTES, f"index.html is {index:,} bytes"
    assert total <= MAX_REPORT_DIR_BYTES, f"the report directory is {total:,} bytes"


def test_the_packed_page_still_carries_every_rows_evidence(big_report: tuple[Path, dict]) -> None:
    directory, document = big_report
    html = (directory / "index.html").read_text(encoding="utf-8")
    plain = json.loads(html.split('id="report-data">', 1)[1].split("</script>", 1)[0])
    packed = unpack_from_script(
        html.split('id="report-data-z" data-encoding="gzip+base64">', 1)[1].split("</script>", 1)[0]
    )
    assert set(plain["rows"]) | set(packed["rows"]) == {str(i) for i in range(len(document["rows"]))}
    assert not set(plain["rows"]) & set(packed["rows"])
    listed_first = problem_rows(parse_summary(document))[:MAX_PLAIN_ROWS]
    assert set(plain["rows"]) == {str(r.index) for r in listed_first}, "the first problems' evidence is plain"
    assert all("lines" not in shown for shown in packed["rows"].values())
    assert all(shown["source"] in packed["docs"] for shown in packed["rows"].values() if "source" in shown)


def test_when_anything_failed_the_page_opens_on_the_problems(
    small_summary: dict, contracts: dict, tmp_path: Path
) -> None:
    failing = [(i, r) for i, r in enumerate(small_summary["rows"]) if r["verdict"] in ("fail", "error")]
    assert failing
    html = render_report(parse_summary(small_summary), tmp_path, contracts=contracts)
    problems = html[
        html.index('<section id="problems"') : html.index("</section>", html.index('<section id="problems"'))
    ]
    assert html.index('id="problems"') < html.index('id="headline"') < html.index('id="matrix-section"')
    assert problems.count("<tr data-vendor=") == len(failing)
    for index, row in failing:
        assert f'data-rows="{index}"' in problems and row["check"] in problems
    assert '<a href="#problems"' in html


def test_a_clean_run_has_no_problems_section(small_summary: dict, contracts: dict, tmp_path: Path) -> None:
    for row in small_summary["rows"]:
        if row["verdict"] in ("fail", "error"):
            row["verdict"] = "pass"
    html = render_report(parse_summary(small_summary), tmp_path, contracts=contracts)
    assert 'id="problems"' not in html and 'href="#problems"' not in html


def test_in_chromium_a_packed_rows_evidence_and_documentation_lines_reach_the_drawer(
    small_summary: dict, tmp_path: Path
) -> None:
    write_summary(tmp_path, small_summary)
    page = write_html(tmp_path)
    html = page.read_text(encoding="utf-8")
    packed = unpack_from_script(html.split('data-encoding="gzip+base64">', 1)[1].split("</script>", 1)[0])
    index = next(i for i in packed["rows"] if packed["rows"][i].get("source") in packed["docs"])
    row = small_summary["rows"][int(index)]
    op = DomScan(html).op_rows
    position = next(
        n
        for n, attrs in enumerate(op)
        if (attrs["data-vendor"], attrs["data-operation"]) == (row["vendor"], row["operation"])
    )
    dom = DomScan(dump_dom(page, f"open={position}:{row['family']}"))
    assert dom.root.get("data-ready") == "1" and dom.root.get("data-ready-ms")
    text = " ".join(dom.drawer_text)
    assert row["check"] in text
    excerpt_line = packed["docs"][packed["rows"][index]["source"]][0][1].strip()
    assert excerpt_line[:60] in text, "the documentation excerpt (stored once, in docs) was not shown"
    assert "loading evidence" not in text
