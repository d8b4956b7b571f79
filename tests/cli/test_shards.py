"""``run --shard I/N`` and ``report --merge``: two shards merged are the rows of the unsharded run."""

from __future__ import annotations

import copy
import dataclasses
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlops_conformance.checks import FAMILIES
from mlops_conformance.cli import cli
from mlops_conformance.contract import load_contracts
from mlops_conformance.errors import ReportError, UsageError
from mlops_conformance.report.merge import merge_summaries
from mlops_conformance.report.summary import parse_summary
from mlops_conformance.runner.options import RunOptions, parse_operations
from mlops_conformance.runner.plan import cases
from mlops_conformance.runner.shard import Shard, parse_shard, split

# Two lifecycle families (create, read, update, delete) with their paginated lists, a paginated
# sub-collection (sharedRoles) and customJobs' runs: 16 operations, ~290 rows, a few seconds a run.
OPERATIONS = r"^[A-Z]+ /api/v2/(useCases|customJobs)/(\{\w+\}/)?(sharedRoles/|runs/)?$"
SELECTION = ["--vendor", "datarobot", "--operations", OPERATIONS, "--max-examples", "1", "--seed", "7"]


def _run(report_dir: Path, *extra: str) -> dict:
    result = CliRunner().invoke(cli, ["run", *SELECTION, "--report-dir", str(report_dir), "-q", *extra])
    assert result.exit_code == 0, result.output
    return json.loads((report_dir / "summary.json").read_text())


def _verdicts(summary: dict) -> list[tuple[str, str, str, str]]:
    return sorted((r["vendor"], r["operation"], r["check"], r["verdict"]) for r in summary["rows"])


def _own_operations(summary: dict) -> set[str]:
    run_level = ("schema.side_responses", "schema.fields_seen")
    return {r["operation"] for r in summary["rows"] if r["check"] not in run_level}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("shards")
    dirs = {"whole": base / "whole", "1": base / "shard-1", "2": base / "shard-2"}
    _run(dirs["whole"])
    _run(dirs["1"], "--shard", "1/2")
    _run(dirs["2"], "--shard", "2/2")
    return dirs


