"""Find the contracts and suites whether running from a checkout or from an installed wheel.

The wheel carries them under ``mlops_conformance/_bundled`` (see ``pyproject.toml``); a source
checkout (editable install, tests) keeps them at the repository root, as DESIGN.md lays out.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_BUNDLED = _PACKAGE_DIR / "_bundled"
_CHECKOUT = _PACKAGE_DIR.parents[1]

VENDORS = ("datarobot", "domino")


def _locate(name: str) -> Path:
    bundled = _BUNDLED / name
    if bundled.is_dir():
        return bundled
    checkout = _CHECKOUT / name
    if checkout.is_dir():
        return checkout
    from .errors import ContractError

    raise ContractError(str(bundled), f"the '{name}' directory is missing from this installation")


def contracts_dir() -> Path:
    return _locate("contracts")


def sources_dir() -> Path:
    return contracts_dir() / "sources"


def overlays_dir() -> Path:
    return contracts_dir() / "overlays"


def suites_dir() -> Path:
    return _locate("suites")


def contract_path(vendor: str) -> Path:
    return contracts_dir() / f"{vendor}.openapi.json"
