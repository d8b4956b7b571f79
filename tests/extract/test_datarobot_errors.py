"""Input the parser cannot read raises ExtractionError naming the file and the offending line."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlops_conformance.errors import ExtractionError
from mlops_conformance.extract.datarobot import parse_datarobot

PATH = "datarobot/broken.txt"
FIXTURES = Path(__file__).parent / "fixtures" / "datarobot"

GOOD_OP = """GET /api/v2/things/

List things.

Code samples

Parameters

Name In Type Required Description
limit query integer false At most this many.

Responses

Status Meaning Description Schema
200 OK Things. None

To perform this operation, you must be authenticated by means of one of the following methods:
"""


def parse(text: str, layout: str = "A"):
    return parse_datarobot(PATH, text, layout=layout, title="Things")


def error(text: str, layout: str = "A") -> ExtractionError:
    with pytest.raises(ExtractionError) as caught:
        parse(text, layout)
    assert caught.value.path == PATH
    return caught.value


def test_the_well_formed_operation_parses():
    doc = parse(GOOD_OP)
    assert [(o.method, o.path) for o in doc.operations] == [("GET", "/api/v2/things/")]


def test_garbage_text_has_no_operations():
    assert error("lorem ipsum\ndolor sit amet\n").line == 1
    assert "no DataRobot operation" in error("").message


def test_an_operation_without_a_status_table_points_at_the_operation():
    text = GOOD_OP + "\nDELETE /api/v2/things/{id}/\n\nDelete a thing.\n\nCode samples\n"
    err = error(text)
    assert err.line == 19
    assert "no status table" in err.message


def test_a_page_cut_inside_an_operation_example_is_refused():
    cut = GOOD_OP.split("Responses")[0] + 'Example responses\n\n200 Response\n\n{\n  "a": 1,\n'
    err = error(cut)
    assert err.line == 1 and "truncated" in err.message


def test_a_row_outside_the_row_grammar_inside_a_table_points_at_the_row():
    broken = GOOD_OP.replace("limit query integer false", "limit somewhere integer maybe")
    err = error(broken)
    assert err.line == 10
    assert "param table row" in err.message


def test_an_empty_table_region_points_at_its_header():
    empty = GOOD_OP.replace("200 OK Things. None\n", "")
    err = error(empty)
    assert err.line == 14
    assert "without any row" in err.message


def test_a_type_outside_the_grammar_points_at_its_row():
    text = (
        GOOD_OP
        + '\nSchemas\n\nThing\n\n{\n  "a": 1\n}\n\nProperties\n\nName Type Required Restrictions Description\na in(teger true The a.\n'
    )
    err = error(text)
    assert err.line == 30
    assert "unknown type" in err.message


def test_an_unexpected_line_inside_an_operation_points_at_it():
    text = GOOD_OP.replace("Responses\n", "Responses\nthis line belongs to no section\n")
    err = error(text)
    assert err.line == 13


def test_a_pipe_row_that_is_not_a_row_points_at_it():
    text = (
        "GET /api/v2/things/¶\nList things.\nCode samples¶\n"
        "Name | In | Type | Required | Description |\nlimit | query | integer |\n"
        "Status | Meaning | Description | Schema |\n200 | OK | Things. | None |\n"
    )
    err = error(text, layout="C")
    assert err.line == 5


def test_an_unknown_layout_is_refused():
    with pytest.raises(ExtractionError, match="unknown DataRobot layout 'D'"):
        parse(GOOD_OP, layout="D")


@pytest.mark.parametrize("layout", ["A", "B", "C"])
def test_every_cut_of_an_excerpt_parses_or_raises_extraction_error(layout):
    """Truncated or damaged pages must end in a one-line error, never in a traceback."""
    text = (FIXTURES / f"layout-{layout.lower()}.txt").read_text(encoding="utf-8")
    lines = text.split("\n")
    outcomes = set()
    for cut in range(1, len(lines), 7):
        for damaged in ("\n".join(lines[:cut]), "\n".join(lines[:cut] + lines[cut + 1 :])):
            try:
                parse(damaged, layout)
                outcomes.add("parsed")
            except ExtractionError as exc:
                assert exc.path == PATH and (exc.line is None or 1 <= exc.line <= len(lines))
                outcomes.add("refused")
    assert outcomes == {"parsed", "refused"}


def test_the_error_renders_as_one_line_with_file_and_line():
    err = error(GOOD_OP.replace("200 OK Things. None\n", ""))
    assert err.one_line() == f"{PATH}:14: status table header without any row"