def test_two_shards_merged_have_exactly_the_rows_of_the_unsharded_run(runs, tmp_path):
    whole = json.loads((runs["whole"] / "summary.json").read_text())
    first = json.loads((runs["1"] / "summary.json").read_text())
    second = json.loads((runs["2"] / "summary.json").read_text())
    assert first["run"]["shard"] == "1/2" and second["run"]["shard"] == "2/2"
    assert "shard" not in whole["run"]
    # Split by operation: no operation's checks in both shards, none lost, neither shard empty.
    assert _own_operations(first) and _own_operations(second)
    assert not _own_operations(first) & _own_operations(second)
    assert _own_operations(first) | _own_operations(second) == _own_operations(whole)
    assert any("/useCases/" in op for op in _own_operations(whole))  # a lifecycle family
    assert any(r["check"].startswith("pagination.") for r in whole["rows"])  # a paginated list

    out = tmp_path / "merged"
    result = CliRunner().invoke(
        cli, ["report", "--merge", str(runs["2"]), str(runs["1"]), "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    merged = json.loads((out / "summary.json").read_text())
    assert _verdicts(merged) == _verdicts(whole)
    run = merged["run"]
    assert run["shards"] == 2 and "shard" not in run
    assert run["started"] == min(first["run"]["started"], second["run"]["started"])
    assert run["duration_s"] == pytest.approx(first["run"]["duration_s"] + second["run"]["duration_s"])
    assert run["contract_sha256"] == whole["run"]["contract_sha256"]
    assert sum(run["counts"].values()) == len(merged["rows"])
    assert (out / "index.html").is_file() and len(list((out / "history").glob("*.json"))) == 1
    side = [r for r in merged["rows"] if r["check"] == "schema.side_responses"]
    shard_side = [r for s in (first, second) for r in s["rows"] if r["check"] == "schema.side_responses"]
    assert sum(r["evidence"]["requests_judged"] for r in side) == sum(
        r["evidence"]["requests_judged"] for r in shard_side
    )


def test_the_split_is_deterministic_balanced_and_keeps_an_operation_whole():
    contracts = load_contracts(("datarobot", "domino"))
    options = RunOptions()
    every = [c for family in FAMILIES for c in cases(contracts, options, family)]
    assert split(every, 2) == split(list(reversed(every)), 2)  # the same on every machine
    sharded = []
    for index in (1, 2):
        chosen = dataclasses.replace(options, shard=Shard(index, 2))
        sharded.append([c for family in FAMILIES for c in cases(contracts, chosen, family)])
    assert sorted(c.id for c in sharded[0] + sharded[1]) == sorted(c.id for c in every)
    operations = [{c.group for c in part} for part in sharded]
    assert operations[0] and operations[1] and not operations[0] & operations[1]
    assert abs(len(sharded[0]) - len(sharded[1])) < 0.05 * len(every)
    small = dataclasses.replace(options, operations=parse_operations(OPERATIONS), vendors=("datarobot",))
    picked = [c for family in FAMILIES for c in cases(contracts, small, family)]
    assert split(picked, 2) == split(picked, 2) and set(split(picked, 2).values()) == {1, 2}


@pytest.mark.parametrize("value", ["0/2", "3/2", "x", "1/0", "2", "-1/2", "1/2/3"])
def test_a_bad_shard_is_a_one_line_usage_error(value):
    with pytest.raises(UsageError, match="--shard"):
        parse_shard(value)
    result = CliRunner().invoke(cli, ["run", "--shard", value])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"error: --shard {value!r}: expected I/N with 1 <= I <= N, such as 1/2 or 2/2"
    ]


def test_parse_shard_reads_i_of_n():
    assert parse_shard("2/3") == Shard(2, 3) and str(parse_shard(" 1 / 1 ")) == "1/1"
    assert parse_shard(None) is None


def test_the_merge_refuses_a_missing_shard(runs, tmp_path):
    result = CliRunner().invoke(cli, ["report", "--merge", str(runs["1"]), "--output", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "error: missing shard 2/2 (given: 1/2); merge needs every shard of the run"
    ]
    assert not (tmp_path / "o" / "summary.json").exists()


def test_the_merge_refuses_an_unsharded_summary(runs, tmp_path):
    result = CliRunner().invoke(
        cli, ["report", "--merge", str(runs["1"]), str(runs["whole"]), "--output", str(tmp_path / "o")]
    )
    assert result.exit_code == 2
    assert "not the summary of a shard" in result.output and len(result.output.strip().splitlines()) == 1


def test_the_merge_refuses_shards_of_different_contracts(runs, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    second = json.loads((runs["2"] / "summary.json").read_text())
    second["run"]["contract_sha256"] = {"datarobot": "0" * 64}
    (other / "summary.json").write_text(json.dumps(second))
    result = CliRunner().invoke(
        cli, ["report", "--merge", str(runs["1"]), str(other), "--output", str(tmp_path / "o")]
    )
    assert result.exit_code == 2
    assert "different contracts" in result.output and len(result.output.strip().splitlines()) == 1


def test_the_merge_refuses_different_vendors_and_a_check_in_two_shards(runs):
    first = json.loads((runs["1"] / "summary.json").read_text())
    second = json.loads((runs["2"] / "summary.json").read_text())
    other_vendor = copy.deepcopy(second)
    other_vendor["run"]["vendors"] = ["domino"]
    with pytest.raises(ReportError, match="vendors"):
        merge_summaries([parse_summary(first), parse_summary(other_vendor)])
    own = next(r for r in first["rows"] if r["check"] == "schema.response_body")
    duplicated = copy.deepcopy(second)
    duplicated["rows"].append(copy.deepcopy(own))
    with pytest.raises(ReportError, match="shards of one run never share an operation"):
        merge_summaries([parse_summary(first), parse_summary(duplicated)])


def _row(check: str, verdict: str, evidence: dict, operation: str = "GET /x") -> dict:
    return {
        "vendor": "datarobot",
        "operation": operation,
        "tag": "T",
        "check": check,
        "family": "schema",
        "verdict": verdict,
        "evidence": evidence,
    }


def _shard(index: int, rows: list[dict]) -> object:
    run = {"vendors": ["datarobot"], "contract_sha256": {"datarobot": "a"}, "shard": f"{index}/2"}
    run |= {"started": f"2026-01-0{index}T00:00:00Z", "duration_s": 1.5}
    return parse_summary({"run": run, "rows": rows})


def test_run_level_rows_are_combined_worst_verdict_and_intersection_of_unseen_fields():
    side = "schema.side_responses"
    fields = "schema.fields_seen"
    first = [
        _row(side, "pass", {"requests_judged": 3}),
        _row(fields, "drift", {"responses": 2, "unseen": ["a", "b"], "renames": [{"documented": "a"}]}),
        _row(fields, "drift", {"responses": 1, "unseen": ["c"]}, operation="GET /y"),
    ]
    second = [
        _row(side, "warn", {"requests_judged": 4, "message": "m [2 of 4 requests]"}),
        _row(fields, "drift", {"responses": 5, "unseen": ["b"], "renames": [{"documented": "b"}]}),
        _row(fields, "pass", {"responses": 1}, operation="GET /y"),
    ]
    merged = merge_summaries([_shard(2, second), _shard(1, first)])
    by = {(r["operation"], r["check"]): r for r in merged["rows"]}
    assert by[("GET /x", side)]["verdict"] == "warn"
    assert by[("GET /x", side)]["evidence"] == {"requests_judged": 7, "message": "m [2 of 7 requests]"}
    x = by[("GET /x", fields)]
    assert x["verdict"] == "drift"
    assert x["evidence"]["unseen"] == ["b"] and x["evidence"]["renames"] == [{"documented": "b"}]
    assert x["evidence"]["responses"] == 7
    assert by[("GET /y", fields)]["verdict"] == "pass" and "unseen" not in by[("GET /y", fields)]["evidence"]
    assert merged["run"]["started"] == "2026-01-01T00:00:00Z" and merged["run"]["duration_s"] == 3.0
    assert merged["run"]["shards"] == 2 and merged["run"]["counts"]["drift"] == 1
