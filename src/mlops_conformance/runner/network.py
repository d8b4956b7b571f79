"""What a staging's network asks of the client: its CA, a client certificate, extra headers, a pace.

Kept apart from ``RunOptions`` parsing so the client takes one small value: ``Network()`` is the
plain default (system CAs, no client certificate, no extra header, no pacing). Proxies come from the
standard environment variables (``HTTPS_PROXY``, ``NO_PROXY``, ...), which httpx honours itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UsageError

_HEADER = re.compile(r"^([!#$%&'*+.^_`|~0-9A-Za-z-]+):\s*(.*)$")
_RATE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:/\s*s)?\s*$")


@dataclass(frozen=True, slots=True)
class Network:
    ca_bundle: Path | None = None
    insecure: bool = False  # no certificate verification at all (loudly warned about)
    cert: Path | None = None
    key: Path | None = None
    headers: dict[str, str] = field(default_factory=dict)  # values are secrets: redacted everywhere
    rate_limit: float | None = None  # requests per second, at most

    @property
    def verify(self) -> bool | str:
        if self.insecure:
            return False
        return str(self.ca_bundle) if self.ca_bundle else True

    @property
    def client_cert(self) -> str | tuple[str, str] | None:
        if self.cert is None:
            return None
        return (str(self.cert), str(self.key)) if self.key else str(self.cert)


def parse_header(value: str) -> tuple[str, str]:
    """``-H 'Name: value'`` as curl takes it; a one-line error naming the option otherwise."""
    match = _HEADER.match(value.strip())
    if not match or not match.group(2):
        raise UsageError(f"-H {value.split(':', 1)[0]!r}...: expected 'Name: value'")
    return match.group(1), match.group(2).strip()


def parse_rate(value: str | None) -> float | None:
    """``--rate-limit 5/s`` or ``5``: requests per second, more than 0."""
    if value is None or value == "":
        return None
    match = _RATE.match(str(value))
    if not match or float(match.group(1)) <= 0:
        raise UsageError(f"--rate-limit {value!r}: expected requests per second, such as 5/s")
    return float(match.group(1))


def readable_file(option: str, value: str | None) -> Path | None:
    if value is None:
        return None
    path = Path(value)
    if not path.is_file():
        raise UsageError(f"{option} {value}: no such file")
    return path
