"""Line normalisation shared by the three DataRobot renderings (layouts A, B and C).

The scrapes differ in whitespace, pilcrows and page chrome, not in content; normalising those once
lets every later stage compare lines by plain string equality. Line numbers stay 1-based and are
never renumbered, because every Source and every error must point at the vendored file itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Page footers ("Updated March 25, 2025", "更新しました June 11, 2024"): page chrome, never content.
_FOOTER = re.compile(r"^(?:Updated|更新しました)\s+[A-Z][a-z]+ \d{1,2}, \d{4}$")
#: An operation header; 001 adds a pilcrow, which normalisation has already removed.
OPERATION = re.compile(r"^(GET|POST|PUT|PATCH|DELETE) (/api/v2/\S+)$")
_HEADINGS_WITH_PILCROW = "¶"


@dataclass(frozen=True, slots=True)
class Page:
    """A page as normalised lines; ``lines[i]`` is line ``i + 1`` of the file."""

    path: str
    layout: str
    lines: tuple[str, ...]

    def number(self, index: int) -> int:
        """The 1-based line number of a 0-based index (clamped to the last line)."""
        return min(index, len(self.lines) - 1) + 1 if self.lines else 1


def normalise(path: str, text: str, layout: str) -> Page:
    """Split into lines, drop pilcrows and trailing blanks, and blank out page footers.

    Footers are blanked rather than deleted so that line numbers still match the file.
    """
    raw = text.split("\n")
    if raw and raw[-1] == "":
        raw.pop()
    out: list[str] = []
    for line in raw:
        line = line.rstrip()
        if line.endswith(_HEADINGS_WITH_PILCROW):
            line = line[:-1].rstrip()
        if _FOOTER.match(line.strip()):
            line = ""
        out.append(line)
    return Page(path=path, layout=layout, lines=tuple(out))


def cells(line: str) -> list[str]:
    """Split a pipe-separated row (layout C) into its non-empty cells.

    Empty cells are collapsed by the scrape, so positions are meaningless and empty cells carry no
    information; dropping them gives the same cell list whatever the collapsing did.
    """
    body = line.strip()
    body = body.removesuffix("|")
    return [cell.strip() for cell in body.split(" | ") if cell.strip() and cell.strip() != "|"]


def header_key(line: str) -> str:
    """A table header reduced to its words, so ``Name | In | Type |`` equals ``Name In Type``."""
    return " ".join(line.replace("|", " ").split())
