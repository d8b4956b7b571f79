"""Format rules shared by the checks and the extraction's example quarantine."""

from __future__ import annotations

from urllib.parse import urlsplit


def is_absolute_uri(value: object) -> bool:
    """An absolute URI: a scheme and something after it (``rfc3987`` is not a dependency)."""
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme) and bool(parts.netloc or parts.path) and " " not in value
