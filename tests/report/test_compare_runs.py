"""Release comparison: regressions, fixes, new and removed rows, counts; exit codes of `compare`."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlops_conformance.cli import cli
from mlops_conformance.errors import ReportError
from mlops_conformance.report import compare, parse_summary
from mlops_conformance.report.compare_render import to_markdown

from .factory import write_summary


def _set(document: dict, index: int, verdict: str) -> tuple[str, str, str]:
    row = document["rows"][index]
    row["verdict"] = verdict
    return (row["vendor"], row["operation"], row["check"])


@pytest.fixture
def release_pair(small_summary: dict) -> tuple[dict, dict, dict]:
    """Release N and N+1 with one known change of every kind."""
    old, new = copy.deepcopy(small_summary), copy.deepcopy(small_summary)
    new["run"]["started"] = "2026-12-02T23:50:00Z"
    keys = {}
    _set(old, 0, "pass")
    keys["regression"] = _set(new, 0, "fail")
    _set(old, 1, "warn")
    keys["regression_error"] = _set(new, 1, "error")
    _set(old, 2, "fail")
    keys["fix"] = _set(new, 2, "pass")
    _set(old, 3, "skip")
    keys["changed"] = _set(new, 3, "pass")
    removed = new["rows"].pop(4)
    keys["removed"] = (removed["vendor"], removed["operation"], removed["check"])
    added = dict(new["rows"][5], check="brand_new_check", verdict="pass")
    new["rows"].append(added)
    keys["added"] = (added["vendor"], added["operation"], "brand_new_check")
    return old, new, keys


def test_each_kind_of_change_lands_in_its_list(release_pair: tuple) -> None:
    old, new, keys = release_pair
    result = compare(parse_summary(old), parse_summary(new))
    assert [c.key for c in result.regressions] == sorted([keys["regression"], keys["regression_error"]])
    assert [c.key for c in result.fixes] == [keys["fix"]]
    assert [c.key for c in result.changed] == [keys["changed"]]
    assert [c.key for c in result.removed] == [keys["removed"]]
    assert [c.key for c in result.added] == [keys["added"]]
    assert result.regressed


def test_verdict_counts_are_compared_per_vendor(release_pair: tuple) -> None:
    old, new, _ = release_pair
    result = compare(parse_summary(old), parse_summary(new))
    for vendor, (was, now) in result.counts.items():
        assert was.counts["fail"] == sum(
            1 for r in old["rows"] if r["vendor"] == vendor and r["verdict"] == "fail"
        )
        assert now.counts["fail"] == sum(
            1 for r in new["rows"] if r["vendor"] == vendor and r["verdict"] == "fail"
        )


def test_repeated_rows_of_one_check_fold_into_their_worst_verdict(small_summary: dict) -> None:
    old, new = copy.deepcopy(small_summary), copy.deepcopy(small_summary)
    _set(old, 0, "pass")
    _set(new, 0, "pass")
    new["rows"].append(dict(new["rows"][0], verdict="fail"))
    result = compare(parse_summary(old), parse_summary(new))
    assert len(result.regressions) == 1 and result.regressions[0].new == "fail"


def test_summaries_of_different_vendors_cannot_be_compared(small_summary: dict) -> None:
    other = copy.deepcopy(small_summary)
    other["run"]["vendors"] = ["datarobot"]
    other["rows"] = [r for r in other["rows"] if r["vendor"] == "datarobot"]
    with pytest.raises(ReportError, match="different vendors"):
        compare(parse_summary(small_summary), parse_summary(other))


def test_the_markdown_names_every_regression_for_a_pull_request(release_pair: tuple) -> None:
    old, new, keys = release_pair
    markdown = to_markdown(compare(parse_summary(old), parse_summary(new)))
    assert "**2 regressions**" in markdown
    assert f"`{keys['regression'][1]}` | `{keys['regression'][2]}` | pass | fail |" in markdown
    assert "<details><summary>New rows (1)</summary>" in markdown


def test_compare_exits_1_and_prints_markdown_when_something_regressed(
    tmp_path: Path, release_pair: tuple
) -> None:
    old, new, _ = release_pair
    write_summary(tmp_path / "n", old)
    write_summary(tmp_path / "n1", new)
    result = CliRunner().invoke(
        cli,
        [
            "compare",
            str(tmp_path / "n"),
            str(tmp_path / "n1" / "summary.json"),
            "--html",
            str(tmp_path / "cmp.html"),
        ],
    )
    assert result.exit_code == 1, result.output
    assert result.stdout.startswith("## Conformance comparison: datarobot, domino")
    page = (tmp_path / "cmp.html").read_text(encoding="utf-8")
    assert "Regressions" in page and "<link" not in page


def test_compare_exits_0_when_nothing_regressed_and_can_write_the_markdown_to_a_file(
    tmp_path: Path, small_summary: dict
) -> None:
    write_summary(tmp_path, small_summary)
    out = tmp_path / "comment.md"
    result = CliRunner().invoke(cli, ["compare", str(tmp_path), str(tmp_path), "--markdown", str(out)])
    assert result.exit_code == 0, result.output
    assert "No regressions." in out.read_text(encoding="utf-8")
    assert result.stdout == ""


@pytest.mark.parametrize("problem", ["missing", "corrupt", "vendors"])
def test_bad_input_to_compare_is_one_error_line_and_exit_2(
    tmp_path: Path, small_summary: dict, problem: str
) -> None:
    good = write_summary(tmp_path / "good", small_summary)
    other = tmp_path / "other.json"
    if problem == "corrupt":
        other.write_text('{"rows": [', encoding="utf-8")
    elif problem == "vendors":
        other.write_text(json.dumps(dict(small_summary, run={"vendors": ["domino"]})), encoding="utf-8")
    result = CliRunner().invoke(cli, ["compare", str(good), str(other)])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.output
