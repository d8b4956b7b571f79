"""One target under test: the client, each vendor's generator and resources, and the subjects the
checks judge, each produced once per operation and shared by every check that needs it.

The suites hold a ``TargetSession`` in a session-scoped fixture. ``subject(case)`` returns what the
case's check judges (a list of exchanges, a pagination walk, a lifecycle run, or nothing for checks
of the document alone), made on first use and cached, so the five schema checks of an operation
judge the same requests instead of sending five samples.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..checks import Check, CheckSkipped, Probe, not_served, resource_family_of
from . import samples
from .client import UNAVAILABLE, TargetClient, credential_for
from .generate import Generator
from .lifecycle import run_lifecycle
from .observations import Observations
from .probe import is_probed_by_read, probe_read, probe_write
from .resources import Resources, Tracker
from .walk import walk

if TYPE_CHECKING:
    from ..contract import Contract, Operation
    from .options import RunOptions


@dataclass(frozen=True, slots=True)
class Case:
    """One row to be: a vendor's operation and a check (pytest parametrises the suites with these)."""

    vendor: str
    operation: Operation
    check: Check

    @property
    def id(self) -> str:
        return f"{self.vendor}::{self.operation.id}::{self.check.id}"

    @property
    def group(self) -> str:
        """Cases of one operation, kept on one worker under pytest-xdist (``--dist loadgroup``): they
        share their samples and the probe that says whether the operation is served at all."""
        return f"{self.vendor}::{self.operation.id}"


class TargetSession:
    def __init__(
        self, options: RunOptions, base_url: str, tokens: dict[str, str], contracts: dict[str, Contract]
    ) -> None:
        self.options = options
        self.base_url = base_url
        self.contracts = contracts
        self.seed = options.seed if options.seed is not None else random.SystemRandom().randrange(2**31)
        self.client = TargetClient(
            base_url,
            tokens=tokens,
            credentials={v: credential_for(v, c) for v, c in contracts.items()},
            timeout_s=options.request_timeout,
            allow_writes=options.writes_allowed,
            max_retries=options.max_retries,
            max_wait_s=options.max_wait,
            network=options.network,
        )
        self.observations = Observations(contracts, base_url, self.client.redactor)
        self.client.observers.append(self.observations.observe)
        self.tracker = Tracker(self.client)
        self.resources = {
            vendor: Resources(
                vendor,
                contract,
                self.client,
                Generator(contract, self.seed, options.max_examples),
                self.tracker,
                writes=options.writes_allowed,
                sandbox=options.embedded,
            )
            for vendor, contract in contracts.items()
        }
        self._subjects: dict[tuple[str, str, str], Any] = {}

    def subject(self, case: Case) -> Any:
        """What ``case.check`` judges; a ``CheckSkipped`` when it cannot be produced here (cached too).

        Nothing is sent for an operation the target is known not to serve: every check but
        ``schema.operation_served`` is skipped with that reason.
        """
        kind = case.check.subject
        if kind == "document":
            return None
        if kind != "probe":
            reason = self.unserved(case.vendor, case.operation)
            if reason is not None:
                raise CheckSkipped(reason)
        return self._cached(kind, case.vendor, self._subject_key(case), lambda: self._make(kind, case))

    def unserved(self, vendor: str, op: Operation) -> str | None:
        """Why every check of ``op`` is skipped when the target does not serve it, else None.

        A probe still answered 503 after every retry is the same kind of fact (a real server
        answers so for a feature switched off, MLflow's workspaces without ``--enable-workspaces``):
        the probe row carries the ``error`` once, instead of every check of the operation paying
        the retries again and repeating it.
        """
        probe = self._probe(vendor, op)
        found = not_served(op, probe)
        if found is not None:
            return f"not served: {found[1]} (see schema.operation_served)"
        last = probe.last
        if last is not None and last.error and last.error.startswith(UNAVAILABLE):
            return f"the target answered the probe: {last.error} (see schema.operation_served)"
        return None

    def _probe(self, vendor: str, op: Operation) -> Probe:
        try:
            return self._cached("probe", vendor, op.id, lambda: self._make_probe(vendor, op))
        except CheckSkipped as skipped:
            return Probe(skipped=skipped.reason)

    def _make_probe(self, vendor: str, op: Operation) -> Probe:
        resources = self.resources[vendor]
        if is_probed_by_read(op):
            return probe_read(resources, op)
        try:
            sample = self._cached(
                "positive", vendor, op.id, lambda: samples.positive(resources, op, self.options.max_examples)
            )
        except CheckSkipped as skipped:
            return Probe(skipped=skipped.reason)
        return probe_write(op, sample)

    def _cached(self, kind: str, vendor: str, key: str, make: Callable[[], Any]) -> Any:
        full = (kind, vendor, key)
        if full not in self._subjects:
            try:
                self._subjects[full] = make()
            except CheckSkipped as skipped:
                self._subjects[full] = skipped
        made = self._subjects[full]
        if isinstance(made, CheckSkipped):
            raise made
        return made

    def _subject_key(self, case: Case) -> str:
        if case.check.subject == "lifecycle":
            family = resource_family_of(self.contracts[case.vendor], case.operation)
            return family.collection if family is not None else case.operation.id
        return case.operation.id

    def _make(self, kind: str, case: Case) -> Any:
        resources, op, count = self.resources[case.vendor], case.operation, self.options.max_examples
        if kind == "positive":
            return samples.positive(resources, op, count)
        if kind == "negative":
            return samples.negative(resources, op, count)
        if kind == "mutations":
            return samples.mutated(resources, op, count)
        if kind == "unauthenticated":
            return samples.unauthenticated(resources, op)
        if kind == "replay":
            return samples.replay(resources, op)
        if kind == "probe":
            return self._probe(case.vendor, op)
        if kind == "walk":
            return walk(resources, op)
        if kind == "lifecycle":
            family = resource_family_of(self.contracts[case.vendor], op)
            if family is None:
                raise CheckSkipped("not part of a creatable resource family")
            return run_lifecycle(resources, family)
        raise ValueError(f"unknown subject {kind!r}")

    def close(self) -> list[dict[str, str]]:
        """Delete everything the run created and still holds; every cleanup failure, for the report."""
        try:
            self.tracker.delete_all()
            return list(self.tracker.errors)
        finally:
            self.client.close()
