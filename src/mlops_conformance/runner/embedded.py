"""The embedded target: the reference mock on a free loopback port, with a token made for this run.

Only the plugin's session fixture starts it, so the mock is imported here and nowhere near the
checks (the judge and the reference stay independent).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from ..errors import TargetError

if TYPE_CHECKING:
    from ..contract import Contract


@contextmanager
def embedded_target(
    vendors: tuple[str, ...], *, seed: int = 0, contracts: Sequence[Contract] | None = None
) -> Iterator[tuple[str, str]]:
    """Yield ``(base_url, token)`` of a running mock; stop it afterwards, whatever happened.

    ``contracts``: the user's ``--contract`` documents, already loaded and repaired, served instead
    of the bundled ones (the same objects the checks read, so judge and reference see one document).
    """
    token = secrets.token_urlsafe(24)
    try:
        from ..mock import build_app
        from ..mock.server import serve_app
    except ImportError as exc:
        raise TargetError(f"the embedded mock is not available: {exc}") from None
    app = build_app(list(vendors), token=token, seed=seed, contracts=contracts)
    with serve_app(app) as server:
        yield server.url.rstrip("/"), token
