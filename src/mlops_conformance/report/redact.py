"""Redaction, again, at the last moment: nothing credential-like reaches a report file.

The suites redact what they record, but a summary may come from another tool or an older version;
reports are shared widely, so they strip credentials once more: user info in URLs, credential-like
query parameters and headers.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

SECRET_NAME = re.compile(
    r"(authori[sz]ation|cookie|token|api[-_]?key|secret|password|passwd|credential)", re.IGNORECASE
)
REDACTED = "[redacted]"


def redact_url(url: str) -> str:
    """Drop user info and the values of credential-like query parameters from a URL."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    netloc = parts.netloc.rpartition("@")[2]
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        query = urlencode([(k, REDACTED if SECRET_NAME.search(k) else v) for k, v in pairs], safe="[]")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def redact_target(target: str) -> str:
    """A run's target, ``"<url> (embedded mock)"``, with its URL redacted and its label kept."""
    url, space, label = target.partition(" ")
    return redact_url(url) + space + label


def redact_headers(headers: Any, limit: int = 500) -> dict[str, str]:
    """Headers with credential-like values replaced, each value clipped to ``limit`` characters."""
    if not isinstance(headers, dict):
        return {}
    return {
        str(name): (REDACTED if SECRET_NAME.search(str(name)) else str(value)[:limit])
        for name, value in headers.items()
    }
