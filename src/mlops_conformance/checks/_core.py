"""What a check is: a small registered function that raises a typed ``CheckFailed`` when a rule breaks.

A check never decides how its result is reported; it only says which verdict the evidence deserves
(``fail`` for a documented rule, ``warn`` for an inferred one, ``drift`` for something the docs do not
mention, ``docs`` for the documentation contradicting itself). The suites turn that into pytest
outcomes and summary rows, so one check reads the same in every report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..contract import Contract, Operation

# Verdicts, as DESIGN.md names them. Checks raise only the first five; the runner adds the rest.
PASS, FAIL, WARN, DRIFT, DOCS = "pass", "fail", "warn", "drift", "docs"
SKIP, XFAIL, ERROR = "skip", "xfail", "error"
VERDICTS = (PASS, FAIL, WARN, DRIFT, SKIP, XFAIL, ERROR, DOCS)

# Worst first: the verdict a row keeps when several exchanges of one check disagree.
SEVERITY = (FAIL, ERROR, WARN, DOCS, DRIFT, PASS)

FAMILIES = ("schema", "examples", "pagination", "lifecycle", "errors", "auth")

# What a check receives besides its context; the runner produces one subject per kind.
SUBJECTS = (
    "positive",  # schemathesis positive cases: one Exchange at a time
    "negative",  # schemathesis negative cases: one Exchange at a time
    "mutations",  # targeted invalid inputs (invalid enum, wrong type, missing required): one Exchange
    "unauthenticated",  # no token / wrong token requests: one Exchange at a time
    "replay",  # documented request examples sent to the target: one Exchange at a time
    "document",  # the contract alone, no request: subject is None
    "walk",  # a pagination walk (``checks.pagination.Walk``)
    "lifecycle",  # a create/read/update/delete run (``checks.lifecycle.LifecycleRun``)
    "probe",  # whether the target serves the operation at all (``checks.served.Probe``)
    "side",  # answers to the run's bookkeeping requests, judged as they come (``checks.side``)
    "fields",  # the fields every answer of the run carried (``runner.field_coverage``)
)
# Subjects judged over the whole run by the runner, not one test per operation.
RUN_LEVEL = ("side", "fields")


def worst(verdicts: list[str] | tuple[str, ...]) -> str:
    """The most severe verdict of several (``pass`` when there are none)."""
    ranked = [v for v in SEVERITY if v in verdicts]
    return ranked[0] if ranked else PASS


class CheckFailed(Exception):
    """A rule did not hold. Carries everything a reader needs to act on it without re-running.

    ``message`` is one line in the ``Received: X / Documented: Y`` style; ``schema_path`` points into
    the contract (``#/paths/~1api~1v2~1useCases~1/get/responses/200``); ``exchange`` is the request and
    response that showed it (the runner redacts credentials before anything is written);
    ``source`` is the ``x-source`` location in the vendor documents; ``details`` holds further
    findings of the same check.
    """

    def __init__(
        self,
        message: str,
        *,
        verdict: str = FAIL,
        schema_path: str | None = None,
        exchange: Any = None,
        source: dict[str, Any] | None = None,
        details: list[str] | None = None,
    ) -> None:
        if verdict not in (FAIL, WARN, DRIFT, DOCS, ERROR):
            raise ValueError(f"a check cannot raise the verdict {verdict!r}")
        super().__init__(message)
        self.verdict = verdict
        self.message = message
        self.schema_path = schema_path
        self.exchange = exchange
        self.source = source
        self.details = list(details or [])


class CheckSkipped(Exception):
    """The check does not apply to this subject (no documented example, nothing to negate, ...)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(slots=True)
class CheckContext:
    """What every check may consult: the contract it judges against and the operation under test."""

    contract: Contract
    operation: Operation
    options: dict[str, Any] = field(default_factory=dict)

    def pointer(self, *parts: str) -> str:
        """A JSON pointer into the contract below this operation (``#/paths/.../get/...``)."""
        escaped = [self.operation.path.replace("~", "~0").replace("/", "~1"), self.operation.method.lower()]
        escaped += [str(p).replace("~", "~0").replace("/", "~1") for p in parts]
        return "#/paths/" + "/".join(escaped)


CheckFunction = Callable[[CheckContext, Any], None]


@dataclass(frozen=True, slots=True)
class Check:
    """A registered check: its id is its name everywhere (test ids, summary rows, known-failures)."""

    id: str
    family: str
    subject: str
    func: CheckFunction = field(repr=False)
    applies: Callable[[Contract, Operation], bool] = field(repr=False)
    doc: str = field(repr=False, default="")

    def __call__(self, ctx: CheckContext, subject: Any) -> None:
        self.func(ctx, subject)


class Registry:
    """Checks by id, in registration order (the order rows appear in)."""

    def __init__(self) -> None:
        self._checks: dict[str, Check] = {}

    def register(
        self,
        check_id: str,
        *,
        subject: str,
        applies: Callable[[Contract, Operation], bool] | None = None,
    ) -> Callable[[CheckFunction], CheckFunction]:
        family = check_id.split(".", 1)[0]
        if family not in FAMILIES:
            raise ValueError(f"check id {check_id!r} must start with a family: {', '.join(FAMILIES)}")
        if subject not in SUBJECTS:
            raise ValueError(f"unknown subject {subject!r} for check {check_id!r}")

        def decorate(func: CheckFunction) -> CheckFunction:
            if check_id in self._checks:
                raise ValueError(f"check {check_id!r} is registered twice")
            doc = " ".join((func.__doc__ or "").split("\n\n", 1)[0].split())
            self._checks[check_id] = Check(check_id, family, subject, func, applies or _always, doc)
            return func

        return decorate

    def get(self, check_id: str) -> Check:
        return self._checks[check_id]

    def __contains__(self, check_id: object) -> bool:
        return check_id in self._checks

    def all(self) -> list[Check]:
        return list(self._checks.values())

    def family(self, family: str) -> list[Check]:
        return [c for c in self._checks.values() if c.family == family]


def _always(_contract: Contract, _op: Operation) -> bool:
    return True


REGISTRY = Registry()
register = REGISTRY.register
