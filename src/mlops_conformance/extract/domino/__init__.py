"""Parser for the Domino "REST API reference" page (layout D) -> the neutral extraction model.

Stages, each in its own module: ``sections`` cuts the page at ``Endpoints``/``Models``; ``models``
(with ``fields`` and ``items``) reads the model blocks, whose names the endpoint parser needs to check
request bodies; ``endpoints`` segments tags and operations; ``parameters`` splits the glued
parameter cells; ``envelopes`` infers the response bodies the page never states.
"""

from __future__ import annotations

from ..model import DocIssue, Document, Operation, Source
from .endpoints import parse_endpoints
from .envelopes import infer_responses
from .models import model_blocks, read_models
from .parameters import Counts, build_parameters
from .sections import split_sections

__all__ = ["parse_domino"]

NOTE_PREFIX = "Note: "


def parse_domino(path: str, text: str, *, title: str = "REST API reference") -> Document:
    """Parse the whole page; raise ``ExtractionError`` (with file and line) where its grammar breaks."""
    sections = split_sections(path, text)
    issues: list[DocIssue] = []
    blocks = model_blocks(path, sections.models, sections.last_line)
    models = read_models(path, blocks, issues)
    names = {s.name for s in models.schemas}
    raw_operations, _tags = parse_endpoints(path, sections.endpoints, names)
    counts = Counts()
    parameters = build_parameters(path, raw_operations, issues, counts)
    operations = []
    for raw in raw_operations:
        description = raw.description
        if raw.note:
            note = NOTE_PREFIX + raw.note
            description = f"{description}\n\n{note}" if description else note
        operations.append(
            Operation(
                method=raw.method,
                path=raw.path,
                summary=raw.summary,
                description=description,
                tag=raw.tag,
                source=Source(path, raw.line),
                parameters=parameters[raw.line],
                request_body=raw.body,
                responses=raw.responses,
                deprecated=raw.deprecated,
            )
        )
    bodies = {op.request_body.schema["$ref"].rsplit("/", 1)[-1] for op in operations if op.request_body}
    infer_responses(operations, models.schemas, models.referenced | bodies)
    return Document(
        path=path,
        vendor="domino",
        title=title,
        layout="D",
        operations=operations,
        schemas=models.schemas,
        issues=issues,
        examples_parsed=counts.parsed + models.examples_parsed,
        # every example that could not be used is logged once as an issue, whatever the reason
        examples_failed=sum(1 for issue in issues if issue.kind == "example-unparsed"),
    )
