"""The checks: small registered functions that judge recorded exchanges against a contract.

One check = one function, registered by id (``schema.response_body``); the id is its name in test
ids, ``summary.json``, the HTML matrix and known-failures files. A check returns nothing when its
rule holds and raises ``CheckFailed`` (with a verdict) when it does not, or ``CheckSkipped`` when it
does not apply. Checks read contracts only through ``mlops_conformance.contract`` and never import
the mock: the judge and the reference stay independent.

Families: ``schema`` (status, content type, body, headers of valid requests), ``errors`` (invalid
input -> 4xx, never 5xx), ``examples`` (documented examples vs. their schemas, replay), ``pagination``
(walk invariants), ``lifecycle`` (create -> ... -> gone), ``auth`` (no/wrong token -> 401/403).
"""

from . import auth, errors, examples, lifecycle, pagination, schema, served, side, spec_defects  # noqa: F401  (registers the checks)
from ._core import (
    DOCS,
    DRIFT,
    ERROR,
    FAIL,
    FAMILIES,
    PASS,
    REGISTRY,
    RUN_LEVEL,
    SEVERITY,
    SKIP,
    VERDICTS,
    WARN,
    XFAIL,
    Check,
    CheckContext,
    CheckFailed,
    CheckSkipped,
    register,
    worst,
)
from ._exchange import BodyNotJSON, Exchange, RecordedRequest, RecordedResponse
from ._jsonschema import Finding, SchemaJudge, judge_for
from .lifecycle import NAME_PREFIX, LifecycleRun, ResourceFamily, Step, resource_families
from .lifecycle import family_of as resource_family_of
from .pagination import Page, Walk
from .served import Probe, not_served

__all__ = [
    "DOCS",
    "DRIFT",
    "ERROR",
    "FAIL",
    "FAMILIES",
    "NAME_PREFIX",
    "PASS",
    "REGISTRY",
    "RUN_LEVEL",
    "SEVERITY",
    "SKIP",
    "VERDICTS",
    "WARN",
    "XFAIL",
    "BodyNotJSON",
    "Check",
    "CheckContext",
    "CheckFailed",
    "CheckSkipped",
    "Exchange",
    "Finding",
    "LifecycleRun",
    "Page",
    "Probe",
    "RecordedRequest",
    "RecordedResponse",
    "ResourceFamily",
    "SchemaJudge",
    "Step",
    "Walk",
    "judge_for",
    "not_served",
    "register",
    "resource_families",
    "resource_family_of",
    "worst",
]
