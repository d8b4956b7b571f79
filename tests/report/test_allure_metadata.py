"""Allure extras: environment without credentials, categories that separate fail, error, docs, drift."""

from __future__ import annotations

import json
import re
from pathlib import Path

from mlops_conformance.report import allure_environment

TOKEN = "tok-3f9a1c77e2"


def _run_meta() -> dict:
    return {
        "target": f"https://ci:{TOKEN}@staging.example.test/api?token={TOKEN}&x=1",
        "vendors": ["datarobot", "domino"],
        "started": "2026-12-01T23:50:00Z",
        "versions": {"mlops-conformance": "0.1.0", "schemathesis": "4.3.0"},
        "contract_sha256": {"datarobot": "ab" * 32},
        "token_env": "DATAROBOT_API_TOKEN",
        "api_token": TOKEN,
        "headers": {"Authorization": f"Bearer {TOKEN}"},
        "note": f"run by someone who pasted {TOKEN} here",
        "strict": False,
        "counts": {"pass": 3},
    }


def _properties(path: Path) -> dict[str, str]:
    pairs = {}
    for line in path.read_text(encoding="ascii").splitlines():
        key, _, value = line.partition("=")
        pairs[key] = value
    return pairs


def test_the_environment_names_vendor_target_and_versions(tmp_path: Path) -> None:
    props, _ = allure_environment(tmp_path, _run_meta(), secrets=[TOKEN])
    values = _properties(props)
    assert values["vendors"] == "datarobot, domino"
    assert values["target"] == "https://staging.example.test/api?token=[redacted]&x=1"
    assert values["versions.schemathesis"] == "4.3.0"
    assert values["contract_sha256.datarobot"] == "ab" * 32
    assert values["strict"] == "false"
    assert "counts.pass" not in values


def test_no_credential_reaches_allure_results(tmp_path: Path) -> None:
    written = allure_environment(tmp_path, _run_meta(), secrets=[TOKEN])
    for path in written:
        assert TOKEN not in path.read_text(encoding="utf-8")
    keys = _properties(written[0])
    assert not any(re.search("token|authorization", k, re.IGNORECASE) for k in keys)


def test_categories_separate_the_verdicts_with_the_specific_ones_first(tmp_path: Path) -> None:
    _, categories = allure_environment(tmp_path, {"vendors": ["domino"]})
    names = [c["name"] for c in json.loads(categories.read_text(encoding="utf-8"))]
    assert [n.rsplit("(", 1)[1].rstrip(")") for n in names] == [
        "docs",
        "drift",
        "warn",
        "xfail",
        "error",
        "fail",
        "harness",
        "skip",
    ]


def test_category_patterns_match_messages_that_start_with_their_verdict(tmp_path: Path) -> None:
    _, path = allure_environment(tmp_path, {})
    categories = json.loads(path.read_text(encoding="utf-8"))
    patterns = {c["name"].rsplit("(", 1)[1].rstrip(")"): c.get("messageRegex") for c in categories}

    def java_like_full_match(pattern: str, text: str) -> bool:
        return re.fullmatch(pattern, text) is not None

    # the suites fail a test with "<verdict>: <message>" and mark known failures "known failure: ..."
    assert java_like_full_match(patterns["error"], "error: timeout after 10 s [3 of 5 requests]")
    assert java_like_full_match(patterns["fail"], "fail: required field id missing\nschema path /x")
    assert java_like_full_match(patterns["warn"], "warn: inferred envelope broken")
    assert java_like_full_match(patterns["xfail"], "XFAIL known failure: VND-123, until 2027-01-31")
    assert java_like_full_match(patterns["docs"], "docs: example fails its own schema")
    assert java_like_full_match(patterns["drift"], "[drift] status 418 is not documented")
    assert not java_like_full_match(patterns["fail"], "error: connection refused")
    assert not java_like_full_match(patterns["docs"], "fail: body invalid (see docs)")


def test_non_ascii_values_are_escaped_for_the_properties_format(tmp_path: Path) -> None:
    props, _ = allure_environment(tmp_path, {"target": "http://127.0.0.1:5555 (embedded mock — ünïcode)"})
    assert "\\u2014" in props.read_text(encoding="ascii")
