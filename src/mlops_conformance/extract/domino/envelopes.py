"""Infer Domino response bodies: the page lists status codes only and never links an operation to a model.

Every rule below is guesswork from names, so every schema it sets carries ``Response.inferred`` (the
writer emits ``x-inferred``; checks on it report ``warn``, never ``fail``). Rules, first match wins:

``domino-stream-response``
    A success message that mentions a stream (``200Success. It returns a stream of data with the file
    content, specifying the appropriate media type…``) gets media type ``*/*`` and a binary string.
``domino-failure-envelope``
    4xx and 5xx responses get ``FailureEnvelopeV1`` (``errors``: list of strings, ``requestId``), the
    page's only generic error model, when the page defines it.
(no rule)
    ``204`` has no body; other non-2xx codes get nothing.
``domino-delete-envelope``
    A ``DELETE`` success gets ``DeleteEnvelope<V>`` (``metadata``, ``success``) when defined.
``domino-envelope-by-name``
    Otherwise the success body is chosen by name among the **candidates**: object models that no field
    type and no request body references (response envelopes are exactly the page's orphans), whose
    name ends with the operation's version (``/v2/`` -> ``V2``; ``/v1/`` and ``/beta/`` -> ``V1``)
    and does not start with ``New``/``Update`` (request vocabulary).

    * Words: a model's *core* is its camel-case words without ``Paginated``, ``Envelope`` and the
      version (``PaginatedGitRepositoriesEnvelopeV1`` -> git, repositories). The operation's *words*
      are its path's literal segments (whole and split at ``-`` and camel case), its summary's words
      and its method's verbs (POST: create/created/new; PUT, PATCH: update/updated), all compared
      lower-case and singular. A run of consecutive core words counts as one word when glued
      together (``DatasetRw`` = ``datasetrw``, ``RegisteredModel`` = ``registeredmodels``).
    * Head: the last literal segment of the path (``/jobs/{jobId}/logs`` -> logs; ``/jobs/{jobId}``
      -> jobs). A candidate must contain every word of the head. If none does and the head directly
      follows another literal (``/organizations/all``, ``/users/v1/self``), that literal is the head.
    * Collection: a ``GET`` with an ``offset`` or ``limit`` parameter, or whose path ends in a plural
      literal, or ends in a placeholder that does not name an item of the literal before it
      (``/credentials/{userId}``). ``Paginated…`` candidates only answer collections. A candidate is
      *list-shaped* if it is ``Paginated…`` or spells the head in the plural (``ProjectGoalsEnvelopeV1``).
    * Ranking: fewest core words the operation does not mention (at most one); envelopes before
      plain models; list-shape agreeing with collection-ness; most core words matched; shortest
      core; name.

    Examples: ``GET /api/jobs/beta/jobs`` -> ``PaginatedJobEnvelopeV1``; ``GET /api/jobs/beta/jobs/{jobId}``
    -> ``JobEnvelopeV1``; ``PATCH …/revisions/{revisionId}`` ("Update the restricted revision…") ->
    ``EnvironmentRevisionUpdateEnvelopeV1``; ``GET /api/registeredmodels/beta/{modelName}`` ->
    ``RegisteredModelV1`` (no envelope exists); ``POST …/reviews/{modelReviewId}/responses`` -> nothing.

On the vendored page 77 of 81 operations get a success body this way (1 stream, 12 delete envelopes,
64 by name); ``POST /api/metricAlerts/v1`` and the three model-review operations get none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..model import Operation, Response, SchemaDef
from .words import VERSION_SUFFIX, camel_words, singular

BY_NAME = "domino-envelope-by-name"
DELETE = "domino-delete-envelope"
FAILURE = "domino-failure-envelope"
STREAM = "domino-stream-response"
FAILURE_MODEL = "FailureEnvelopeV1"
STREAM_MEDIA_TYPE = "*/*"
#: A candidate may carry at most this many core words the operation never mentions
#: (``ProjectCopyResultEnvelopeV1`` for ``copy-project``: "result").
MAX_UNMENTIONED = 1
_REF = "#/components/schemas/"
_VERSION_SEGMENT = re.compile(r"^(?:v(\d+)|beta)$")
_REQUEST_SIDE = re.compile(r"^(?:New|Update)")
_VERBS = {"POST": ("create", "created", "new"), "PUT": ("update", "updated"), "PATCH": ("update", "updated")}
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")


@dataclass(frozen=True, slots=True)
class Candidate:
    name: str
    core: tuple[str, ...]  # lower-case core words
    paginated: bool
    envelope: bool
    version: str
    runs: dict[str, bool]  # see _runs


def candidates(schemas: list[SchemaDef], referenced: set[str]) -> list[Candidate]:
    """Orphan object models that could be a response body."""
    out = []
    for s in schemas:
        version = VERSION_SUFFIX.search(s.name)
        if s.name in referenced or not version or _REQUEST_SIDE.match(s.name) or "properties" not in s.schema:
            continue
        words = [w for w in camel_words(s.name[: version.start()])]
        paginated = bool(words) and words[0] == "Paginated"
        core = tuple(w.lower() for w in words if w not in ("Paginated", "Envelope"))
        out.append(Candidate(s.name, core, paginated, "Envelope" in words, version.group(0), _runs(core)))
    return out


def infer_responses(operations: list[Operation], schemas: list[SchemaDef], referenced: set[str]) -> None:
    """Fill ``schema``/``inferred``/``media_type`` of every response the rules can answer."""
    defined = {s.name for s in schemas}
    pool = candidates(schemas, referenced)
    for op in operations:
        for response in op.responses:
            _infer(op, response, defined, pool)


def _infer(op: Operation, response: Response, defined: set[str], pool: list[Candidate]) -> None:
    status = int(response.status)
    if status >= 400:
        if FAILURE_MODEL in defined:
            _set(response, FAILURE_MODEL, FAILURE)
        return
    if not 200 <= status < 300 or status == 204:
        return
    if "stream" in response.description.lower():
        response.media_type = STREAM_MEDIA_TYPE
        response.schema = {"type": "string", "format": "binary"}
        response.inferred = STREAM
        return
    shape = PathShape.of(op)
    if op.method == "DELETE" and any(c.name == f"DeleteEnvelope{shape.version}" for c in pool):
        _set(response, f"DeleteEnvelope{shape.version}", DELETE)
        return
    chosen = choose(op, shape, pool)
    if chosen:
        _set(response, chosen, BY_NAME)


def _set(response: Response, model: str, rule: str) -> None:
    response.schema = {"$ref": _REF + model}
    response.inferred = rule


@dataclass(frozen=True, slots=True)
class PathShape:
    version: str
    heads: tuple[str, ...]  # head literal, then the fallback literal if any
    words: frozenset[str]
    collection: bool

    @classmethod
    def of(cls, op: Operation) -> PathShape:
        raw = [s for s in op.path.split("/") if s and s != "api"]
        version = next((f"V{m.group(1) or 1}" for s in raw if (m := _VERSION_SEGMENT.match(s))), "V1")
        segments = [s for s in raw if not _VERSION_SEGMENT.match(s)]
        literal = [not s.startswith("{") for s in segments]
        heads: list[str] = []
        last_literal = max((i for i, is_lit in enumerate(literal) if is_lit), default=None)
        if last_literal is not None:
            heads.append(segments[last_literal])
            if last_literal == len(segments) - 1 and last_literal > 0 and literal[last_literal - 1]:
                heads.append(segments[last_literal - 1])
        words: set[str] = set(_VERBS.get(op.method, ()))
        for segment, is_lit in zip(segments, literal):
            if is_lit:
                words.update(segment_words(segment))
                words.add(_norm(segment.replace("-", "")))
        words.update(_norm(w) for w in _WORD.findall(op.summary))
        return cls(version, tuple(heads), frozenset(words), _is_collection(op, segments, literal))


def segment_words(segment: str) -> list[str]:
    """``shared-datasets`` -> [shared, dataset]; ``modelApis`` -> [model, api]; ``registeredmodels`` -> [registeredmodel]."""
    return [_norm(w) for part in segment.split("-") for w in camel_words(part)]


def _norm(word: str) -> str:
    return singular(word.lower())


def _is_collection(op: Operation, segments: list[str], literal: list[bool]) -> bool:
    if op.method != "GET" or not segments:
        return False
    if any(p.name in ("offset", "limit") and p.location == "query" for p in op.parameters):
        return True
    last = segments[-1]
    if literal[-1]:
        return singular(last) != last
    if len(segments) < 2 or not literal[-2]:
        return False
    stem = re.sub(r"(Id|Name)$", "", last[1:-1]).lower()
    owner = _norm(segments[-2].replace("-", ""))
    return not (owner.endswith(stem) or stem.endswith(owner))


def choose(op: Operation, shape: PathShape, pool: list[Candidate]) -> str | None:
    for head in shape.heads:
        head_words = segment_words(head)
        ranked = []
        for c in pool:
            if c.version != shape.version or (c.paginated and not shape.collection):
                continue
            if not all(h in c.runs for h in head_words):
                continue
            uncovered, covered = _coverage(c.core, shape.words)
            list_shaped = c.paginated or c.runs[head_words[-1]]
            ranked.append(
                (uncovered, not c.envelope, list_shaped != shape.collection, -covered, len(c.core), c.name)
            )
        ranked = [r for r in ranked if r[0] <= MAX_UNMENTIONED]
        if ranked:
            return min(ranked)[-1]
    return None


def _runs(core: tuple[str, ...]) -> dict[str, bool]:
    """Every glued run of core words, singular, mapped to whether the core spells it in the plural."""
    out: dict[str, bool] = {}
    for i in range(len(core)):
        for j in range(i + 1, len(core) + 1):
            glued = "".join(core[i:j])
            word = singular(glued)
            out[word] = out.get(word, False) or word != glued
    return out


@lru_cache(maxsize=4096)
def _coverage(core: tuple[str, ...], words: frozenset[str]) -> tuple[int, int]:
    """(core words not covered by the operation's words, distinct core words covered), best partition."""
    best: list[tuple[int, frozenset[str]]] = [(0, frozenset())] * (len(core) + 1)
    for i in range(len(core) - 1, -1, -1):
        options = [(best[i + 1][0] + 1, best[i + 1][1])]
        for j in range(i + 1, len(core) + 1):
            if singular("".join(core[i:j])) in words:
                options.append((best[j][0], best[j][1] | frozenset(core[i:j])))
        best[i] = min(options, key=lambda o: (o[0], -len(o[1])))
    return best[0][0], len(best[0][1])
