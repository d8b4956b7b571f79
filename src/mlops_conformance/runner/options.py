"""The options of one conformance run, read once from the pytest configuration.

Everything the suites need to know about the command line lives in ``RunOptions``; nothing below
the plugin reads ``sys.argv`` or pytest objects. Credentials are looked up here, by name, and the
values never leave the ``tokens`` mapping except in the one header that carries them to the target.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UsageError
from ..resources import VENDORS
from .network import Network
from .shard import Shard

if TYPE_CHECKING:
    from ..contract import Contract

# The vendors' own conventions, so a user's existing environment just works.
# MLflow's open-source server asks for no credentials (its contract declares none, so no token is
# looked up); MLflow's own clients send MLFLOW_TRACKING_TOKEN as a Bearer token where a proxy wants one.
TOKEN_ENV = {
    "datarobot": "DATAROBOT_API_TOKEN",
    "domino": "DOMINO_USER_API_KEY",
    "mlflow": "MLFLOW_TRACKING_TOKEN",
}
EMBEDDED = "embedded mock"
DEFAULT_MAX_EXAMPLES = 10
DEFAULT_TIMEOUT_S = 10.0
DEFAULT_MAX_RETRIES = 3
DEFAULT_MAX_WAIT_S = 30.0


@dataclass(frozen=True, slots=True)
class RunOptions:
    target: str | None = None  # None: the embedded mock
    vendors: tuple[str, ...] = VENDORS
    token_env: str | None = None
    allow_writes: bool = False
    max_examples: int = DEFAULT_MAX_EXAMPLES
    operations: re.Pattern[str] | None = None
    tags: tuple[str, ...] = ()
    known_failures: Path | None = None
    request_timeout: float = DEFAULT_TIMEOUT_S
    max_retries: int = DEFAULT_MAX_RETRIES  # retries of a 429/503 answer; 0: none at all
    max_wait: float = DEFAULT_MAX_WAIT_S  # longest Retry-After honoured, in seconds
    report_dir: Path = Path("reports")
    strict: bool = False
    seed: int | None = None
    families: tuple[str, ...] = field(default=())  # empty: every family
    allure_results: bool = False  # also write Allure results to <report-dir>/allure-results/
    network: Network = field(default_factory=Network)  # CA, client certificate, extra headers, pace
    shard: Shard | None = None  # --shard I/N: only the operations of that shard (runner.shard)
    # --contract [NAME=]FILE: the user's OpenAPI documents instead of the bundled contracts
    contracts: tuple[tuple[str | None, str], ...] = ()

    @property
    def embedded(self) -> bool:
        return self.target is None

    @property
    def writes_allowed(self) -> bool:
        """Writes go to the embedded mock always, to any other target only with ``--allow-writes``."""
        return self.embedded or self.allow_writes

    def selects(self, vendor: str, operation_id: str, tags: list[str]) -> bool:
        if vendor not in self.vendors:
            return False
        if self.operations is not None and not self.operations.search(operation_id):
            return False
        return not self.tags or bool({t.lower() for t in tags} & {t.lower() for t in self.tags})

    def token_variable(self, vendor: str) -> str:
        """``--token-env VAR`` names it for every vendor, ``NAME=VAR[,NAME=VAR]`` per vendor (one
        variable per ``--contract NAME=FILE``), and a vendor it does not name keeps its own."""
        every, per_vendor = parse_token_env(self.token_env)
        return per_vendor.get(vendor) or every or TOKEN_ENV.get(vendor, "")

    def tokens_from_environment(self, contracts: Mapping[str, Contract] | None = None) -> dict[str, str]:
        """The token per vendor from the environment; a missing one is a usage error naming the variable.

        A vendor whose contract asks for no credentials on any operation (a ``--contract`` document
        without security requirements) needs no token.
        """
        tokens = {}
        for vendor in self.vendors:
            contract = (contracts or {}).get(vendor)
            if contract is not None and not contract.needs_credentials:
                continue
            name = self.token_variable(vendor)
            if not name:
                raise UsageError(
                    f"--target {self.target} needs a {vendor} token: name its environment variable with --token-env"
                )
            value = os.environ.get(name, "").strip()
            if not value:
                raise UsageError(
                    f"--target {self.target} needs a {vendor} token: set {name} (or name another variable with --token-env)"
                )
            tokens[vendor] = value
        return tokens


def parse_token_env(value: str | None) -> tuple[str | None, dict[str, str]]:
    """``VAR`` -> (VAR, {}); ``a=VAR1,b=VAR2`` -> (None, {a: VAR1, b: VAR2}); a mix is allowed."""
    every: str | None = None
    per_vendor: dict[str, str] = {}
    for part in (value or "").split(","):
        part = part.strip()
        if not part:
            continue
        name, sep, variable = part.partition("=")
        if not sep:
            every = part
        elif not name.strip() or not variable.strip():
            raise UsageError(f"--token-env {value}: expected VAR or NAME=VAR[,NAME=VAR...]")
        else:
            per_vendor[name.strip()] = variable.strip()
    return every, per_vendor


def parse_vendors(value: str, known: tuple[str, ...] = VENDORS) -> tuple[str, ...]:
    value = (value or "all").strip().lower()
    if value == "all":
        return known
    chosen = tuple(v.strip() for v in value.split(",") if v.strip())
    unknown = [v for v in chosen if v not in known]
    if unknown or not chosen:
        raise UsageError(f"--vendor {value!r}: expected one of {', '.join(known)} or all")
    return chosen


def user_contracts(values: list[str] | tuple[str, ...]) -> dict[str, Contract]:
    """``--contract [NAME=]FILE`` values (run, mock, the plugin) loaded by vendor name; refused in
    one line before anything starts."""
    if not values:
        return {}
    from ..contract import load_user_contracts

    return load_user_contracts(tuple(parse_contract(value) for value in values))


def parse_contract(value: str) -> tuple[str | None, str]:
    """``--contract [NAME=]FILE``: the vendor name (``None``: from ``info.title``) and the file."""
    name, sep, path = value.partition("=")
    if not sep or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", name):
        return None, value
    if not path:
        raise UsageError(f"--contract {value!r}: expected FILE or NAME=FILE")
    return name.lower(), path


def parse_operations(value: str | None) -> re.Pattern[str] | None:
    if not value:
        return None
    try:
        return re.compile(value)
    except re.error as exc:
        raise UsageError(f"--operations {value!r} is not a valid regular expression: {exc}") from None


def parse_target(value: str | None) -> str | None:
    if not value:
        return None
    if not re.match(r"^https?://[^/\s]+", value):
        raise UsageError(f"--target {value!r}: expected an http(s) URL such as https://app.datarobot.com")
    return value.rstrip("/")


def parse_tags(value: str | None) -> tuple[str, ...]:
    return tuple(t.strip() for t in (value or "").split(",") if t.strip())
