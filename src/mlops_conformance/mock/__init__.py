"""The reference mock: a stateful server generated from the contracts (DESIGN.md, issue 4).

Public surface (everything else in this package is private)::

    from mlops_conformance.mock import build_app, serve_in_background, FAULTS

    app = build_app(["datarobot"], token="t", seed=0, fault=None)        # an ASGI app
    with serve_in_background(["datarobot", "domino"], token="t") as running:
        running.url                                                      # "http://127.0.0.1:54321"

The mock reads contracts only through :mod:`mlops_conformance.contract` and never imports
:mod:`mlops_conformance.checks`: the reference and the judge stay independent.
"""

from __future__ import annotations

from .app import DEFAULT_TOKEN, TOKEN_ENV, build_app, create_app
from .faults import FAULTS, Fault
from .server import RunningMock, serve_in_background

__all__ = [
    "DEFAULT_TOKEN",
    "FAULTS",
    "TOKEN_ENV",
    "Fault",
    "RunningMock",
    "build_app",
    "create_app",
    "serve_in_background",
]
