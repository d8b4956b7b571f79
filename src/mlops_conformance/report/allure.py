"""Allure extras: ``environment.properties`` and ``categories.json`` in ``allure-results``.

allure-pytest writes the results; these two files make ``allure generate`` say which target and
versions were run and sort problems by what they mean (the target broke a rule, the target could not
be tested, the documentation contradicts itself, the target drifted) instead of one "product
defects" bucket. Nothing credential-like is ever written: keys that look like secrets are dropped,
user info and token-like query parameters are stripped from URLs, and any value passed in
``secrets`` is masked wherever it occurs.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..errors import ReportError
from .fileio import write_atomically
from .redact import SECRET_NAME, redact_target

# The suites fail a test with a message that starts with its verdict ("fail: ...", "error: ...",
# "warn: ..." under --strict) and mark known failures xfail ("known failure: ..."). ``docs`` and
# ``drift`` rows pass in pytest; their categories match only if a runner reports them with such a
# message, otherwise allure shows them through the verdict tag. Categories are matched in order and
# the first that matches wins.
_VERDICT_MESSAGE = r"(?is)\W*(?:verdict\W+)?{}\b.*"
_ANY = ["failed", "broken", "skipped", "passed", "unknown"]

CATEGORIES: list[dict[str, Any]] = [
    {
        "name": "Documentation contradicts itself (docs)",
        "description": "Reported against the vendor documentation, never against the target.",
        "messageRegex": _VERDICT_MESSAGE.format("docs"),
        "matchedStatuses": _ANY,
    },
    {
        "name": "Undocumented behaviour (drift)",
        "description": "The target answered something the docs do not mention; never fails a run.",
        "messageRegex": _VERDICT_MESSAGE.format("drift"),
        "matchedStatuses": _ANY,
    },
    {
        "name": "Inferred rule broken (warn)",
        "description": "The target broke an inferred rule or a SHOULD; fails the run only with --strict.",
        "messageRegex": _VERDICT_MESSAGE.format("warn"),
        "matchedStatuses": _ANY,
    },
    {
        "name": "Known failures (xfail)",
        "description": "Listed in the known-failures file with a reason and an expiry.",
        "messageRegex": r"(?is).*(?:\bxfail|known failure).*",
        "matchedStatuses": ["skipped", "failed", "broken", "unknown"],
    },
    {
        "name": "Target could not be tested (error)",
        "description": "Timeouts, refused or reset connections, garbage answers.",
        "messageRegex": _VERDICT_MESSAGE.format("error"),
        "matchedStatuses": ["failed", "broken"],
    },
    {
        "name": "Target broke the documented contract (fail)",
        "description": "A documented rule the target did not keep.",
        "messageRegex": _VERDICT_MESSAGE.format("fail"),
        "matchedStatuses": ["failed", "broken"],
    },
    {
        "name": "The check itself could not run (harness)",
        "description": "A setup or internal error of the suite, not a verdict on the target.",
        "matchedStatuses": ["broken", "failed"],
    },
    {
        "name": "Not run (skip)",
        "description": "Read-only mode, no example, not reachable, ...",
        "matchedStatuses": ["skipped"],
    },
]


def _escape(text: str, key: bool = False) -> str:
    """Java ``.properties`` escaping (what allure reads): backslashes, separators, non-ASCII."""
    out = []
    for index, char in enumerate(text):
        if char == "\\":
            out.append("\\\\")
        elif char in "=:#!" and (key or index == 0):
            out.append("\\" + char)
        elif char == " " and (key or index == 0):
            out.append("\\ ")
        elif char == "\n":
            out.append("\\n")
        elif char == "\r":
            out.append("\\r")
        elif char == "\t":
            out.append("\\t")
        elif ord(char) < 0x20 or ord(char) > 0x7E:
            out.append(f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else "?")
        else:
            out.append(char)
    return "".join(out)


def _flatten(prefix: str, value: Any, into: dict[str, str]) -> None:
    if SECRET_NAME.search(prefix.rpartition(".")[2]):
        return
    if isinstance(value, dict):
        for key in sorted(value, key=str):
            _flatten(f"{prefix}.{key}" if prefix else str(key), value[key], into)
    elif isinstance(value, (list, tuple)):
        into[prefix] = ", ".join(str(v) for v in value)
    elif value is None:
        return
    elif isinstance(value, bool):
        into[prefix] = "true" if value else "false"
    else:
        into[prefix] = str(value)


def environment(run_meta: dict[str, Any], secrets: Iterable[str] = ()) -> dict[str, str]:
    """The key/value pairs allure shows under *Environment*."""
    meta = dict(run_meta)
    meta.pop("counts", None)  # allure computes its own
    flat: dict[str, str] = {}
    _flatten("", meta, flat)
    if "target" in flat:
        flat["target"] = redact_target(flat["target"])
    masked = [s for s in secrets if s and len(s) >= 4]
    for key, value in flat.items():
        for secret in masked:
            value = value.replace(secret, "[redacted]")
        flat[key] = value
    return flat


def allure_environment(
    results_dir: Path, run_meta: dict[str, Any], secrets: Iterable[str] = ()
) -> list[Path]:
    """Write ``environment.properties`` and ``categories.json`` into ``results_dir``."""
    results_dir = Path(results_dir)
    lines = [f"{_escape(k, key=True)}={_escape(v)}" for k, v in environment(run_meta, secrets).items()]
    properties = results_dir / "environment.properties"
    categories = results_dir / "categories.json"
    try:
        write_atomically(properties, ("\n".join(lines) + "\n").encode("ascii"))
        write_atomically(categories, (json.dumps(CATEGORIES, indent=2) + "\n").encode("utf-8"))
    except OSError as exc:
        raise ReportError(f"{results_dir}: cannot write allure metadata: {exc.strerror or exc}") from None
    return [properties, categories]
