"""Schema conformance of responses to valid (positive) requests: status, content type, body, headers."""

from __future__ import annotations

from urllib.parse import urljoin

from ._core import DOCS, DRIFT, ERROR, FAIL, WARN, CheckContext, CheckFailed, register, worst
from ._exchange import BodyNotJSON, Exchange
from ._jsonschema import Finding, judge_for
from ._preconditions import with_documented_response
from ._responses import DocumentedResponse, documented_codes, media_matches, status_key


@register("schema.not_a_server_error", subject="positive")
def not_a_server_error(ctx: CheckContext, exchange: Exchange) -> None:
    """A valid request never gets a 5xx, documented or not: the server failed, not the client."""
    assert exchange.response is not None
    status = exchange.response.status
    if status >= 500:
        raise CheckFailed(
            f"Received: {status} / Documented: {documented_codes(ctx.operation)}",
            schema_path=ctx.pointer("responses"),
        )


@register("schema.status_code_documented", subject="positive")
def status_code_documented(ctx: CheckContext, exchange: Exchange) -> None:
    """The status is one the docs list for this operation.

    The documented success codes are a closed claim: a 2xx the docs do not list (200 where they say
    201) is ``fail`` (``warn`` when every documented success response is inferred). Any other
    undocumented status is ``drift``: the docs never close the set of errors. A 404 for a request
    whose path parameters were invented is the right answer, not drift.
    """
    assert exchange.response is not None
    status = exchange.response.status
    if status_key(ctx.operation, status) is not None:
        return
    if status == 404 and exchange.meta.get("fabricated"):
        return
    successes = success_codes(ctx)
    verdict = DRIFT
    if 200 <= status < 300 and successes:
        inferred = all(_inferred_response(ctx, key) for key in successes)
        verdict = WARN if inferred else FAIL
    raise CheckFailed(
        f"Received: {status} / Documented: {documented_codes(ctx.operation)}",
        verdict=verdict,
        schema_path=ctx.pointer("responses"),
        source=ctx.operation.source,
    )


def success_codes(ctx: CheckContext) -> list[str]:
    """The documented 2xx keys of the operation (``200``, ``2XX``)."""
    return [key for key in ctx.operation.responses if str(key)[:1] == "2"]


def _inferred_response(ctx: CheckContext, key: str) -> bool:
    spec = ctx.contract.resolve(ctx.operation.responses[key])
    return isinstance(spec, dict) and bool(spec.get("x-inferred"))


@register("schema.content_type", subject="positive")
@with_documented_response
def content_type(ctx: CheckContext, exchange: Exchange, documented: DocumentedResponse) -> None:
    """A response with a body carries one of the media types documented for its status."""
    assert exchange.response is not None
    allowed = list(documented.content)
    if not allowed or not exchange.response.content:
        return
    received = exchange.response.media_type
    if received is None:
        raise CheckFailed(
            f"Received: no Content-Type / Documented: {', '.join(allowed)}",
            schema_path=f"{documented.pointer}/content",
        )
    if not any(media_matches(received, media) for media in allowed):
        raise CheckFailed(
            f"Received: {received} / Documented: {', '.join(allowed)}",
            verdict=WARN if documented.inferred else FAIL,
            schema_path=f"{documented.pointer}/content",
        )


@register("schema.response_body", subject="positive")
@with_documented_response
def response_body(ctx: CheckContext, exchange: Exchange, documented: DocumentedResponse) -> None:
    """The JSON body is valid against the documented schema: required fields, types, formats,
    nullability and restrictions (``fail``; ``warn`` on inferred rules), with undocumented fields and
    enum values reported as ``drift``."""
    raise_findings(ctx, exchange, documented)


