"""The neutral model every documentation parser produces and the OpenAPI writer consumes.

Parsers know layouts; the writer knows OpenAPI. This module is the narrow waist between them, so a
new vendor layout only has to fill these dataclasses. Schemas are already JSON Schema 2020-12
fragments (OpenAPI 3.1 dialect) whose references point at ``#/components/schemas/<Name>``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Sentinel for "no example documented" (``None`` is a legitimate JSON example value).
NO_EXAMPLE: Any = type(
    "NoExample", (), {"__repr__": lambda self: "NO_EXAMPLE", "__bool__": lambda self: False}
)()

JsonSchema = dict[str, Any]


@dataclass(slots=True)
class Source:
    """Where something was read: path relative to ``contracts/sources/`` and a 1-based line.

    A source that has no lines (MLflow's protobuf descriptors) names the proto ``message`` (or enum)
    and, for an operation, the service ``method`` instead; ``line`` is then ``None`` and left out.
    """

    document: str
    line: int | None
    message: str | None = None
    method: str | None = None

    def as_extension(self) -> dict[str, Any]:
        out: dict[str, Any] = {"document": self.document}
        if self.line is not None:
            out["line"] = self.line
        if self.method is not None:
            out["method"] = self.method
        if self.message is not None:
            out["message"] = self.message
        return out


@dataclass(slots=True)
class Parameter:
    name: str
    location: str  # "query" | "path" | "header"
    schema: JsonSchema
    required: bool = False
    description: str = ""
    deprecated: bool = False
    example: Any = NO_EXAMPLE


@dataclass(slots=True)
class Example:
    """A documented example value and the line its text starts on."""

    value: Any
    line: int


@dataclass(slots=True)
class RequestBody:
    media_type: str  # "application/json" | "multipart/form-data" | ...
    schema: JsonSchema
    required: bool = False
    description: str = ""
    example: Example | None = None


@dataclass(slots=True)
class ResponseHeader:
    name: str
    schema: JsonSchema
    description: str = ""
    required: bool = False  # the docs say it is always sent ("See the Location header")


@dataclass(slots=True)
class Response:
    status: str  # "200", "404", ...
    description: str
    schema: JsonSchema | None = None  # None: the docs give no body schema
    media_type: str = "application/json"
    headers: list[ResponseHeader] = field(default_factory=list)
    example: Example | None = None
    #: Name of the rule that produced ``schema`` when the docs did not state it (``x-inferred``).
    inferred: str | None = None


@dataclass(slots=True)
class Operation:
    method: str  # upper case
    path: str
    summary: str
    description: str
    tag: str
    source: Source
    parameters: list[Parameter] = field(default_factory=list)
    request_body: RequestBody | None = None
    responses: list[Response] = field(default_factory=list)
    deprecated: bool = False
    #: Extra ``x-`` keys the parser wants on the operation (e.g. ``x-feature-flags``).
    extensions: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str]:
        return (self.method, self.path)


@dataclass(slots=True)
class SchemaDef:
    name: str
    schema: JsonSchema
    source: Source
    #: "evidence" or "order" when the name was lost in the scrape and recovered (VENDOR-DOCS §8).
    recovered: str | None = None
    #: Referenced, but its block was cut off or never shown: the schema accepts anything.
    placeholder: bool = False
    example: Example | None = None


@dataclass(slots=True)
class DocIssue:
    """Something wrong with the documentation itself, reported against the docs, never a target."""

    source: Source
    kind: str  # "example-mismatch" | "example-unparsed" | "disagreement" | "unnamed-schema" | ...
    message: str


@dataclass(slots=True)
class ExtractStats:
    operations: int = 0
    schemas_named: int = 0
    schemas_recovered: int = 0
    schemas_placeholder: int = 0
    enums_lost: int = 0
    examples_parsed: int = 0
    examples_failed: int = 0
    examples_inconsistent: int = 0
    paginated: int = 0


@dataclass(slots=True)
class Document:
    """One parsed vendor page."""

    path: str  # relative to contracts/sources/, e.g. "datarobot/use-cases.txt"
    vendor: str  # "datarobot" | "domino"
    title: str  # the page, used as the operations' tag
    layout: str  # "A" | "B" | "C" | "D"
    operations: list[Operation] = field(default_factory=list)
    schemas: list[SchemaDef] = field(default_factory=list)
    issues: list[DocIssue] = field(default_factory=list)
    enums_lost: int = 0
    examples_parsed: int = 0
    examples_failed: int = 0
