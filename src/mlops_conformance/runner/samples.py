"""The request samples per operation that the per-exchange checks judge.

positive         schemathesis positive cases (valid requests), with ids that exist
negative         schemathesis negative cases (invalid requests)
mutations        one valid request broken one documented rule at a time (``runner.mutations``)
unauthenticated  one valid request sent without credentials and with a wrong token
replay           the documented request example, sent as written

Writes (anything but GET/HEAD/OPTIONS) need ``writes``; they address resources the run created
itself, and whatever a write creates is deleted before the sample is handed to the checks.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..checks import CheckContext, CheckSkipped, Exchange, judge_for
from ..checks.examples import media_examples
from . import mutations as mutation_rules
from . import paths
from .client import NOT_SET, SAFE_METHODS, NotSendable
from .generate import GenerationFailed, Request
from .resources import Created, name_fields

if TYPE_CHECKING:
    from ..contract import Operation
    from .resources import Resources

READ_ONLY = "read-only target: {method} is a write and needs --allow-writes"


def _guard(resources: Resources, op: Operation) -> None:
    if op.method not in SAFE_METHODS and not resources.writes:
        raise CheckSkipped(READ_ONLY.format(method=op.method))


def _addressed(resources: Resources, op: Operation) -> tuple[dict[str, Any], bool, list[Created]]:
    """Path values for ``op``: existing ids for reads, a fresh resource of our own for writes."""
    if op.method in SAFE_METHODS or op.method == "POST" and not _ends_with_template(op):
        values, fabricated = resources.existing(op)
        return values, fabricated, []
    return resources.for_write(op)


def _ends_with_template(op: Operation) -> bool:
    return op.path.rstrip("/").endswith("}")


def _with_cleanup(
    resources: Resources, op: Operation, body: Callable[[dict[str, Any], bool, list[Created]], list[Exchange]]
) -> list[Exchange]:
    _guard(resources, op)
    values, fabricated, owned = _addressed(resources, op)
    invented = resources.why_invented(op, values) if fabricated else None
    try:
        exchanges = body(values, fabricated, owned)
        for exchange in exchanges:
            if invented:
                exchange.meta.setdefault("invented", invented)
        for exchange in exchanges:
            if op.method == "POST":
                created = resources.track_created(op, exchange)
                if created is not None:
                    owned.append(created)
        return exchanges
    finally:
        resources.tracker.delete_all([c for c in owned if c in resources.tracker.alive])


def send(resources: Resources, request: Request, meta: dict[str, Any], *, auth: str = "token") -> Exchange:
    return resources.client.send(
        resources.vendor,
        request.method,
        request.path,
        params=request.params,
        headers=request.headers,
        json=request.json if request.has_json else NOT_SET,
        content=request.content,
        data=request.data,
        files=request.files,
        auth=auth,
        meta=meta,
        path_parameters=request.path_parameters,
    )


def send_all(resources: Resources, requests: list[Request], metas: list[dict[str, Any]]) -> list[Exchange]:
    """Send a sample in order, stopping at the first transport failure: the rest would only wait
    for the same timeout, and one error already makes the rows ``error``."""
    exchanges = []
    for request, meta in zip(requests, metas, strict=True):
        try:
            exchanges.append(send(resources, request, meta))
        except NotSendable:
            continue
        if exchanges[-1].error:
            break
    if requests and not exchanges:
        raise CheckSkipped("no generated request could be sent (the HTTP client refused them all)")
    return exchanges


def _generated(
    resources: Resources, op: Operation, values: dict[str, Any], *, negative: bool, count: int
) -> list[Request]:
    try:
        requests = resources.generator.requests(
            op, negative=negative, count=count, path_parameters=values or None
        )
    except GenerationFailed as exc:
        raise CheckSkipped(str(exc)) from None
    if not requests:
        raise CheckSkipped("no request could be generated for this operation")
    if negative or op.method in SAFE_METHODS:
        return requests  # a negative case keeps its invalid values, whatever field they are in
    return [_named(resources, op, r) for r in requests]


def _named(resources: Resources, op: Operation, request: Request) -> Request:
    """A write carries our recognisable name (``mlops-conformance-...``) wherever the body names
    the resource, so anything it creates can be found by an operator."""
    if not (request.has_json and isinstance(request.json, dict)):
        return request
    body = resources.contract.resolve(op.request_body or {})
    entry = (body.get("content") or {}).get("application/json") if isinstance(body, dict) else None
    schema = resources.contract.resolve((entry or {}).get("schema") or {}) if isinstance(entry, dict) else {}
    request.json = name_fields(resources.contract, schema, request.json)
    return request


def _plain(resources: Resources, op: Operation, drawn: Request) -> Request:
    """The first read of every sample: only the required query values (as drawn, or an id a list
    named, see ``Resources.query_ids``), one small page.

    What a client usually sends. Generated reads alone can all miss it on a real server: MLflow
    answers 400 to a search without ``max_results`` and to one above 50000, so ten draws of an
    int64 page size may leave no 200 whose body is checked at all.
    """
    required = {p.get("name") for p in op.query_parameters() if p.get("required")}
    known = resources.query_ids(op)
    params = [(name, value) for name, value in drawn.params if name in required and name not in known]
    params += list(known.items())
    limit = (op.pagination or {}).get("limit")
    if limit and (op.pagination or {}).get("in", "query") == "query" and limit not in required:
        size = _small_page(resources, op, limit)
        if size is not None:
            params.append((limit, size))
    return dataclasses.replace(drawn, params=params, headers=dict(drawn.headers))


def _small_page(resources: Resources, op: Operation, name: str) -> int | None:
    """10, or the nearest size the parameter's documented bounds allow (None: no integer fits)."""
    for parameter in op.query_parameters():
        if parameter.get("name") == name:
            schema = resources.contract.resolve(parameter.get("schema") or {})
            low, high = schema.get("minimum", 1), schema.get("maximum", 10)
            if not all(isinstance(b, (int, float)) for b in (low, high)) or low > high:
                return None
            return int(max(low, min(10, high)))
    return None


