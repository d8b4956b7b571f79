"""One operation region (from its ``METHOD /api/v2/...`` line to the next) as a line-driven state machine.

Order on the page: summary and description up to ``Code samples`` (001 puts its feature-flag table
there), the curl sample (content type, accept, 002's ``-d '{Name}'`` body placeholder), the body
example, the parameter table and its enums, the response examples, the status table, the response
headers, and 001's inline ``Response Schema`` trees. Examples are kept as text here: a C example
can only be read once the schemas it nests are known.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ...errors import ExtractionError
from ..model import Operation, Parameter, RequestBody, Response, ResponseHeader, Source
from .examples import RawExample
from .lines import OPERATION, Page
from .nodes import DEPRECATED_MARK, Node, attach_enum, build_tree, find
from .tables import EnumRow, FlagRow, HeaderRow, ParamRow, PropRow, StatusRow, read_table, table_kind
from .types import TypeSyntaxError, coerce_enum, enum_values, is_name, parse_type, ref

_DEPRECATED_OP = re.compile(
    r"\bDEPRECATED\b|deprecated::|\(Deprecated in v\d[\w.]*\)|\bDeprecated in v\d[\w.]*\.|\bAPI is deprecated\b"
)
_DEFAULT = re.compile(r"\b[Dd]efault(?:s to|:| value is)? \(?([-\w.]+?)\)?(?=[\s,.;)]|$)")
_CONTENT_TYPE = re.compile(r'-H "Content-Type: ([^"]+)"')
_ACCEPT = re.compile(r'-H "Accept: ([^"]+)"')
_BODY_PLACEHOLDER = re.compile(r"-d '\{(\w+)\}'")
_RESPONSE_EXAMPLE = re.compile(r"^(\d{3}) Response$")
_STATUS_CODE = re.compile(r"^Status Code (\d{3})$")
_JSON_B = re.compile(r'^\s+"')
_SKIP = frozenset(
    {
        "Code samples",
        "Parameters",
        "Responses",
        "Example responses",
        "Enumerated Values",
        "Response Headers",
        "Response Schema",
        "BearerAuth",
    }
)
_NOT_EXAMPLE = frozenset(_SKIP | {"Body parameter"})
_PRIMITIVE_RESPONSES = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean"}


@dataclass(slots=True)
class Inline:
    """An inline response schema (001): its status and the nodes of its » tree."""

    status: str
    nodes: list[Node]
    line: int
    empty_enum_tables: int = 0


@dataclass(slots=True)
class OperationDraft:
    """An operation plus the raw material later stages need (examples, references, evidence)."""

    operation: Operation
    body_name: str | None = None
    body_line: int = 0
    body_example: RawExample | None = None
    response_examples: dict[str, RawExample] = field(default_factory=dict)
    #: (status, schema name) of every status row naming a schema.
    response_names: list[tuple[str, str, int]] = field(default_factory=list)
    inline: list[Inline] = field(default_factory=list)
    issues: list[tuple[int, str, str]] = field(default_factory=list)


def parse_operation(page: Page, start: int, end: int, title: str) -> OperationDraft:
    """Read the operation whose header is line ``start`` (0-based) and whose region ends at ``end``."""
    lines = page.lines
    match = OPERATION.match(lines[start])
    assert match is not None
    method, path = match[1], match[2]
    i = start + 1
    text_lines: list[str] = []
    flags: list[dict[str, Any]] = []
    while i < end and lines[i].strip() != "Code samples":
        kind = table_kind(lines[i].strip())
        if kind == "flag":
            rows, i = read_table(page, i, kind)
            flags.extend(_flag(row) for row in rows if isinstance(row, FlagRow))
            continue
        if kind is not None:
            break
        text_lines.append(lines[i])
        i += 1
    summary, description = _describe(text_lines, page.layout)
    op = Operation(
        method=method,
        path=path,
        summary=summary,
        description=description,
        tag=title,
        source=Source(page.path, start + 1),
        deprecated=bool(_DEPRECATED_OP.search(summary + "\n" + description)),
    )
    if flags:
        op.extensions["x-feature-flags"] = flags
    draft = OperationDraft(op)
    state = _State()
    while i < end:
        text = lines[i].strip()
        kind = table_kind(text) if text else None
        if kind is not None:
            header = i
            rows, i = read_table(page, i, kind)
            _table(page, draft, state, kind, rows, header)
        elif (
            not text
            or text in _SKIP
            or text.startswith(("# You can also use wget", "To perform this operation"))
        ):
            i += 1
        elif text.startswith(("curl ", "-H ", "-d ")):
            _curl(text, state)
            i += 1
        elif text == "Body parameter":
            draft.body_example, i = _example(page, i + 1, end, yaml=state.multipart)
        elif _RESPONSE_EXAMPLE.match(text):
            status = text[:3]
            example, i = _example(page, i + 1, end, yaml=False)
            if example is not None:
                draft.response_examples[status] = example
        elif _STATUS_CODE.match(text):
            state.inline_status = text[-3:]
            state.inline_line = i + 1
            i += 1
        else:
            raise ExtractionError(
                page.path, i + 1, f"unexpected line in operation {method} {path}: {text[:60]!r}"
            )
    _finish(page, draft, state)
    return draft


@dataclass(slots=True)
class _State:
    content_type: str | None = None
    accept: str | None = None
    placeholder: str | None = None
    multipart: bool = False
    params: list[ParamRow] = field(default_factory=list)
    param_enums: list[EnumRow] = field(default_factory=list)
    statuses: list[StatusRow] = field(default_factory=list)
    headers: list[HeaderRow] = field(default_factory=list)
    inline_status: str | None = None
    inline_line: int = 0


def _describe(text_lines: list[str], layout: str) -> tuple[str, str]:
    """Summary = first line; description = the rest, paragraphs joined with a blank line.

    C has no blank lines, so each line is a paragraph, except that a line starting in lower case
    continues the one before (the scrape broke lines at inline code spans, VENDOR-DOCS §2.4).
    """
    lines = [line.rstrip() for line in text_lines]
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        return "", ""
    summary = lines[0].strip()
    paragraphs: list[list[str]] = []
    current: list[str] = []
    for line in lines[1:]:
        stripped = line.strip()
        if layout == "C":
            if stripped and paragraphs and stripped[0].islower():
                paragraphs[-1][-1] += " " + stripped
            elif stripped:
                paragraphs.append([stripped])
            continue
        if not stripped:
            if current:
                paragraphs.append(current)
                current = []
            continue
        current.append(line)
    if current:
        paragraphs.append(current)
    return summary, "\n\n".join("\n".join(p) for p in paragraphs)


def _flag(row: FlagRow) -> dict[str, Any]:
    return {
        "name": row.name,
        "maturity": row.maturity,
        "enabledByDefault": row.enabled,
        "description": row.description,
    }


def _curl(text: str, state: _State) -> None:
    if match := _CONTENT_TYPE.search(text):
        state.content_type = match[1].strip()
        state.multipart = state.content_type.startswith("multipart/")
    if match := _ACCEPT.search(text):
        state.accept = match[1].strip()
    if (match := _BODY_PLACEHOLDER.search(text)) and match[1] != "undefined":
        state.placeholder = match[1]


def _example(page: Page, i: int, end: int, *, yaml: bool) -> tuple[RawExample | None, int]:
    """The example after ``Body parameter`` or ``NNN Response``; None if the scrape left nothing."""
    lines = page.lines
    while i < end and not lines[i].strip():
        i += 1
    first = i
    if page.layout == "C":
        while i < end and lines[i].strip() and not _ends_example(lines[i].strip()):
            i += 1
    elif page.layout == "B" and not yaml:
        # Only the indented JSON lines: the blank line before the next table may be gone too.
        while i < end and _JSON_B.match(lines[i]):
            i += 1
    else:
        while i < end and lines[i].strip() and not _ends_example(lines[i].strip()):
            i += 1
    if i == first:
        return None, i
    return RawExample(list(lines[first:i]), first + 1, yaml=yaml), i


def _ends_example(text: str) -> bool:
    return (
        table_kind(text) is not None
        or text in _NOT_EXAMPLE
        or bool(_RESPONSE_EXAMPLE.match(text))
        or text.startswith("To perform this operation")
        or bool(OPERATION.match(text))
    )


def _table(page: Page, draft: OperationDraft, state: _State, kind: str, rows: list, header: int) -> None:
    if kind == "param":
        state.params.extend(rows)
    elif kind == "param-enum":
        state.param_enums.extend(rows)
    elif kind == "status":
        state.statuses.extend(rows)
    elif kind == "header":
        state.headers.extend(rows)
    elif kind == "prop":
        if state.inline_status is None:
            raise ExtractionError(
                page.path, header + 1, "property table inside an operation without 'Status Code'"
            )
        prop_rows: list[PropRow] = rows
        nodes = build_tree(page.path, prop_rows)
        draft.inline.append(Inline(state.inline_status, nodes, state.inline_line))
        state.inline_status = None
    elif kind == "enum":
        if not draft.inline:
            raise ExtractionError(
                page.path, header + 1, "property enum table inside an operation without a schema"
            )
        inline = draft.inline[-1]
        if not rows:
            inline.empty_enum_tables += 1
        for row in rows:
            matches = find(inline.nodes, row.name)
            if not matches:
                draft.issues.append((row.line, "enum-orphan", f"enum for unknown property {row.name!r}"))
            for node in matches:
                attach_enum(node, row.values, row.line)
    else:
        raise ExtractionError(page.path, header + 1, f"unexpected {kind} table inside an operation")


def _finish(page: Page, draft: OperationDraft, state: _State) -> None:
    op = draft.operation
    if not state.statuses:
        raise ExtractionError(
            page.path,
            op.source.line,
            f"operation {op.method} {op.path} has no status table (is the page truncated?)",
        )
    for row in state.params:
        if row.location == "body":
            draft.body_name = row.type
            draft.body_line = row.line
            op.request_body = RequestBody(
                media_type=state.content_type or "application/json",
                schema=ref(row.type) if is_name(row.type) else _param_schema(page, row),
                required=row.required,
                description=_text(row.description),
            )
            continue
        op.parameters.append(_parameter(page, row))
    if op.request_body is None and state.placeholder:
        draft.body_name = state.placeholder
        op.request_body = RequestBody(
            media_type=state.content_type or "application/json", schema=ref(state.placeholder)
        )
    elif state.placeholder and draft.body_name != state.placeholder:
        draft.issues.append(
            (
                op.source.line,
                "disagreement",
                f"body is {draft.body_name} but the curl sample sends {state.placeholder}",
            )
        )
    by_name = {param.name: param for param in op.parameters}
    for enum_row in state.param_enums:
        param = by_name.get(enum_row.name)
        if param is None:
            draft.issues.append(
                (enum_row.line, "enum-orphan", f"enum for unknown parameter {enum_row.name!r}")
            )
            continue
        target = param.schema.get("items", param.schema)
        values, dropped = coerce_enum(enum_values(enum_row.values), target)
        if dropped:
            draft.issues.append(
                (enum_row.line, "enum-null", f"{enum_row.name}: enum value null dropped (type forbids null)")
            )
        if values:
            target["enum"] = values
    for param in op.parameters:
        _default(param)
    media = state.accept or "application/json"
    for status_row in state.statuses:
        op.responses.append(_response(page, draft, status_row, media))
    responses = {response.status: response for response in op.responses}
    for header_row in state.headers:
        response = responses.get(header_row.status)
        schema: dict[str, Any] = {"type": header_row.type} if header_row.type in _PRIMITIVE_RESPONSES else {}
        if header_row.format:
            schema["format"] = "uri" if header_row.format == "url" else header_row.format
        header = ResponseHeader(header_row.name, schema, _text(header_row.description))
        if response is None:
            draft.issues.append(
                (
                    header_row.line,
                    "disagreement",
                    f"header {header_row.name} for undocumented status {header_row.status}",
                )
            )
            continue
        header.required = refers_to_header(response.description, header_row.name)
        response.headers.append(header)
    for status in draft.response_examples:
        if status not in responses:
            line = draft.response_examples[status].line
            draft.issues.append((line, "disagreement", f"example for undocumented status {status}"))


def _text(description: str) -> str:
    description = description.strip()
    return "" if description == "none" else description


def _param_schema(page: Page, row: ParamRow) -> dict[str, Any]:
    try:
        return parse_type(row.type).schema
    except TypeSyntaxError as exc:
        raise ExtractionError(page.path, row.line, f"{exc} for parameter {row.name!r}") from None


def _parameter(page: Page, row: ParamRow) -> Parameter:
    if row.location not in ("query", "path", "header"):
        raise ExtractionError(
            page.path, row.line, f"parameter {row.name!r} in {row.location!r} is not supported"
        )
    description = _text(row.description)
    return Parameter(
        name=row.name,
        location=row.location,
        schema=_param_schema(page, row),
        required=row.required or row.location == "path",
        description=description,
        deprecated=DEPRECATED_MARK in description,
    )


def _default(param: Parameter) -> None:
    """Record a default only when the prose states one value that fits the type (or the enum)."""
    found = {match[1] for match in _DEFAULT.finditer(param.description)}
    if len(found) != 1:
        return
    raw = found.pop().rstrip(".")
    kind = param.schema.get("type")
    value: Any
    try:
        if kind == "integer":
            value = int(raw)
        elif kind == "number":
            value = float(raw) if "." in raw else int(raw)
        elif kind == "boolean" and raw in ("true", "false"):
            value = raw == "true"
        elif raw in param.schema.get("enum", ()):
            value = raw
        else:
            return
    except ValueError:
        return
    if "enum" in param.schema and value not in param.schema["enum"]:
        return
    param.schema["default"] = value


def _response(page: Page, draft: OperationDraft, row: StatusRow, media: str) -> Response:
    description = _text(row.description) or row.reason
    cell = row.schema
    response = Response(status=row.status, description=description, media_type=media)
    if cell == "None":
        return response
    if cell == "Inline":
        return response  # filled from the inline tree once read
    if cell in _PRIMITIVE_RESPONSES:
        response.schema = {"type": cell}
        return response
    if not is_name(cell):
        raise ExtractionError(page.path, row.line, f"unknown Schema cell {cell!r} in the status table")
    response.schema = ref(cell)
    draft.response_names.append((row.status, cell, row.line))
    return response


def refers_to_header(description: str | None, name: str) -> bool:
    """Whether a response's description sends the reader to the header ("See the Location header"):
    the docs' one way of saying that this response always carries it."""
    pattern = rf"\bsee\s+(?:the\s+)?{re.escape(name)}\s+header\b"
    return re.search(pattern, description or "", re.IGNORECASE) is not None
