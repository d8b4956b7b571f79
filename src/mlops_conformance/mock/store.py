"""The mock's state: resources grouped in scopes, safe under concurrent requests.

A *scope* is one concrete collection: a collection key (``("api", "v2", "useCases")``) plus the
values of the path parameters above it (``("5f1c…",)`` for ``/useCases/{useCaseId}/datasets/``), so a
sub-collection belongs to exactly one parent. Scopes are created on first touch, with their seeded
records, under one lock; every mutation takes the same lock and never awaits, so an asyncio server
(one thread) and in-process test clients (other threads) see each change whole. Listing returns a
snapshot, so a pagination walk never sees a half-applied change.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

ScopeKey = tuple[str, tuple[str, ...], tuple[str, ...]]  # (vendor, collection key, parent values)
T = TypeVar("T")


@dataclass(slots=True)
class Record:
    """One resource. ``fields`` holds what clients sent; everything else is generated on demand."""

    id: str
    fields: dict[str, Any]
    seeded: bool
    parents: dict[str, str] = field(default_factory=dict)
    version: int = 0
    cache: dict[Any, Any] = field(default_factory=dict)  # rendered bodies, by schema

    @property
    def uid(self) -> str:
        """Identity plus version: generated values keyed on it stay stable until the next update."""
        return f"{self.id}@{self.version}"


Seeder = Callable[[], Iterable[Record]]


@dataclass(frozen=True, slots=True)
class ScopeRef:
    """How to find (and, on first touch, fill) one scope.

    ``open_world``: the contract documents no way to list or create the collection's items, so
    clients can only learn ids from elsewhere; every id then exists until it is deleted (an *alias*
    of another collection is checked against that one first, see ``resources``).
    """

    key: ScopeKey
    parents: dict[str, str]
    seed: Seeder
    open_world: bool = False


@dataclass(slots=True)
class _Scope:
    records: dict[str, Record] = field(default_factory=dict)
    deleted: set[str] = field(default_factory=set)
    sequence: Iterable[int] = field(default_factory=lambda: itertools.count(1))


class Store:
    """All scopes of one running mock."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._scopes: dict[ScopeKey, _Scope] = {}
        self._vendor_states: dict[str, Any] = {}

    @property
    def lock(self) -> threading.RLock:
        """The one lock of the mock's state: a vendor's own state changes under it too."""
        return self._lock

    def vendor_state(self, name: str, make: Callable[[], T]) -> T:
        """State a vendor keeps in its own shape (MLflow's experiments, runs and models), made on first
        use. It lives here so it has the store's lifetime (one per running mock) and its lock: change
        it only while holding :attr:`lock`."""
        with self._lock:
            state = self._vendor_states.get(name)
            if state is None:
                state = self._vendor_states[name] = make()
            return state  # type: ignore[no-any-return]

    def _scope(self, ref: ScopeRef) -> _Scope:
        scope = self._scopes.get(ref.key)
        if scope is None:
            scope = _Scope()
            for record in ref.seed():
                scope.records[record.id] = record
            self._scopes[ref.key] = scope
        return scope

    def list(self, ref: ScopeRef) -> list[Record]:
        with self._lock:
            return list(self._scope(ref).records.values())

    def get(self, ref: ScopeRef, record_id: str) -> Record | None:
        with self._lock:
            scope = self._scope(ref)
            found = scope.records.get(record_id)
            if found is None and ref.open_world and record_id not in scope.deleted:
                found = Record(record_id, {}, seeded=True, parents=dict(ref.parents))
                scope.records[record_id] = found
            return found

    def create(
        self, ref: ScopeRef, fields: dict[str, Any], new_id: Callable[[int], str], wanted: str | None = None
    ) -> Record:
        """A new record; ``wanted`` is an id the client chose (linking an existing dataset, say).

        Creating a chosen id twice answers the record already there instead of a duplicate.
        """
        with self._lock:
            scope = self._scope(ref)
            if wanted is not None:
                existing = scope.records.get(wanted)
                if existing is not None:
                    return existing
                record = Record(wanted, dict(fields), seeded=False, parents=dict(ref.parents))
                scope.records[wanted] = record
                scope.deleted.discard(wanted)
                return record
            while True:
                record_id = new_id(next(scope.sequence))  # type: ignore[call-overload]
                if record_id not in scope.records and record_id not in scope.deleted:
                    break
            record = Record(record_id, dict(fields), seeded=False, parents=dict(ref.parents))
            scope.records[record_id] = record
            return record

    def update(self, ref: ScopeRef, record_id: str, changes: dict[str, Any], replace: bool) -> Record | None:
        """PATCH merges ``changes`` into the record, PUT replaces what the client sent before."""
        with self._lock:
            record = self.get(ref, record_id)
            if record is None:
                return None
            record.fields = dict(changes) if replace else {**record.fields, **changes}
            record.version += 1
            record.cache.clear()
            return record

    def delete(self, ref: ScopeRef, record_id: str) -> Record | None:
        with self._lock:
            record = self.get(ref, record_id)
            if record is None:
                return None
            scope = self._scopes[ref.key]
            del scope.records[record_id]
            scope.deleted.add(record_id)
            return record
