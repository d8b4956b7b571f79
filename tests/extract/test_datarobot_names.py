"""Recovering lost schema names (VENDOR-DOCS §8): evidence anchors, forced gaps, cross-file names."""

from __future__ import annotations

from mlops_conformance.extract.datarobot import parse_datarobot
from mlops_conformance.extract.model import SchemaDef, Source

HEAD = """GET /api/v2/alphas/

List alphas.

Code samples

curl -X GET \\
  -H "Accept: application/json"

Example responses

200 Response

  "beta": {
    "x": 1
  "gammas": [
      "y": "a b"

Status Meaning Description Schema
200 OK none Alpha

To perform this operation, you must be authenticated by means of one of the following methods:

"""

ALPHA = """
  "beta": {
    "x": 1
  "gammas": [
      "y": "a b"

Name Type Required Restrictions Description
beta Beta true The beta.
gammas [Gamma] true The gammas.
"""

BETA = """
  "x": 1

Name Type Required Restrictions Description
x integer true The x.
"""

GAMMA = """
  "y": "a b"

Name Type Required Restrictions Description
y string true The y.
"""

OTHER = """
  "z": true

Name Type Required Restrictions Description
z boolean true The z.
"""


def parse(text: str, references: dict[str, SchemaDef] | None = None):
    return parse_datarobot(
        "datarobot/names.txt", text, layout="B", title="Names", reference_schemas=references or {}
    )


def names(doc) -> list[tuple[str, str | None, bool]]:
    return [(s.name, s.recovered, s.placeholder) for s in doc.schemas]


def test_examples_and_nested_lines_name_every_block():
    doc = parse(HEAD + ALPHA + BETA + GAMMA)
    assert names(doc) == [
        ("Alpha", "evidence", False),
        ("Beta", "evidence", False),
        ("Gamma", "evidence", False),
    ]


def test_a_gap_with_as_many_blocks_as_names_is_forced_by_order():
    # Without nested example lines, Beta and Gamma have no evidence; the two blocks after the
    # Alpha anchor and the two names after it must match in order.
    alpha = ALPHA.replace('    "x": 1\n', "").replace('      "y": "a b"\n', "")
    head = HEAD.replace('    "x": 1\n', "").replace('      "y": "a b"\n', "")
    doc = parse(head + alpha + BETA + GAMMA)
    assert names(doc) == [("Alpha", "evidence", False), ("Beta", "order", False), ("Gamma", "order", False)]


def test_a_gap_with_fewer_blocks_than_names_stays_unnamed_and_names_become_placeholders():
    alpha = ALPHA.replace('    "x": 1\n', "").replace('      "y": "a b"\n', "")
    head = HEAD.replace('    "x": 1\n', "").replace('      "y": "a b"\n', "")
    doc = parse(head + alpha + OTHER)
    unnamed = [s for s in doc.schemas if s.name.startswith("Unnamed_")]
    assert [s.name for s in unnamed] == ["Unnamed_names_L30"]
    assert [(s.name, s.source.line) for s in doc.schemas if s.placeholder] == [("Beta", 27), ("Gamma", 28)]
    assert [i.source.line for i in doc.issues if i.kind == "unnamed-schema"] == [30]


def test_an_unnamed_block_takes_the_name_of_an_identical_schema_on_another_page():
    alpha = ALPHA.replace('    "x": 1\n', "").replace('      "y": "a b"\n', "")
    head = HEAD.replace('    "x": 1\n', "").replace('      "y": "a b"\n', "")
    other_page = {
        "Beta": SchemaDef(
            "Beta",
            {"type": "object", "properties": {"z": {"type": "boolean"}}},
            Source("datarobot/other.txt", 1),
        )
    }
    doc = parse(head + alpha + OTHER, other_page)
    assert names(doc)[:2] == [("Alpha", "evidence", False), ("Beta", "evidence", False)]
    assert [s.name for s in doc.schemas if s.placeholder] == ["Gamma"]


def test_a_cross_file_name_out_of_order_is_not_taken():
    alpha = ALPHA.replace('    "x": 1\n', "").replace('      "y": "a b"\n', "")
    head = HEAD.replace('    "x": 1\n', "").replace('      "y": "a b"\n', "")
    other_page = {
        "Aardvark": SchemaDef(
            "Aardvark",
            {"type": "object", "properties": {"z": {"type": "boolean"}}},
            Source("datarobot/other.txt", 1),
        )
    }
    doc = parse(head + alpha + OTHER, other_page)
    assert names(doc)[1][0].startswith("Unnamed_")
