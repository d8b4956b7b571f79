"""Segment the ``Endpoints`` section into tag headings and operations (VENDOR-DOCS.md §6.1).

Grammar, one item per non-blank line::

    <Tag>                                    CamelCase heading; 10 of the 23 have no operation
    <summary>                                the line just above the method
    GET|POST|PUT|PATCH|DELETE                the method alone on a line
    /api/...                                 the path on the next non-blank line
    Description / <text>...                  may be empty
    [Note / <text>...]                       the beta note (28 operations)
    [Parameters / NameDescriptionRequiredTypeInExample / <rows and spilled examples>]
    [Body Parameter / NameDescriptionRequired / <Model><description> <Model>]
    Responses / CodeMessageDatatype / <code><message>...

The tables are only cut out here; ``parameters`` splits the glued cells, because that needs the
vocabulary of the whole page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from http import HTTPStatus

from ...errors import ExtractionError
from ..model import RequestBody, Response
from .sections import Line

METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})
PARAMS_HEADER = "NameDescriptionRequiredTypeInExample"
BODY_HEADER = "NameDescriptionRequired"
RESPONSES_HEADER = "CodeMessageDatatype"
_SECTION_WORDS = ("Description", "Note", "Parameters", "Body Parameter", "Responses")
_TAG = re.compile(r"^[A-Z][A-Za-z0-9]*$")
_STATUS = re.compile(r"^([1-5]\d\d)(.*)$")
_BODY_ROW = re.compile(r"^(\S.*?)\s+(\S+)$")
_DEPRECATED = re.compile(r"(?:^Deprecated\b|\bDeprecated\.?$)")


@dataclass(slots=True)
class RawParameter:
    """A parameter row before its glued ``<name><description>`` cell is split."""

    line: int
    cell: str
    type: str
    location: str
    examples: list[Line] = field(default_factory=list)


@dataclass(slots=True)
class RawOperation:
    method: str
    path: str
    summary: str
    description: str
    note: str
    tag: str
    line: int  # the method line
    parameters: list[RawParameter] = field(default_factory=list)
    body: RequestBody | None = None
    responses: list[Response] = field(default_factory=list)

    @property
    def deprecated(self) -> bool:
        return bool(_DEPRECATED.search(self.summary)) or self.description.startswith("Deprecated")


def parse_endpoints(
    path: str, lines: list[Line], model_names: set[str]
) -> tuple[list[RawOperation], list[str]]:
    """Return the operations in page order and the tag headings (with or without operations)."""
    text = [line for line in lines if line.text.strip()]
    starts = [i for i, line in enumerate(text) if line.text.strip() in METHODS]
    operations: list[RawOperation] = []
    tags: list[str] = []
    tag: str | None = None
    cursor = 0  # first line not consumed yet
    for n, start in enumerate(starts):
        summary_at = start - 1
        if summary_at < cursor:
            raise ExtractionError(
                path, text[start].number, f"operation '{text[start].text.strip()}' has no summary line"
            )
        for heading in text[cursor:summary_at]:
            tag = _tag_heading(path, heading)
            tags.append(tag)
        if tag is None:
            raise ExtractionError(path, text[start].number, "operation before any tag heading")
        limit = starts[n + 1] - 1 if n + 1 < len(starts) else len(text)
        operation, cursor = _operation(path, text, start, limit, tag, model_names)
        operations.append(operation)
    for heading in text[cursor:]:
        tags.append(_tag_heading(path, heading))
    return operations, tags


def _tag_heading(path: str, line: Line) -> str:
    name = line.text.strip()
    if not _TAG.match(name):
        raise ExtractionError(
            path, line.number, f"expected a tag heading or an operation, found {name[:60]!r}"
        )
    return name


def _operation(
    path: str, text: list[Line], start: int, limit: int, tag: str, model_names: set[str]
) -> tuple[RawOperation, int]:
    """Parse one operation from its method line; return it and the index just after its responses."""
    method_line = text[start]
    if start + 1 >= len(text) or not text[start + 1].text.strip().startswith("/"):
        raise ExtractionError(
            path, method_line.number, f"method line '{method_line.text.strip()}' is not followed by a path"
        )
    op = RawOperation(
        method=method_line.text.strip(),
        path=text[start + 1].text.strip(),
        summary=text[start - 1].text.strip(),
        description="",
        note="",
        tag=tag,
        line=method_line.number,
    )
    i = start + 2
    seen_responses = False
    while i < limit:
        word = text[i].text.strip()
        if word == "Description":
            op.description, i = _prose(text, i + 1, limit)
        elif word == "Note":
            op.note, i = _prose(text, i + 1, limit)
        elif word == "Parameters":
            i = _expect_header(path, text, i, limit, PARAMS_HEADER)
            i = _parameter_rows(path, text, i, limit, op)
        elif word == "Body Parameter":
            i = _expect_header(path, text, i, limit, BODY_HEADER)
            op.body, i = _body_row(path, text, i, limit, model_names)
        elif word == "Responses":
            i = _expect_header(path, text, i, limit, RESPONSES_HEADER)
            op.responses, i = _responses(text, i, limit)
            seen_responses = True
            break
        else:
            raise ExtractionError(
                path, text[i].number, f"unexpected line in operation {op.method} {op.path}: {word[:60]!r}"
            )
    if not seen_responses or not op.responses:
        where = text[min(i, len(text)) - 1].number
        what = "the page ends inside" if limit >= len(text) else "no Responses table in"
        raise ExtractionError(
            path, where, f"{what} operation {op.method} {op.path} (started at line {op.line})"
        )
    return op, i


def _prose(text: list[Line], i: int, limit: int) -> tuple[str, int]:
    parts = []
    while i < limit and text[i].text.strip() not in _SECTION_WORDS:
        parts.append(text[i].text.strip())
        i += 1
    return "\n".join(parts), i


def _expect_header(path: str, text: list[Line], i: int, limit: int, header: str) -> int:
    if i + 1 >= limit or text[i + 1].text.strip() != header:
        raise ExtractionError(
            path, text[i].number, f"'{text[i].text.strip()}' is not followed by the '{header}' header"
        )
    return i + 2


#: A line that reads like a row with an unknown location (``…stringbody``), not a spilled example.
_MALFORMED_ROW = re.compile(r"^\S+\s.*(?:string|integer|boolean|number|array|object|Undefined)[a-z]+$")
_PARAM_ROW = re.compile(
    r"^(.*?)(string|integer|boolean|number|array|object|Undefined)(path|query|header|cookie)$"
)


def _parameter_rows(path: str, text: list[Line], i: int, limit: int, op: RawOperation) -> int:
    """Rows, each followed by the lines its Example column spilled onto."""
    while i < limit and text[i].text.strip() not in _SECTION_WORDS:
        line = text[i]
        match = _PARAM_ROW.match(line.text.strip())
        if match and match.group(1):
            op.parameters.append(RawParameter(line.number, match.group(1), match.group(2), match.group(3)))
        elif op.parameters and not _MALFORMED_ROW.match(line.text.strip()):
            op.parameters[-1].examples.append(Line(line.number, line.text.strip()))
        else:
            raise ExtractionError(
                path,
                line.number,
                f"parameter table row matches no '<name><description><type><in>' row: {line.text.strip()[:60]!r}",
            )
        i += 1
    if not op.parameters:
        raise ExtractionError(path, text[i - 1].number, f"empty parameter table in {op.method} {op.path}")
    return i


def _body_row(
    path: str, text: list[Line], i: int, limit: int, model_names: set[str]
) -> tuple[RequestBody, int]:
    if i >= limit or text[i].text.strip() in _SECTION_WORDS:
        raise ExtractionError(path, text[i - 1].number, "body parameter table has no row")
    line = text[i]
    cell = line.text.strip()
    match = _BODY_ROW.match(cell)
    model = match.group(2) if match else cell
    if model not in model_names:
        raise ExtractionError(
            path,
            line.number,
            f"request body refers to model '{model}', which the Models section does not define",
        )
    if not cell.startswith(model) or match is None:
        raise ExtractionError(
            path, line.number, f"body row does not start with its model name '{model}': {cell[:60]!r}"
        )
    description = cell[len(model) : -len(model)].strip()
    if description == "undefined":
        description = ""
    schema = {"$ref": f"#/components/schemas/{model}"}
    return RequestBody("application/json", schema, required=False, description=description), i + 1


def _responses(text: list[Line], i: int, limit: int) -> tuple[list[Response], int]:
    out: list[Response] = []
    while i < limit:
        match = _STATUS.match(text[i].text.strip())
        if not match:
            break
        out.append(Response(match.group(1), match.group(2).strip() or _reason(match.group(1))))
        i += 1
    return out, i


#: Reason phrases pinned here rather than taken from ``http.HTTPStatus``, whose wording changes between
#: Python versions (413 became "Content Too Large" in 3.13) and would make the contract non-reproducible.
_REASONS = {
    "200": "OK",
    "201": "Created",
    "202": "Accepted",
    "204": "No Content",
    "400": "Bad Request",
    "401": "Unauthorized",
    "403": "Forbidden",
    "404": "Not Found",
    "405": "Method Not Allowed",
    "409": "Conflict",
    "410": "Gone",
    "413": "Payload Too Large",
    "415": "Unsupported Media Type",
    "422": "Unprocessable Entity",
    "429": "Too Many Requests",
    "500": "Internal Server Error",
    "502": "Bad Gateway",
    "503": "Service Unavailable",
    "504": "Gateway Timeout",
}


def _reason(status: str) -> str:
    if status in _REASONS:
        return _REASONS[status]
    try:
        return HTTPStatus(int(status)).phrase
    except ValueError:
        return status
