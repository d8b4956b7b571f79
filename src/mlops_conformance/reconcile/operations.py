"""One matched operation: its parameters, request body and responses, down to their schemas.

A parameter, request body or response the docs do not mention at all is added from the spec; a
documented required parameter the spec calls optional is a conflict; a new success status where the
docs document another is a conflict too (the documented success codes are a closed claim, see
DESIGN.md "Checks and verdicts"). Everything inside is left to ``schemas.compare_schema``.
"""

from __future__ import annotations

from typing import Any

from .findings import Edit
from .locations import Document, Filter, Here
from .matching import Match
from .schemas import Walk, _shape, compare_schema, knows_something, replace


def compare_operation(walk: Walk, match: Match) -> None:
    walk.operation = match.label
    item = walk.contract.root.child("paths", match.contract_path)
    spec_item = walk.spec.root.child("paths", match.spec_path)
    assert item is not None and spec_item is not None
    operation, spec_operation = item.child(match.method), spec_item.child(match.method)
    assert operation is not None and spec_operation is not None
    _parameters(walk, match, item, operation, spec_item, spec_operation)
    _request_body(walk, operation, spec_operation)
    _responses(walk, operation, spec_operation)


def _located_parameters(
    document: Document, item: Here, operation: Here, *, by_name: bool
) -> dict[tuple[str, str], Here]:
    """``(in, name) -> parameter``, the operation's own over its path item's, ``$ref``s followed.

    In the contract an inline parameter is located by a name filter when its name is unique in
    its list (a target that survives reordering), else by index.
    """
    found: dict[tuple[str, str], Here] = {}
    for holder in (item, operation):
        listed = holder.child("parameters")
        if listed is None or not isinstance(listed.node, list):
            continue
        names = [p.get("name") for p in listed.node if isinstance(p, dict)]
        for index, raw in enumerate(listed.node):
            if not isinstance(raw, dict):
                continue
            if "$ref" in raw:
                here = document.follow(Here(raw, (*listed.where, index)))
            elif by_name and isinstance(raw.get("name"), str) and names.count(raw["name"]) == 1:
                here = Here(raw, (*listed.where, Filter("name", raw["name"])))
            else:
                here = Here(raw, (*listed.where, index))
            if isinstance(here.node, dict):
                found[_parameter_key(here.node)] = here
    return found


def _parameter_key(parameter: dict[str, Any]) -> tuple[str, str]:
    name = str(parameter.get("name", ""))
    place = str(parameter.get("in", ""))
    return (place, name.lower() if place == "header" else name)  # header names are case-insensitive


def _parameters(
    walk: Walk, match: Match, item: Here, operation: Here, spec_item: Here, spec_operation: Here
) -> None:
    ours = _located_parameters(walk.contract, item, operation, by_name=True)
    theirs = _located_parameters(walk.spec, spec_item, spec_operation, by_name=False)
    renamed = match.spec_to_contract_names()
    for (place, name), spec_parameter in sorted(theirs.items()):
        key = (place, renamed.get(name, name) if place == "path" else name)
        parameter = ours.get(key)
        if parameter is None:
            if place == "path":
                continue  # the template pairs path parameters; a stray declaration adds nothing
            listed = operation.child("parameters")
            added = walk.carry(spec_parameter.node)
            edit = (
                Edit(listed.where, [added])
                if listed is not None and isinstance(listed.node, list)
                else Edit(operation.where, {"parameters": [added]})
            )
            walk.found(
                operation.where,
                f"parameters/{place}/{name}",
                spec_parameter.where,
                f"the docs do not list the {place} parameter {name}; the spec does",
                (edit,),
            )
            continue
        _required_flag(
            walk, parameter, spec_parameter, f"the {place} parameter {key[1]}", optional_ok=place == "path"
        )
        schema, spec_schema = parameter.child("schema"), spec_parameter.child("schema")
        if schema is not None and spec_schema is not None:
            compare_schema(walk, schema, spec_schema)
        elif schema is None and spec_schema is not None and "content" not in parameter.node:
            walk.found(
                parameter.where,
                "schema",
                spec_schema.where,
                f"the docs give no schema for {key[1]}; the spec does",
                (Edit(parameter.where, {"schema": walk.carry(spec_schema.node)}),),
            )