def positive(resources: Resources, op: Operation, count: int) -> list[Exchange]:
    def body(values: dict[str, Any], fabricated: bool, owned: list[Created]) -> list[Exchange]:
        # A delete can succeed only once per resource: one request, on a resource of our own.
        requests = _generated(
            resources, op, values, negative=False, count=1 if op.method == "DELETE" else count
        )
        if op.method in ("GET", "HEAD") and count > 1:
            requests = [_plain(resources, op, requests[0]), *requests[: count - 1]]
        return send_all(resources, requests, [{"mode": "positive", "fabricated": fabricated}] * len(requests))

    return _with_cleanup(resources, op, body)


def negative(resources: Resources, op: Operation, count: int) -> list[Exchange]:
    def body(values: dict[str, Any], fabricated: bool, owned: list[Created]) -> list[Exchange]:
        requests = _generated(resources, op, values, negative=True, count=count)
        return send_all(resources, requests, [{"mode": "negative", "fabricated": fabricated}] * len(requests))

    return _with_cleanup(resources, op, body)


def mutated(resources: Resources, op: Operation, count: int) -> list[Exchange]:
    def body(values: dict[str, Any], fabricated: bool, owned: list[Created]) -> list[Exchange]:
        base = _generated(resources, op, values, negative=False, count=1)[0]
        found = mutation_rules.mutations(resources.contract, op, base)
        if not found:
            raise CheckSkipped("the contract documents no rule to break for this operation")
        chosen = found[: max(1, count)]
        return send_all(
            resources,
            [mutation_rules.apply(base, m) for m in chosen],
            [
                {
                    "mode": "mutation",
                    "fabricated": fabricated,
                    "mutation": m.description,
                    "inferred": m.inferred,
                    "schema_path": m.schema_path,
                }
                for m in chosen
            ],
        )

    return _with_cleanup(resources, op, body)


def unauthenticated(resources: Resources, op: Operation) -> list[Exchange]:
    def body(values: dict[str, Any], fabricated: bool, owned: list[Created]) -> list[Exchange]:
        base = _generated(resources, op, values, negative=False, count=1)[0]
        try:
            return [
                send(resources, base, {"mode": "no_token", "fabricated": fabricated}, auth="none"),
                send(resources, base, {"mode": "wrong_token", "fabricated": fabricated}, auth="wrong"),
            ]
        except NotSendable as exc:
            raise CheckSkipped(f"the generated request cannot be sent: {exc}") from None

    return _with_cleanup(resources, op, body)


def replay(resources: Resources, op: Operation) -> list[Exchange]:
    """The documented request example (body and parameter examples), with ids that exist and a name
    of our own where the example names the new resource (so it can be found and cleaned up)."""
    contract = resources.contract
    ctx = CheckContext(contract, op)
    request_body = contract.resolve(op.request_body or {})
    entry = (
        (request_body.get("content") or {}).get("application/json")
        if isinstance(request_body, dict)
        else None
    ) or {}
    schema = entry.get("schema") if isinstance(entry, dict) else None
    body_examples = [
        value
        for _, value, _ in (media_examples(ctx, entry) if isinstance(entry, dict) else ())
        if schema is None or judge_for(contract).is_valid(schema, value)
    ]
    query = [(p["name"], p["example"]) for p in op.query_parameters() if "example" in p]
    if not body_examples and not query:
        invalid = isinstance(entry, dict) and any(True for _ in media_examples(ctx, entry))
        raise CheckSkipped(
            "the documented request example breaks its own schema (see examples.request_examples)"
            if invalid
            else "no documented request example"
        )

    def body(values: dict[str, Any], fabricated: bool, owned: list[Created]) -> list[Exchange]:
        exchanges = []
        for example in body_examples[:1] or [None]:
            if isinstance(example, dict):
                example = name_fields(contract, contract.resolve(entry.get("schema") or {}), example)
            request = Request(
                method=op.method,
                path=paths.fill(op.path, values),
                params=list(query),
                headers={},
                json=example,
                content=None,
                data=None,
                files=None,
                path_parameters=values,
                has_json=example is not None,
            )
            exchanges.append(send(resources, request, {"mode": "example", "fabricated": fabricated}))
        return exchanges

    return _with_cleanup(resources, op, body)
