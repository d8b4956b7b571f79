"""The pytest plugin: inert outside the suites, readable ids, one-line usage errors, read-only
targets, known failures, --strict, and pytest-xdist."""

from __future__ import annotations

import contextlib
import io
import textwrap

import pytest

from ._run import TOKEN, mock_target, run_suites

USE_CASES = ["--vendor", "datarobot", "--operations", "^[A-Z]+ /api/v2/useCases/$", "--max-examples", "1"]


def test_the_plugin_stays_inert_in_other_pytest_sessions(tmp_path, monkeypatch):
    (tmp_path / "test_other.py").write_text("def test_nothing():\n    assert True\n")
    (tmp_path / "conftest.py").write_text(
        textwrap.dedent(
            """
            def pytest_sessionfinish(session):
                active = session.config.pluginmanager.has_plugin("mlops-conformance-reporter")
                (session.config.rootpath / "active.txt").write_text(str(active))
            """
        )
    )
    monkeypatch.chdir(tmp_path)
    with contextlib.redirect_stdout(io.StringIO()):
        assert pytest.main([str(tmp_path), "-q", "-p", "no:cacheprovider"]) == 0
    assert (tmp_path / "active.txt").read_text() == "False"
    assert not (tmp_path / "reports").exists()


def test_test_ids_read_vendor_operation_and_check(tmp_path):
    run = run_suites(tmp_path / "reports", *USE_CASES, "--collect-only")
    assert "test_schema.py::test_schema[datarobot::GET /api/v2/useCases/::schema.response_body]" in run.output
    assert (
        "test_lifecycle.py::test_lifecycle[datarobot::POST /api/v2/useCases/::lifecycle.create]" in run.output
    )


def test_a_bad_option_is_one_line_naming_it(tmp_path, capsys):
    run = run_suites(tmp_path / "reports", "--target", "ftp://example", *USE_CASES)
    assert run.code == pytest.ExitCode.USAGE_ERROR
    assert "ERROR: --target 'ftp://example': expected an http(s) URL" in capsys.readouterr().err


def test_a_missing_token_names_the_variable_to_set(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("DATAROBOT_API_TOKEN", raising=False)
    run = run_suites(tmp_path / "reports", "--target", "http://127.0.0.1:9", *USE_CASES)
    assert run.code == pytest.ExitCode.USAGE_ERROR
    assert "set DATAROBOT_API_TOKEN (or name another variable with --token-env)" in capsys.readouterr().err


def test_token_env_names_another_variable(tmp_path, monkeypatch):
    with mock_target(monkeypatch) as url:
        monkeypatch.delenv("DATAROBOT_API_TOKEN")
        monkeypatch.setenv("MY_TOKEN", TOKEN)
        run = run_suites(tmp_path / "reports", "--target", url, "--token-env", "MY_TOKEN", *USE_CASES)
    assert run.verdicts("schema.status_code_documented", "GET /api/v2/useCases/") == {"pass"}


def test_writes_are_skipped_against_a_target_without_allow_writes(tmp_path, monkeypatch):
    with mock_target(monkeypatch) as url:
        run = run_suites(tmp_path / "reports", "--target", url, *USE_CASES)
    documents = ("examples.response_examples", "examples.request_examples")  # read the contract, send nothing
    posts = [r for r in run.rows if r["operation"].startswith("POST") and r["check"] not in documents]
    assert posts and {r["verdict"] for r in posts} == {"skip"}
    assert all("read-only target" in r["reason"] for r in posts)
    assert not [r for r in run.rows if r["evidence"].get("request", {}).get("method", "GET") != "GET"]
    assert run.summary["run"]["allow_writes"] is False


def test_known_failures_become_xfail_rows_until_they_expire(tmp_path, monkeypatch):
    known = tmp_path / "known.yaml"
    known.write_text(
        "- {check: auth.missing_token_rejected, operation: 'GET /api/v2/useCases/', reason: TICKET-1, expires: 2999-01-01}\n"
        "- {check: auth.wrong_token_rejected, operation: 'GET /api/v2/useCases/', reason: TICKET-2, expires: 2000-01-01}\n"
    )
    with mock_target(monkeypatch, fault="no-auth") as url:
        run = run_suites(tmp_path / "reports", "--target", url, "--known-failures", str(known), *USE_CASES)
    [xfailed] = [
        r
        for r in run.rows
        if r["check"] == "auth.missing_token_rejected" and r["operation"] == "GET /api/v2/useCases/"
    ]
    assert (xfailed["verdict"], xfailed["evidence"]["expires"]) == ("xfail", "2999-01-01")
    assert "TICKET-1" in xfailed["reason"]
    assert run.verdicts("auth.wrong_token_rejected", "GET /api/v2/useCases/") == {"fail"}
    assert run.summary["run"]["expired_known_failures"] == [
        "auth.wrong_token_rejected GET /api/v2/useCases/ (expired 2000-01-01)"
    ]


def test_broken_inferred_rules_fail_the_run_only_with_strict(tmp_path, monkeypatch):
    inferred = ["--vendor", "domino", "--operations", "^GET /api/jobs/v1/goals$", "--max-examples", "1"]
    with mock_target(monkeypatch, fault="wrong-type") as url:
        lenient = run_suites(tmp_path / "lenient", "--target", url, *inferred)
        strict = run_suites(tmp_path / "strict", "--target", url, "--strict", *inferred)
    assert lenient.verdicts("schema.response_body") == strict.verdicts("schema.response_body") == {"warn"}
    assert (lenient.code, strict.code) == (0, 1)
    assert strict.summary["run"]["strict"] is True


def test_a_run_spread_over_xdist_workers_gives_the_same_rows(tmp_path):
    alone = run_suites(tmp_path / "alone", *USE_CASES, "--conformance-seed", "3")
    spread = run_suites(tmp_path / "spread", *USE_CASES, "--conformance-seed", "3", "-n", "2")
    assert spread.code == 0
    key = lambda run: sorted((r["operation"], r["check"], r["verdict"]) for r in run.rows)
    assert key(spread) == key(alone)
