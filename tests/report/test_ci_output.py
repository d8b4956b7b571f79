"""GitHub Actions workflow commands and the Markdown step summary of a run."""

from __future__ import annotations

from mlops_conformance.report import parse_summary
from mlops_conformance.report.ci import annotations, escape_data, escape_property, step_summary


def _summary(n_failing: int, message: str = "Received: 200") -> dict:
    rows = [
        {
            "vendor": "datarobot",
            "operation": "GET /a",
            "check": "schema.ok",
            "verdict": "pass",
            "evidence": {},
        }
    ]
    rows += [
        {
            "vendor": "datarobot",
            "operation": f"GET /x/{n}",
            "check": "auth.missing_token_rejected",
            "verdict": "fail" if n % 2 else "error",
            "reason": message,
        }
        for n in range(n_failing)
    ]
    return {"run": {"target": "https://staging.example.com", "vendors": ["datarobot"]}, "rows": rows}


def test_messages_and_properties_are_escaped_as_github_reads_them() -> None:
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_each_failing_row_becomes_one_error_annotation() -> None:
    lines = annotations(parse_summary(_summary(2, "line one\nline two: 50%")).rows)
    assert lines == [
        "::error title=auth.missing_token_rejected::datarobot GET /x/0: line one line two: 50%25",
        "::error title=auth.missing_token_rejected::datarobot GET /x/1: line one line two: 50%25",
    ]


def test_at_most_fifty_annotations_and_a_notice_for_the_rest() -> None:
    lines = annotations(parse_summary(_summary(80)).rows)
    assert sum(line.startswith("::error ") for line in lines) == 50
    assert lines[-1].startswith("::notice ") and "30 more" in lines[-1]


def test_the_step_summary_counts_per_vendor_and_lists_failures() -> None:
    markdown = step_summary(parse_summary(_summary(3, "a | b")), "r/index.html", "r/summary.json")
    assert "| datarobot | 25.0% | 1 | 1 | 0 | 0 | 0 | 0 | 2 | 0 |" in markdown  # pass, fail, ..., error, docs
    assert "### Failures (3)" in markdown and "a \\| b" in markdown
    assert "`r/index.html`" in markdown and "`r/summary.json`" in markdown


def test_a_clean_run_says_so_in_the_step_summary() -> None:
    assert "No fail or error row." in step_summary(parse_summary(_summary(0)), "i", "s")
