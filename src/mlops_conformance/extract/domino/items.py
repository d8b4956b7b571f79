"""Guess the item model of a lost-type array field, only where exactly one model fits.

The 44 fields whose type link was dropped are arrays of models (VENDOR-DOCS.md §6.2). Two rules, in
order; each names the single candidate or nothing, and the result is marked ``x-inferred``:

``item-model-by-field-name``
    Capitalise the field name, optionally singularising one of its words, append the container's
    version suffix, and collect the models whose name *ends* with it: ``datasetMounts`` ->
    ``DatasetMountV1``; ``gitRepos`` -> ``MountedGitRepoV1``; ``datasetsNotCopied`` ->
    ``DatasetNotCopiedV1``. Request-side models (``New…``, ``Update…``) only count inside request-side
    containers. With several candidates, those sharing the container's first word are kept
    (``MetricValueV1.tags`` -> ``MetricTagV1`` over ``TagV1``); ``JobV1.projects`` (``ProjectV1`` or
    ``MountedProjectV1``) stays unknown.
``item-model-by-envelope-name``
    An envelope ``[Paginated]<X>Envelope<Vn>`` with exactly one lost field holds ``<X><Vn>`` (or its
    last word singular): ``CostAllocationEnvelopeV1.data`` -> ``CostAllocationV1``,
    ``PaginatedOrganizationEnvelopeV1.orgs`` -> ``OrganizationV1``.
"""

from __future__ import annotations

import re

from .words import VERSION_SUFFIX, camel_words, singular

BY_FIELD = "item-model-by-field-name"
BY_ENVELOPE = "item-model-by-envelope-name"
_ENVELOPE = re.compile(r"^(?:Paginated)?([A-Z][A-Za-z0-9]*?)Envelope(V\d+)$")
_REQUEST_SIDE = re.compile(r"^(?:New|Update)")


def guess_item(
    container: str, field: str, lost_in_container: int, models: set[str]
) -> tuple[str, str] | None:
    """(model, rule) for a lost array field, or None when no rule names exactly one model."""
    by_field = _by_field_name(container, field, models)
    if by_field:
        return by_field, BY_FIELD
    by_envelope = _by_envelope_name(container, models) if lost_in_container == 1 else None
    if by_envelope:
        return by_envelope, BY_ENVELOPE
    return None


def _by_field_name(container: str, field: str, models: set[str]) -> str | None:
    version = VERSION_SUFFIX.search(container)
    if not version:
        return None
    suffix = version.group(0)
    words = camel_words(field[:1].upper() + field[1:])
    variants = {"".join(words)}
    for i, word in enumerate(words):
        variants.add("".join(words[:i] + [singular(word)] + words[i + 1 :]))
    request_side = bool(_REQUEST_SIDE.match(container))
    found = {
        m
        for m in models
        for v in variants
        if m.endswith(v + suffix) and m != container and (request_side or not _REQUEST_SIDE.match(m))
    }
    if len(found) > 1:
        head = _first_word(container)
        found = {m for m in found if _first_word(m) == head}
    return found.pop() if len(found) == 1 else None


def _first_word(name: str) -> str:
    words = [w for w in camel_words(name) if w not in ("New", "Paginated", "Updated", "Update")]
    return words[0] if words else ""


def _by_envelope_name(container: str, models: set[str]) -> str | None:
    match = _ENVELOPE.match(container)
    if not match:
        return None
    stem, version = match.groups()
    words = camel_words(stem)
    for candidate in (stem + version, "".join(words[:-1] + [singular(words[-1])]) + version):
        if candidate in models and candidate != container:
            return candidate
    return None
