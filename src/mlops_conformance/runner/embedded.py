"""The embedded target: the reference mock on a free loopback port, with a token made for this run.

Only the plugin's session fixture starts it, so the mock is imported here and nowhere near the
checks (the judge and the reference stay independent).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from ..errors import TargetError


@contextmanager
def embedded_target(vendors: tuple[str, ...], *, seed: int = 0) -> Iterator[tuple[str, str]]:
    """Yield ``(base_url, token)`` of a running mock; stop it afterwards, whatever happened."""
    token = secrets.token_urlsafe(24)
    try:
        from ..mock import serve_in_background
    except ImportError as exc:
        raise TargetError(f"the embedded mock is not available: {exc}") from None
    with serve_in_background(list(vendors), token=token, seed=seed) as server:
        yield server.url.rstrip("/"), token
