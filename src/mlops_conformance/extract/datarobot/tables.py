"""Table recognition and row grammars for the space-separated (A, B) and pipe-separated (C) layouts.

Tables are recognised by their header line (headings such as ``Parameters`` are gone in the lossy
scrapes, the header lines never are). The two renderings need different row readers:

* A/B: one row per line, the columns told apart by the row grammar; a blank line ends the table;
  a row whose tail is a restriction is followed by more restriction lines and then its description.
  A line inside a table that matches no row grammar means the page is not what this parser knows,
  so it is an ExtractionError rather than a silent skip.
* C: empty cells are collapsed and rows may break across lines, so a line starts a row iff it matches
  the row-start pattern, and every other ``|``-terminated line continues the previous row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from http import HTTPStatus

from ...errors import ExtractionError
from .lines import Page, cells, header_key
from .types import RESTRICTIONS_ONLY

HEADERS = {
    "Name In Type Required Description": "param",
    "Parameter Value": "param-enum",
    "Status Meaning Description Schema": "status",
    "Status Header Type Format Description": "header",
    "Name Type Required Restrictions Description": "prop",
    "Property Value": "enum",
    "Feature Flag Maturity Enabled by default Description": "flag",
}


def table_kind(line: str) -> str | None:
    """The kind of table a header line opens, or None if the line is no table header."""
    if not line or line[0] not in "NPSF":
        return None
    return HEADERS.get(header_key(line))


@dataclass(slots=True)
class ParamRow:
    name: str
    location: str
    type: str
    required: bool
    description: str
    line: int


@dataclass(slots=True)
class StatusRow:
    status: str
    reason: str
    description: str
    schema: str
    line: int


@dataclass(slots=True)
class HeaderRow:
    status: str
    name: str
    type: str
    format: str | None
    description: str
    line: int


@dataclass(slots=True)
class PropRow:
    depth: int
    name: str
    type: str
    required: bool
    restrictions: str
    description: str
    line: int


@dataclass(slots=True)
class EnumRow:
    name: str
    values: str
    line: int


@dataclass(slots=True)
class FlagRow:
    name: str
    maturity: str
    enabled: bool
    description: str
    line: int


Row = ParamRow | StatusRow | HeaderRow | PropRow | EnumRow | FlagRow

_EXTRA_REASONS = (
    "Payload Too Large",
    "Unprocessable Entity",
    "Unprocessable Content",
    "Content Too Large",
    "Request Entity Too Large",
    "Request-URI Too Long",
    "URI Too Long",
    "Range Not Satisfiable",
)
_REASONS = sorted({status.phrase for status in HTTPStatus} | set(_EXTRA_REASONS), key=len, reverse=True)
_REASON_ALT = "|".join(re.escape(reason) for reason in _REASONS)

_SPACE_ROW = {
    "param": re.compile(r"^(\S+) (query|path|body|header|formData) (\S+) (true|false)(?: (.*))?$"),
    "prop": re.compile(r"^((?:»+ )?)(\S+) (\S+) (true|false)(?: (.*))?$"),
    "status": re.compile(rf"^(\d{{3}}) ({_REASON_ALT})(?: (.*))?$"),
    "header": re.compile(r"^(\d{3}) (\S+) (\S+)(?: (.*))?$"),
    "enum": re.compile(r"^(\S+) (.+)$"),
    "param-enum": re.compile(r"^(\S+) (.+)$"),
    "flag": re.compile(r"^(\S+) (\S+) (true|false)(?: (.*))?$"),
}
_PIPE_ROW_START = {
    "param": re.compile(r"^\S+ \| (?:query|path|body|header|formData) \| "),
    "prop": re.compile(r"^(?:»+ )?\S+ \| \S+ \| (?:true|false) \|"),
    "status": re.compile(r"^\d{3} \| "),
    "header": re.compile(r"^\d{3} \| "),
    "enum": re.compile(r"^\S+ \| "),
    "param-enum": re.compile(r"^\S+ \| "),
    "flag": re.compile(r"^\S+ \| "),
}
#: Header cells written in lower case in the Format column (001: ``url``).
_FORMATS = frozenset({"url", "uri", "date-time", "binary", "byte", "int32", "int64", "email", "uuid"})


#: Tables that may legitimately be empty: the scrape deleted their upper-case rows (VENDOR-DOCS §2.2).
_MAY_BE_EMPTY = frozenset({"enum", "param-enum"})


def read_table(page: Page, start: int, kind: str) -> tuple[list[Row], int]:
    """Read the rows of a table whose header is at ``start``; returns the rows and the next index."""
    if page.layout == "C":
        rows, end = _read_pipe(page, start + 1, kind)
    else:
        rows, end = _read_space(page, start + 1, kind)
    if not rows and kind not in _MAY_BE_EMPTY:
        raise ExtractionError(page.path, start + 1, f"{kind} table header without any row")
    return rows, end


def _fail(page: Page, index: int, kind: str) -> ExtractionError:
    text = page.lines[index].strip()
    shown = text if len(text) <= 70 else text[:67] + "..."
    return ExtractionError(
        page.path, index + 1, f"{kind} table row does not match the row grammar: {shown!r}"
    )


def _read_space(page: Page, i: int, kind: str) -> tuple[list[Row], int]:
    lines = page.lines
    n = len(lines)
    pattern = _SPACE_ROW[kind]
    rows: list[Row] = []
    while i < n and lines[i].strip():
        line = lines[i].strip()
        match = pattern.match(line)
        if not match:
            raise _fail(page, i, kind)
        number = i + 1
        i += 1
        if kind == "prop":
            depth = match[1].count("»")
            tail = match[5] or ""
            restrictions = ""
            if RESTRICTIONS_ONLY.match(tail):
                parts = [tail]
                while i < n and RESTRICTIONS_ONLY.match(lines[i].strip()):
                    parts.append(lines[i].strip())
                    i += 1
                restrictions = " ".join(parts)
                tail = ""
                if i < n and lines[i].strip():
                    tail = lines[i].strip()
                    i += 1
            rows.append(PropRow(depth, match[2], match[3], match[4] == "true", restrictions, tail, number))
        elif kind == "param":
            rows.append(ParamRow(match[1], match[2], match[3], match[4] == "true", match[5] or "", number))
        elif kind == "status":
            rows.append(_space_status(match[1], match[2], match[3] or "", number))
        elif kind == "header":
            rows.append(_header(match[1], match[2], match[3], (match[4] or "").split(" ", 1), number))
        elif kind == "flag":
            rows.append(FlagRow(match[1], match[2], match[3] == "true", match[4] or "", number))
        else:
            rows.append(EnumRow(match[1], match[2], number))
    return rows, i


def _space_status(status: str, reason: str, tail: str, number: int) -> StatusRow:
    """The Schema cell is the last token; everything between the reason and it is the description."""
    words = tail.rsplit(" ", 1)
    if len(words) == 2:
        return StatusRow(status, reason, words[0], words[1], number)
    return StatusRow(status, reason, "", words[0], number)


def _header(status: str, name: str, kind: str, rest: list[str], number: int) -> HeaderRow:
    rest = [part for part in rest if part]
    if len(rest) >= 2 and rest[0] in _FORMATS:
        return HeaderRow(status, name, kind, rest[0], " ".join(rest[1:]), number)
    return HeaderRow(status, name, kind, None, " ".join(rest), number)


def _read_pipe(page: Page, i: int, kind: str) -> tuple[list[Row], int]:
    lines = page.lines
    n = len(lines)
    start = _PIPE_ROW_START[kind]
    logical: list[list] = []
    while i < n and lines[i].endswith("|") and table_kind(lines[i]) is None:
        line = lines[i]
        if start.match(line) or not logical:
            logical.append([i, line])
        else:
            logical[-1][1] += " " + line
        i += 1
    rows: list[Row] = []
    for index, text in logical:
        row = _pipe_row(kind, cells(text), index + 1)
        if row is None:
            raise _fail(page, index, kind)
        rows.append(row)
    return rows, i


def _pipe_row(kind: str, parts: list[str], number: int) -> Row | None:
    if kind == "param":
        if len(parts) < 4 or parts[3] not in ("true", "false"):
            return None
        return ParamRow(parts[0], parts[1], parts[2], parts[3] == "true", " ".join(parts[4:]), number)
    if kind == "prop":
        if len(parts) < 3 or parts[2] not in ("true", "false"):
            return None
        name = parts[0]
        depth = 0
        while name.startswith("»"):
            depth += 1
            name = name[1:]
        rest = parts[3:]
        restrictions = ""
        if rest and RESTRICTIONS_ONLY.match(rest[0]):
            restrictions, rest = rest[0], rest[1:]
        return PropRow(
            depth, name.strip(), parts[1], parts[2] == "true", restrictions, " ".join(rest), number
        )
    if kind == "status":
        if len(parts) < 3 or not parts[0].isdigit():
            return None
        return StatusRow(parts[0], parts[1], " ".join(parts[2:-1]), parts[-1], number)
    if kind == "header":
        if len(parts) < 3:
            return None
        if len(parts) >= 5:
            return HeaderRow(parts[0], parts[1], parts[2], parts[3], " ".join(parts[4:]), number)
        return HeaderRow(parts[0], parts[1], parts[2], None, " ".join(parts[3:]), number)
    if kind == "flag":
        if len(parts) < 3 or parts[2] not in ("true", "false"):
            return None
        return FlagRow(parts[0], parts[1], parts[2] == "true", " ".join(parts[3:]), number)
    if len(parts) < 2:
        return None
    return EnumRow(parts[0], " ".join(parts[1:]), number)
