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
