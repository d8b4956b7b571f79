"""Run history under DIR/history/ and the trend chart drawn from it."""

from __future__ import annotations

import json
import re
from pathlib import Path

from mlops_conformance.report import append_history, load_summary, parse_summary, render_report
from mlops_conformance.report.history import TrendPoint, load_trend
from mlops_conformance.report.trend import render_sparkline, render_trend

from .factory import make_summary


def test_a_run_is_recorded_under_its_start_time(tmp_path: Path, small_summary: dict) -> None:
    path = append_history(tmp_path, small_summary)
    assert path == tmp_path / "history" / "20261201T235000Z.json"


def test_a_history_entry_is_a_comparable_summary_without_the_bulky_evidence(
    tmp_path: Path, small_summary: dict
) -> None:
    entry = load_summary(append_history(tmp_path, small_summary))
    assert [r.key for r in entry.rows] == [r.key for r in parse_summary(small_summary).rows]
    assert [r.verdict for r in entry.rows] == [r["verdict"] for r in small_summary["rows"]]
    assert all(not r.evidence for r in entry.rows)
    assert set(entry.raw["trend"]) == {"datarobot", "domino"}


def test_recording_the_same_run_twice_keeps_one_entry(tmp_path: Path, small_summary: dict) -> None:
    append_history(tmp_path, small_summary)
    append_history(tmp_path, small_summary)
    assert len(list((tmp_path / "history").glob("*.json"))) == 1


def test_history_keeps_only_the_newest_runs(tmp_path: Path, contracts: dict) -> None:
    for day in range(1, 8):
        append_history(
            tmp_path, make_summary(contracts, seed=day, started=f"2026-11-{day:02d}T01:00:00Z"), keep=3
        )
    names = sorted(p.name for p in (tmp_path / "history").glob("*.json"))
    assert names == ["20261105T010000Z.json", "20261106T010000Z.json", "20261107T010000Z.json"]


def test_the_trend_adds_the_current_run_when_it_was_not_recorded_yet(tmp_path: Path, contracts: dict) -> None:
    append_history(tmp_path, make_summary(contracts, started="2026-11-30T01:00:00Z", limit=3))
    current = parse_summary(make_summary(contracts, started="2026-12-01T01:00:00Z", limit=3))
    points, notes = load_trend(tmp_path, current, {"domino": {"counts": {"pass": 3, "fail": 1}}})
    assert [(p.started, p.vendor) for p in points][-1] == ("2026-12-01T01:00:00Z", "domino")
    assert points[-1].conformance == 75.0
    assert notes == []


def test_a_corrupt_history_entry_is_skipped_with_a_note_in_the_report(
    tmp_path: Path, small_summary: dict, contracts: dict
) -> None:
    (tmp_path / "history").mkdir()
    (tmp_path / "history" / "20261130T000000Z.json").write_text("{not json", encoding="utf-8")
    html = render_report(parse_summary(small_summary), tmp_path, contracts=contracts)
    assert "history entry ignored" in html and "20261130T000000Z.json" in html
    assert '<svg class="trend"' in html


def test_the_trend_plots_conformance_and_coverage_per_vendor_and_run() -> None:
    points = [
        TrendPoint("2026-11-29T00:00:00Z", "datarobot", {"pass": 9, "fail": 1}, 5, 10),
        TrendPoint("2026-11-30T00:00:00Z", "datarobot", {"pass": 8, "fail": 2}, 6, 10),
        TrendPoint("2026-11-30T00:00:00Z", "domino", {"pass": 1, "fail": 1}, None, None),
    ]
    svg = render_trend(points)
    titles = re.findall(r"<title>([^<]*)</title>", svg)
    assert len(titles) == 5  # datarobot: 2 conformance + 2 coverage points; domino: 1 conformance point
    assert "datarobot · 2026-11-30 00:00 · conformance 80.0%" in titles[1]
    assert svg.count("<polyline") == 2  # one line per metric for datarobot; domino has a single point
    assert "2 runs" in svg


def test_an_empty_history_says_so() -> None:
    assert "No runs recorded yet" in render_trend([])


def test_history_entries_are_plain_json(tmp_path: Path, small_summary: dict) -> None:
    data = json.loads(append_history(tmp_path, small_summary).read_text(encoding="utf-8"))
    assert data["run"]["started"] == "2026-12-01T23:50:00Z"
    compact = data["compact"]
    assert compact["columns"] == ["vendor", "operation", "tag", "check", "family", "verdict", "reason"]
    first = dict(zip(compact["columns"], (compact["strings"][i] for i in compact["rows"][0]), strict=True))
    expected = small_summary["rows"][0]
    assert (first["vendor"], first["operation"], first["check"], first["verdict"]) == (
        expected["vendor"],
        expected["operation"],
        expected["check"],
        expected["verdict"],
    )
    assert "evidence" not in json.dumps(data)


def test_a_vendor_card_gets_a_sparkline_once_two_runs_are_recorded() -> None:
    one = [TrendPoint("2026-11-29T00:00:00Z", "domino", {"pass": 9, "fail": 1}, 5, 10)]
    two = one + [TrendPoint("2026-11-30T00:00:00Z", "domino", {"pass": 8, "fail": 2}, 6, 10)]
    assert render_sparkline(one, "domino") == ""
    spark = render_sparkline(two, "domino")
    assert spark.count("<polyline") == 2 and "conformance 80.0% in the latest run" in spark
    assert render_sparkline(two, "datarobot") == ""
