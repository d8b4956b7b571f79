"""Documented examples: valid against their own schemas (else a ``docs`` verdict), and replayable."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ._core import DOCS, DRIFT, FAIL, CheckContext, CheckFailed, CheckSkipped, register
from ._exchange import Exchange
from ._jsonschema import Finding, judge_for
from ._preconditions import with_documented_response
from ._responses import DocumentedResponse, documented_codes, is_json_media, status_key
from .schema import raise_findings, status_code_documented


def media_examples(
    ctx: CheckContext, entry: dict[str, Any]
) -> Iterator[tuple[str, Any, dict[str, Any] | None]]:
    """``(label, value, x-source)`` for the ``example`` and every ``examples`` entry of a media object."""
    if "example" in entry:
        yield "example", entry["example"], entry.get("x-source")
    # ``x-invalid-examples``: documented examples that break their own schema, kept by extraction
    # out of ``examples`` so that no tool is handed an invalid one; still the docs' words.
    for key in ("examples", "x-invalid-examples"):
        examples = entry.get(key)
        if isinstance(examples, dict):
            for name, example in examples.items():
                example = ctx.contract.resolve(example)
                if isinstance(example, dict) and "value" in example:
                    yield f"examples/{name}", example["value"], example.get("x-source")


def _judge_example(
    ctx: CheckContext, schema: Any, value: Any, pointer: str, source: Any, label: str
) -> list[Finding]:
    found = judge_for(ctx.contract).findings(schema, value, pointer=pointer, exhaustive=True)
    # An example that breaks a rule *we* inferred says nothing about the docs: only documented
    # rules (fail) and the fields/values the schema does not list (drift) contradict them.
    return [
        Finding(DOCS, f"{label}: {f.message}", f.instance_path, f.schema_path, source or f.source)
        for f in found
        if f.verdict in (FAIL, DRIFT)
    ]


def _raise_docs(ctx: CheckContext, findings: list[Finding], seen: int, what: str) -> None:
    if not seen:
        raise CheckSkipped(f"no documented {what} example")
    if findings:
        first = findings[0]
        more = f" (+{len(findings) - 1} more)" if len(findings) > 1 else ""
        raise CheckFailed(
            first.message + more,
            verdict=DOCS,
            schema_path=first.schema_path,
            source=first.source or ctx.operation.source,
            details=[f.message for f in findings[1:]],
        )


@register("examples.response_examples", subject="document")
def response_examples(ctx: CheckContext, _: None) -> None:
    """Every documented response example is valid against the schema documented next to it; one that
    is not is a documentation bug (``docs``, with its ``x-source`` line), never the target's fault."""
    findings: list[Finding] = []
    seen = 0
    for key, response in ctx.operation.responses.items():
        response = ctx.contract.resolve(response)
        for media, entry in (response.get("content") or {}).items():
            if not (is_json_media(media) and isinstance(entry, dict) and "schema" in entry):
                continue
            pointer = ctx.pointer("responses", key, "content", media, "schema")
            source = response.get("x-source") or ctx.operation.source
            for label, value, where in media_examples(ctx, entry):
                seen += 1
                findings += _judge_example(
                    ctx, entry["schema"], value, pointer, where or source, f"{key} {label}"
                )
    _raise_docs(ctx, findings, seen, "response")


@register("examples.request_examples", subject="document")
def request_examples(ctx: CheckContext, _: None) -> None:
    """Documented request body and parameter examples are valid against their own schemas (``docs``)."""
    findings: list[Finding] = []
    seen = 0
    body = ctx.contract.resolve(ctx.operation.request_body or {})
    for media, entry in (body.get("content") or {}).items() if isinstance(body, dict) else ():
        if isinstance(entry, dict) and "schema" in entry and is_json_media(media):
            pointer = ctx.pointer("requestBody", "content", media, "schema")
            for label, value, where in media_examples(ctx, entry):
                seen += 1
                findings += _judge_example(
                    ctx, entry["schema"], value, pointer, where, f"request body {label}"
                )
    for index, parameter in enumerate(ctx.operation.parameters):
        if "example" in parameter and isinstance(parameter.get("schema"), dict):
            seen += 1
            pointer = ctx.pointer("parameters", str(index), "schema")
            label = f"{parameter.get('in')} parameter {parameter.get('name')!r} example"
            findings += _judge_example(
                ctx, parameter["schema"], parameter["example"], pointer, parameter.get("x-source"), label
            )
    _raise_docs(ctx, findings, seen, "request")


@register("examples.request_example_replay", subject="replay")
def request_example_replay(ctx: CheckContext, exchange: Exchange) -> None:
    """The documented request example, sent as written, gets a documented, non-5xx answer whose body
    is valid against the documented schema."""
    assert exchange.response is not None
    status = exchange.response.status
    if status >= 500:
        raise CheckFailed(
            f"Received: {status} for the documented example / Documented: {documented_codes(ctx.operation)}"
        )
    try:
        status_code_documented(ctx, exchange)  # an undocumented 2xx fails; other statuses are drift
    except CheckFailed as failed:
        failed.message = failed.message.replace(
            f"Received: {status}", f"Received: {status} for the documented example", 1
        )
        raise
    if status_key(ctx.operation, status) is None:
        return
    _replayed_body(ctx, exchange)


@with_documented_response
def _replayed_body(ctx: CheckContext, exchange: Exchange, documented: DocumentedResponse) -> None:
    raise_findings(ctx, exchange, documented)
