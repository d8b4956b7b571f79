"""Reading vendored pages: bad bytes and unknown layouts are refused with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlops_conformance.errors import ExtractionError
from mlops_conformance.extract.sources import PAGES, detect_layout, read_text
from mlops_conformance.resources import sources_dir


@pytest.mark.parametrize(
    ("page", "layout"),
    [
        ("datarobot/use-cases.txt", "B"),
        ("datarobot/models.txt", "C"),
        ("datarobot/model-management.txt", "B"),
        ("datarobot/custom-models.txt", "A"),
        ("domino/rest-api.txt", "D"),
    ],
)
def test_each_vendored_page_is_detected_as_its_documented_layout(page: str, layout: str) -> None:
    text = read_text(sources_dir() / page, page)
    assert detect_layout(text, page) == layout


def test_every_registered_page_is_vendored() -> None:
    assert all((sources_dir() / page.path).is_file() for page in PAGES)


def test_non_utf8_bytes_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "p.txt"
    path.write_bytes(b"GET /api/v2/x/\n\nok\n\xff\xfe broken\n")
    with pytest.raises(ExtractionError, match=r"^p.txt:4: not valid UTF-8"):
        read_text(path, "p.txt")


def test_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.txt"
    path.write_text("  \n\n")
    with pytest.raises(ExtractionError, match="p.txt: file is empty"):
        read_text(path, "p.txt")


def test_binary_file_is_refused_with_the_line_of_the_nul_byte(tmp_path: Path) -> None:
    path = tmp_path / "p.txt"
    path.write_bytes(b"line one\nline two\x00\n")
    with pytest.raises(ExtractionError, match=r"p.txt:2: binary data"):
        read_text(path, "p.txt")


def test_text_in_no_known_layout_is_an_unknown_layout() -> None:
    with pytest.raises(ExtractionError, match=r"x.txt:1: unknown layout"):
        detect_layout("Just some prose.\nNothing like an API reference.\n", "x.txt")
