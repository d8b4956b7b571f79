"""docs/ci.md: the GitHub Actions workflow and the GitLab CI pipeline, linted offline.

Both YAML blocks parse; the keys each CI system requires are there; every ``mlops-conformance``
command line in a ``run:`` or ``script:`` parses with the real command-line interface (placeholders
replaced by plausible values), so an option that does not exist fails here; the shard matrix and
``--shard`` agree; the merge job waits for the shards and merges every shard's report directory.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import click
import pytest
import yaml

from mlops_conformance.cli import cli

DOC = Path(__file__).resolve().parents[1] / "docs" / "ci.md"

GITHUB_VALUES = {
    "matrix.shard": "1",
    "vars.STAGING_URL": "https://staging.example.com",
    "github.run_id": "9876543210",
}
SHELL_VALUES = {
    "CI_NODE_INDEX": "1",
    "CI_NODE_TOTAL": "2",
    "CI_PIPELINE_ID": "123456",
    "STAGING_URL": "https://staging.example.com",
}


def _yaml_blocks() -> list[str]:
    return re.findall(r"^```yaml\n(.*?)^```", DOC.read_text(encoding="utf-8"), re.MULTILINE | re.DOTALL)


@pytest.fixture(scope="module")
def github() -> dict[str, Any]:
    found = [yaml.safe_load(b) for b in _yaml_blocks()]
    # PyYAML reads the key `on` as the boolean True (YAML 1.1).
    workflows = [d for d in found if isinstance(d, dict) and "jobs" in d]
    assert len(workflows) == 1
    workflow = workflows[0]
    if True in workflow:
        workflow["on"] = workflow.pop(True)
    return workflow


@pytest.fixture(scope="module")
def gitlab() -> dict[str, Any]:
    found = [yaml.safe_load(b) for b in _yaml_blocks()]
    pipelines = [d for d in found if isinstance(d, dict) and "stages" in d]
    assert len(pipelines) == 1
    return pipelines[0]


def _substitute(line: str) -> str:
    def github_expression(match: re.Match[str]) -> str:
        return GITHUB_VALUES.get(match.group(1).strip(), "placeholder")

    line = re.sub(r"\$\{\{(.*?)\}\}", github_expression, line)
    return re.sub(r"\$\{(\w+)\}|\$(\w+)", lambda m: SHELL_VALUES.get(m.group(1) or m.group(2), "value"), line)


def invocations(script: str) -> list[list[str]]:
    """Each ``mlops-conformance`` command of a shell script, as argument lists (placeholders filled)."""
    found = []
    for line in script.replace("\\\n", " ").splitlines():
        if "mlops-conformance" not in line:
            continue
        lexer = shlex.shlex(_substitute(line), posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        tokens = list(lexer)
        start = tokens.index("mlops-conformance")
        command = []
        for token in tokens[start + 1 :]:
            if set(token) <= set("|&;<>()"):
                break
            command.append(token)
        found.append(command)
    return found


def _parses(args: list[str]) -> click.Context:
    assert args, "a bare mlops-conformance"
    command = cli.commands.get(args[0])
    assert command is not None, f"no such command: {args[0]}"
    return command.make_context(args[0], list(args[1:]))  # unknown options raise click errors


def _github_scripts(workflow: dict[str, Any]) -> list[tuple[str, dict[str, Any], str]]:
    return [
        (name, job, step["run"])
        for name, job in workflow["jobs"].items()
        for step in job["steps"]
        if "run" in step
    ]


def _gitlab_jobs(pipeline: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        name: job
        for name, job in pipeline.items()
        if isinstance(job, dict) and "script" in job and not name.startswith(".")
    }


def _gitlab_scripts(pipeline: dict[str, Any]) -> list[tuple[str, dict[str, Any], str]]:
    return [
        (name, job, line)
        for name, job in _gitlab_jobs(pipeline).items()
        for line in (job["script"] if isinstance(job["script"], list) else [job["script"]])
    ]


def test_docs_hold_one_github_workflow_and_one_gitlab_pipeline():
    assert len(_yaml_blocks()) == 2


def test_the_github_workflow_has_the_required_keys(github):
    assert github["on"].keys() >= {"schedule", "workflow_dispatch", "pull_request"}
    assert github["on"]["schedule"][0]["cron"]
    for name, job in github["jobs"].items():
        assert job.get("runs-on"), name
        assert isinstance(job.get("steps"), list) and job["steps"], name
        for step in job["steps"]:
            assert ("uses" in step) != ("run" in step), (name, step)


def test_the_gitlab_pipeline_has_the_required_keys(gitlab):
    assert gitlab["stages"]
    jobs = _gitlab_jobs(gitlab)
    assert len(jobs) >= 2
    for name, job in jobs.items():
        assert job["stage"] in gitlab["stages"], name
        assert job["script"], name


@pytest.mark.parametrize("system", ["github", "gitlab"])
def test_every_mlops_conformance_command_parses_with_the_real_cli(system, request, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no configuration file of this checkout is read
    document = request.getfixturevalue(system)
    scripts = _github_scripts(document) if system == "github" else _gitlab_scripts(document)
    commands = [args for _, _, script in scripts for args in invocations(script)]
    assert {args[0] for args in commands} >= {"run", "report"}
    for args in commands:
        _parses(args)


def test_a_misspelt_option_would_fail_the_lint(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    [args] = invocations("mlops-conformance run --shardd ${{ matrix.shard }}/2 || true")
    with pytest.raises(click.NoSuchOption):
        _parses(args)
    [args] = invocations('mlops-conformance run --shard "${CI_NODE_INDEX}/${CI_NODE_TOTAL}" | tee log')
    assert _parses(args).params["shard"] == "1/2"


def _shard_runs(commands: list[list[str]]) -> list[click.Context]:
    return [_parses(a) for a in commands if a[0] == "run" and "--shard" in a]


def _merges(commands: list[list[str]]) -> list[click.Context]:
    return [_parses(a) for a in commands if a[0] == "report" and "--merge" in a]


def test_the_github_matrix_the_shards_and_the_merge_agree(github, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    jobs = github["jobs"]
    shard_jobs = [
        n for n, j in jobs.items() if any(_shard_runs(invocations(s.get("run", ""))) for s in j["steps"])
    ]
    merge_jobs = [
        n for n, j in jobs.items() if any(_merges(invocations(s.get("run", ""))) for s in j["steps"])
    ]
    assert len(shard_jobs) == 1 and len(merge_jobs) == 1
    shard_job, merge_job = jobs[shard_jobs[0]], jobs[merge_jobs[0]]
    matrix = shard_job["strategy"]["matrix"]["shard"]
    line = next(s["run"] for s in shard_job["steps"] if "--shard" in s.get("run", ""))
    total = int(re.search(r"--shard \$\{\{ matrix\.shard \}\}/(\d+)", line).group(1))
    assert matrix == list(range(1, total + 1))
    assert "--seed ${{ github.run_id }}" in line and "--target ${{ vars.STAGING_URL }}" in line
    assert "--report-dir reports-${{ matrix.shard }}" in line
    assert shard_job["strategy"].get("fail-fast") is False  # one failing shard must not cancel the other
    # The token comes from secrets through the environment, never on the command line.
    step = next(s for s in shard_job["steps"] if "--shard" in s.get("run", ""))
    assert all("secrets." in str(v) for v in step["env"].values()) and "secrets" not in line
    uploads = [s for s in shard_job["steps"] if str(s.get("uses", "")).startswith("actions/upload-artifact")]
    assert uploads and uploads[0]["with"]["path"].rstrip("/") == "reports-${{ matrix.shard }}"
    # The merge job waits for the shards, runs even when a shard failed, downloads and merges all.
    needs = merge_job["needs"]
    assert shard_jobs[0] in (needs if isinstance(needs, list) else [needs])
    assert merge_job.get("if") == "always()"
    assert any(str(s.get("uses", "")).startswith("actions/download-artifact") for s in merge_job["steps"])
    [merge] = [m for s in merge_job["steps"] for m in _merges(invocations(s.get("run", "")))]
    assert [str(p) for p in merge.params["report_dirs"]] == [f"reports-{i}" for i in range(1, total + 1)]
    output = str(merge.params["output"])
    uploaded = [
        s["with"]["path"].rstrip("/") for s in merge_job["steps"] if "upload-artifact" in str(s.get("uses"))
    ]
    assert output in uploaded
    comment = next(s for s in merge_job["steps"] if "gh pr comment" in s.get("run", ""))
    assert comment["if"] == "github.event_name == 'pull_request'"
    [compare] = [a for a in invocations(comment["run"]) if a[0] == "compare"]
    context = _parses(compare)
    assert str(context.params["new"]) == output and context.params["markdown_file"] is not None
    assert f"--body-file {context.params['markdown_file']}" in comment["run"]


def test_the_gitlab_parallel_jobs_the_shards_and_the_merge_agree(gitlab, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    jobs = _gitlab_jobs(gitlab)
    shard_jobs = [n for n, j in jobs.items() if any(_shard_runs(invocations(s)) for s in j["script"])]
    merge_jobs = [n for n, j in jobs.items() if any(_merges(invocations(s)) for s in j["script"])]
    assert len(shard_jobs) == 1 and len(merge_jobs) == 1
    shard_job, merge_job = jobs[shard_jobs[0]], jobs[merge_jobs[0]]
    total = shard_job["parallel"]
    line = next(s for s in shard_job["script"] if "--shard" in s)
    assert '--shard "${CI_NODE_INDEX}/${CI_NODE_TOTAL}"' in line
    assert '--report-dir "reports-${CI_NODE_INDEX}"' in line
    assert shard_job["artifacts"]["when"] == "always" and shard_job["artifacts"]["paths"]
    assert gitlab["stages"].index(merge_job["stage"]) > gitlab["stages"].index(shard_job["stage"])
    assert shard_jobs[0] in merge_job["needs"] and merge_job["when"] == "always"
    [merge] = [m for s in merge_job["script"] for m in _merges(invocations(s))]
    assert [str(p) for p in merge.params["report_dirs"]] == [f"reports-{i}" for i in range(1, total + 1)]
    assert f"{merge.params['output']}/" in merge_job["artifacts"]["paths"]
