"""Cut the Domino page into its two sections, ``Endpoints`` and ``Models``, keeping file line numbers.

Every later stage reports errors and sources against the vendored file, so lines are carried with
their 1-based number from here on and never renumbered.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...errors import ExtractionError

ENDPOINTS_HEADING = "Endpoints"
MODELS_HEADING = "Models"
OBJECT_HEADER = "Field NameRequiredTypeDescriptionExample"
SCALAR_HEADER = "TypeDescriptionExampleFormat"
MODEL_HEADERS = (OBJECT_HEADER, SCALAR_HEADER)


@dataclass(frozen=True, slots=True)
class Line:
    number: int  # 1-based, in the vendored file
    text: str  # right-stripped; "" for a blank line


@dataclass(frozen=True, slots=True)
class Sections:
    endpoints: list[Line]  # after the Endpoints heading, before the Models heading
    models: list[Line]  # after the Models heading, to the end of the file
    last_line: int


def to_lines(text: str) -> list[Line]:
    return [Line(number, raw.rstrip()) for number, raw in enumerate(text.split("\n"), start=1)]


def split_sections(path: str, text: str) -> Sections:
    """Find the two headings; a page without them is not a Domino reference page (or is truncated)."""
    lines = to_lines(text)
    start = next((i for i, line in enumerate(lines) if line.text.strip() == ENDPOINTS_HEADING), None)
    if start is None:
        raise ExtractionError(path, 1, f"no '{ENDPOINTS_HEADING}' heading: not a Domino REST reference page")
    models = _models_heading(lines, start)
    if models is None:
        last = _last_text_line(lines)
        raise ExtractionError(
            path,
            last,
            f"no '{MODELS_HEADING}' section after the endpoints: the page is truncated or incomplete",
        )
    return Sections(lines[start + 1 : models], lines[models + 1 :], _last_text_line(lines))


def _models_heading(lines: list[Line], start: int) -> int | None:
    """The ``Models`` line followed by a model name and a model table header (a tag could be named Models)."""
    fallback = None
    for i in range(start + 1, len(lines)):
        if lines[i].text.strip() != MODELS_HEADING:
            continue
        fallback = i if fallback is None else fallback
        following = [line.text.strip() for line in lines[i + 1 : i + 8] if line.text.strip()][:2]
        if len(following) == 2 and following[1] in MODEL_HEADERS:
            return i
    return fallback


def _last_text_line(lines: list[Line]) -> int:
    for line in reversed(lines):
        if line.text.strip():
            return line.number
    return 1
