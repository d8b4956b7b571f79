"""Known failures: rows a team has accepted for now, with a reason and an expiry date.

The file is YAML, a list of entries (or a mapping with a ``known_failures`` list)::

    - check: schema.response_body          # a check id, or a glob (schema.*)
      operation: GET /api/v2/useCases/     # an operation id, or a glob
      vendor: datarobot                    # optional
      reason: DR-1234 (createdAt lacks its zone)
      expires: 2026-03-31                  # after this day the entry stops applying
      evidence: curl .../useCases/         # optional, for the reader (never matched)

``check`` and ``operation`` may also be lists (any of them matches), so one root cause seen on
several operations is one entry with one reason, as a vendor's bug report would be.

Matching rows become ``xfail`` with the reason; an expired entry is ignored (and reported), so a
forgotten entry cannot hide a regression for ever.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import UsageError

_SEPARATOR = ", "


@dataclass(frozen=True, slots=True)
class KnownFailure:
    check: str  # one glob, or several joined by ", " (as printed)
    operation: str
    reason: str
    expires: dt.date | None = None
    vendor: str | None = None
    evidence: str | None = None

    def expired(self, today: dt.date) -> bool:
        return self.expires is not None and today > self.expires

    def matches(self, vendor: str, operation: str, check: str) -> bool:
        return (
            (self.vendor is None or self.vendor == vendor)
            and any(fnmatch.fnmatchcase(operation, glob) for glob in self.operation.split(_SEPARATOR))
            and any(fnmatch.fnmatchcase(check, glob) for glob in self.check.split(_SEPARATOR))
        )


@dataclass(frozen=True, slots=True)
class KnownFailures:
    entries: tuple[KnownFailure, ...] = ()
    today: dt.date = field(default_factory=dt.date.today)

    @property
    def expired(self) -> list[KnownFailure]:
        return [e for e in self.entries if e.expired(self.today)]

    def find(self, vendor: str, operation: str, check: str) -> KnownFailure | None:
        for entry in self.entries:
            if not entry.expired(self.today) and entry.matches(vendor, operation, check):
                return entry
        return None


def shipped(path: Path) -> Path:
    """``path``, or for a bare name with no such file (``--known-failures mlflow``) the file the
    contracts ship, ``contracts/known-failures/<name>.yaml``: an installed copy has no checkout to
    point at."""
    if path.exists() or len(path.parts) != 1 or path.suffix:
        return path
    from ..resources import contracts_dir

    candidate = contracts_dir() / "known-failures" / f"{path.name}.yaml"
    return candidate if candidate.is_file() else path


def load(path: Path, today: dt.date | None = None) -> KnownFailures:
    path = shipped(Path(path))
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"--known-failures {path}: cannot read it ({exc.strerror or exc})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        raise UsageError(
            f"--known-failures {where}: not valid YAML ({getattr(exc, 'problem', exc)})"
        ) from None
    if isinstance(raw, dict):
        raw = raw.get("known_failures")
    if raw is None:
        raw = []
    if not isinstance(raw, list):
        raise UsageError(f"--known-failures {path}: expected a list of entries")
    return KnownFailures(tuple(_entry(path, i, e) for i, e in enumerate(raw, 1)), today or dt.date.today())


def _entry(path: Path, index: int, raw: Any) -> KnownFailure:
    where = f"--known-failures {path}: entry {index}"
    if not isinstance(raw, dict):
        raise UsageError(f"{where}: expected a mapping with check, operation, reason, expires")
    missing = [k for k in ("check", "operation", "reason") if not raw.get(k)]
    if missing:
        raise UsageError(f"{where}: missing {', '.join(missing)}")
    expires = raw.get("expires")
    if isinstance(expires, dt.datetime):
        expires = expires.date()
    elif isinstance(expires, str):
        try:
            expires = dt.date.fromisoformat(expires)
        except ValueError:
            raise UsageError(f"{where}: expires {expires!r} is not a date (YYYY-MM-DD)") from None
    elif expires is not None and not isinstance(expires, dt.date):
        raise UsageError(f"{where}: expires must be a date (YYYY-MM-DD)")
    return KnownFailure(
        check=_globs(where, "check", raw["check"]),
        operation=_globs(where, "operation", raw["operation"]),
        reason=str(raw["reason"]).strip(),
        expires=expires,
        vendor=str(raw["vendor"]) if raw.get("vendor") else None,
        evidence=str(raw["evidence"]).strip() if raw.get("evidence") else None,
    )


def _globs(where: str, key: str, value: Any) -> str:
    """One glob or a list of them, kept as one string (an operation id never contains ", ")."""
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(item, str) and item.strip() for item in items):
        raise UsageError(f"{where}: {key} must be a string or a list of strings")
    return _SEPARATOR.join(item.strip() for item in items)