def _required_flag(walk: Walk, ours: Here, theirs: Here, what: str, *, optional_ok: bool = False) -> None:
    """``required: true`` on a parameter or request body: added when the docs lost it."""
    docs, spec = bool(ours.node.get("required")), bool(theirs.node.get("required"))
    if spec and not docs:
        walk.found(
            ours.where,
            "required",
            (*theirs.where, "required"),
            f"the docs do not mark {what} required; the spec does",
            (Edit(ours.where, {"required": True}),),
            spec=True,
        )
    elif docs and not spec and not optional_ok:
        walk.found(
            ours.where,
            "required",
            theirs.where,
            f"the docs mark {what} required; the spec makes it optional",
            replace((*ours.where, "required"), False),
            conflict=True,
            docs=True,
            spec=False,
        )


def _request_body(walk: Walk, operation: Here, spec_operation: Here) -> None:
    spec_body = spec_operation.child("requestBody")
    if spec_body is None:
        return
    body = operation.child("requestBody")
    if body is None:
        walk.found(
            operation.where,
            "requestBody",
            spec_body.where,
            "the docs describe no request body; the spec does",
            (Edit(operation.where, {"requestBody": walk.carry(spec_body.node)}),),
        )
        return
    body, spec_body = walk.contract.follow(body), walk.spec.follow(spec_body)
    _required_flag(walk, body, spec_body, "the request body")
    _contents(walk, body, spec_body, inferred=None)


def _responses(walk: Walk, operation: Here, spec_operation: Here) -> None:
    responses, spec_responses = operation.child("responses"), spec_operation.child("responses")
    if responses is None or spec_responses is None or not isinstance(spec_responses.node, dict):
        return
    documented_success = sorted(
        status
        for status, response in responses.node.items()
        if status.startswith("2") and not walk.contract.follow(Here(response, ())).node.get("x-inferred")
    )
    for status in sorted(spec_responses.node):
        spec_response = spec_responses.child(status)
        assert spec_response is not None
        if status not in responses.node:
            closed = status.startswith("2") and bool(documented_success)
            walk.found(
                operation.where,
                f"responses/{status}",
                spec_response.where,
                f"the docs document success as {', '.join(documented_success)}; the spec adds {status}"
                if closed
                else f"the docs do not document the answer {status}; the spec does",
                (Edit(responses.where, {status: walk.carry(spec_response.node)}),),
                conflict=closed,
                docs=documented_success if closed else None,
                spec=status,
            )
            continue
        response = walk.contract.follow(responses.child(status))  # type: ignore[arg-type]
        _contents(walk, response, walk.spec.follow(spec_response), inferred=response.node.get("x-inferred"))


def _contents(walk: Walk, message: Here, spec_message: Here, *, inferred: str | None) -> None:
    """The media types of a request body or response: schemas added, replaced or compared."""
    spec_content = spec_message.child("content")
    if spec_content is None or not isinstance(spec_content.node, dict) or not spec_content.node:
        return
    content = message.child("content")
    if content is None or not content.node:
        walk.found(
            message.where,
            "content",
            spec_content.where,
            "the docs do not say what this carries; the spec does",
            (Edit(message.where, {"content": walk.carry(spec_content.node)}),),
        )
        return
    for media_type in sorted(set(content.node) & set(spec_content.node)):
        media, spec_media = content.child(media_type), spec_content.child(media_type)
        assert media is not None and spec_media is not None
        schema, spec_schema = media.child("schema"), spec_media.child("schema")
        if spec_schema is None:
            continue
        if schema is None:
            walk.found(
                media.where,
                "schema",
                spec_schema.where,
                "the docs do not say which schema this is; the spec does",
                (Edit(media.where, {"schema": walk.carry(spec_schema.node)}),),
            )
        elif (
            inferred
            and knows_something(walk.spec.follow(spec_schema).node)
            and _shape(walk.contract, schema.node) != _shape(walk.spec, spec_schema.node)
        ):
            walk.found(
                media.where,
                "schema",
                walk.spec.follow(spec_schema).where,
                f"the docs do not say which schema this is (inferred: {inferred}); the spec does",
                replace(schema.where, walk.carry(spec_schema.node)),
                docs=inferred,
            )
            walk.found(  # a finding of its own: two media types replaced must not remove it twice
                message.where,
                "x-inferred",
                walk.spec.follow(spec_schema).where,
                "the spec states what the extraction inferred here",
                (Edit((*message.where, "x-inferred"), remove=True),),
                docs=inferred,
            )
        else:
            compare_schema(walk, schema, spec_schema)