def raise_findings(
    ctx: CheckContext, exchange: Exchange, documented: DocumentedResponse, *, as_docs: bool = False
) -> None:
    """Validate ``exchange``'s body against ``documented`` and raise the worst finding, if any."""
    assert exchange.response is not None
    located = documented.json_schema(exchange.response.media_type)
    if located is None or exchange.response.status in (204, 304) or exchange.request.method == "HEAD":
        return  # HTTP forbids a body here, whatever the docs show
    schema, pointer = located
    if not exchange.response.content:
        raise CheckFailed(
            f"Received: empty body / Documented: a JSON body for {documented.key}",
            schema_path=pointer,
            source=ctx.operation.source,
        )
    try:
        body = exchange.response.json()
    except BodyNotJSON as exc:
        raise CheckFailed(str(exc), verdict=ERROR, schema_path=pointer) from None
    findings = judge_for(ctx.contract).findings(schema, body, pointer=pointer, inferred=documented.inferred)
    raise_worst(ctx, [f for f in findings if not _empty_page(ctx, body, f)], as_docs=as_docs)


def _empty_page(ctx: CheckContext, body: object, finding: Finding) -> bool:
    """An empty page of a paginated list is documented behaviour (an offset past the end), even when
    the items array says ``minItems``: that keyword describes full pages, not the end of the list."""
    items = (ctx.operation.pagination or {}).get("items")
    return (
        finding.keyword == "minItems"
        and bool(items)
        and finding.instance_path == f"$.{items}"
        and isinstance(body, dict)
        and body.get(items) == []
    )


def raise_worst(ctx: CheckContext, findings: list[Finding], *, as_docs: bool = False) -> None:
    """Raise the most severe of ``findings``; the others travel along as details."""
    if not findings:
        return
    verdict = worst([f.verdict for f in findings])
    first = next(f for f in findings if f.verdict == verdict)
    others = [f.message for f in findings if f is not first]
    suffix = f" (+{len(others)} more)" if others else ""
    raise CheckFailed(
        first.message + suffix,
        verdict=DOCS if as_docs else verdict,
        schema_path=first.schema_path,
        source=first.source or ctx.operation.source,
        details=others,
    )


@register("schema.response_headers", subject="positive")
@with_documented_response
def response_headers(ctx: CheckContext, exchange: Exchange, documented: DocumentedResponse) -> None:
    """Documented response headers are present where the contract requires them, and valid.

    OpenAPI makes a response header optional unless it says ``required: true``; extraction sets
    that only where the docs say the header is always sent ("See the Location header"). Any other
    documented header that is missing only ``warn``s (the docs imply it), and not even that when the
    docs' own words make it conditional ("if a status code 303 was returned, ...").
    """
    assert exchange.response is not None
    findings: list[Finding] = []
    judge = judge_for(ctx.contract)
    for name, spec in documented.headers.items():
        spec = ctx.contract.resolve(spec)
        if not isinstance(spec, dict) or name.lower() == "content-type":
            continue
        pointer = f"{documented.pointer}/headers/{name}"
        value = exchange.response.headers.get(name.lower())
        if value is None:
            if spec.get("required") is True or not is_conditional(spec.get("description")):
                verdict = FAIL if spec.get("required") is True else WARN
                findings.append(
                    Finding(
                        verdict,
                        f"Received: no {name} header / Documented: {name} on {documented.key}",
                        "$",
                        pointer,
                    )
                )
            continue
        schema = spec.get("schema")
        if name.lower() in ("location", "content-location"):
            # HTTP makes these a URI-reference (RFC 9110 §10.2.2): a relative one is resolved
            # against the request before a documented ``format: uri`` is judged.
            value = urljoin(exchange.request.url, value)
        if isinstance(schema, dict):
            for finding in judge.findings(schema, _coerce(value, schema), pointer=f"{pointer}/schema"):
                findings.append(
                    Finding(finding.verdict, f"header {name}: {finding.message}", "$", finding.schema_path)
                )
    raise_worst(ctx, findings)


_CONDITIONAL = ("if ", "when ", "only ", "unless ", "in case ")


def is_conditional(description: object) -> bool:
    """Whether the docs describe a header as sent only in some cases (their words, first clause)."""
    text = str(description or "").strip().lower()
    return text.startswith(_CONDITIONAL)


def _coerce(value: str, schema: dict[str, object]) -> object:
    """Header values are strings on the wire; read numbers and booleans the schema asks for."""
    kind = schema.get("type")
    try:
        if kind == "integer":
            return int(value)
        if kind == "number":
            return float(value)
    except ValueError:
        return value
    if kind == "boolean" and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return value
