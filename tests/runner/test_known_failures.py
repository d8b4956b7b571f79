"""Known-failures files: entries match rows by vendor, operation and check (globs), and expire."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from mlops_conformance.errors import UsageError
from mlops_conformance.runner.known_failures import load

TODAY = dt.date(2025, 6, 1)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "known.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_an_entry_matches_its_check_and_operation(tmp_path):
    known = load(
        write(
            tmp_path,
            "- {check: schema.response_body, operation: GET /api/v2/useCases/, reason: DR-1, expires: 2025-12-31}\n",
        ),
        TODAY,
    )
    entry = known.find("datarobot", "GET /api/v2/useCases/", "schema.response_body")
    assert entry is not None and entry.reason == "DR-1"
    assert known.find("datarobot", "GET /api/v2/useCases/", "schema.content_type") is None


def test_globs_and_vendors_narrow_or_widen_an_entry(tmp_path):
    known = load(
        write(
            tmp_path,
            "known_failures:\n  - {check: 'pagination.*', operation: 'GET /api/v2/*', vendor: datarobot, reason: r}\n",
        ),
        TODAY,
    )
    assert known.find("datarobot", "GET /api/v2/useCases/", "pagination.links")
    assert known.find("domino", "GET /api/v2/useCases/", "pagination.links") is None


def test_an_expired_entry_stops_applying_and_is_listed(tmp_path):
    known = load(
        write(
            tmp_path, "- {check: schema.response_body, operation: '*', reason: old, expires: 2025-05-31}\n"
        ),
        TODAY,
    )
    assert known.find("datarobot", "GET /x", "schema.response_body") is None
    assert [e.reason for e in known.expired] == ["old"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- {check: a.b}\n", "entry 1: missing operation, reason"),
        ("- {check: a.b, operation: x, reason: r, expires: soon}\n", "entry 1: expires 'soon' is not a date"),
        ("check: [unclosed\n", "known.yaml:2: not valid YAML"),
        ("just text\n", "expected a list of entries"),
    ],
)
def test_a_bad_file_is_one_line_naming_the_file_and_entry(tmp_path, text, message):
    with pytest.raises(UsageError) as error:
        load(write(tmp_path, text), TODAY)
    assert message in str(error.value)
    assert "\n" not in error.value.one_line()


def test_a_missing_file_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="cannot read it"):
        load(tmp_path / "absent.yaml")


def test_one_root_cause_lists_its_operations_and_checks(tmp_path):
    known = load(
        write(
            tmp_path,
            "- check: [schema.not_a_server_error, errors.no_server_error]\n"
            "  operation: [GET /a/search, 'GET /b/*']\n"
            "  reason: 500 for a non-ASCII page token\n"
            "  evidence: curl /a/search?page_token=%C3%A9\n",
        ),
        TODAY,
    )
    entry = known.find("mlflow", "GET /b/list", "errors.no_server_error")
    assert entry is not None and entry.evidence == "curl /a/search?page_token=%C3%A9"
    assert known.find("mlflow", "GET /a/search", "schema.not_a_server_error") is entry
    assert known.find("mlflow", "GET /c/list", "schema.not_a_server_error") is None
    assert known.find("mlflow", "GET /a/search", "schema.response_body") is None


@pytest.mark.parametrize("value", ["[1, 2]", "['']", "[a, 3]"])
def test_a_list_of_globs_holds_strings_only(tmp_path, value):
    with pytest.raises(UsageError, match="entry 1: operation must be a string or a list of strings"):
        load(write(tmp_path, f"- {{check: a, operation: {value}, reason: r}}\n"), TODAY)


def test_a_bare_name_is_the_file_the_contracts_ship(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no such file here: the shipped one is meant
    known = load(Path("mlflow"), TODAY)
    assert known.entries and all(e.vendor == "mlflow" and e.evidence for e in known.entries)
    with pytest.raises(UsageError, match="--known-failures nobody: cannot read it"):
        load(Path("nobody"), TODAY)
