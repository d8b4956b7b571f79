"""Find the contracts and suites: the user's working directory first, then the installed copy.

The wheel carries them under ``mlops_conformance/_bundled`` (see ``pyproject.toml``); a source
checkout (editable install, tests) keeps them at the repository root, as DESIGN.md lays out.

One rule decides which contracts are used, the same for ``extract``, ``run``, ``mock`` and the
pytest plugin: ``contracts/`` of the current working directory when it holds them (``run`` and
``mock``: any ``<vendor>.openapi.json``; ``extract``: a ``sources/`` directory), else the bundled
copy, which is only ever read. ``extract`` never writes into the installed package.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_BUNDLED = _PACKAGE_DIR / "_bundled"
_CHECKOUT = _PACKAGE_DIR.parents[1]

VENDORS = ("datarobot", "domino", "mlflow")
CONTRACTS = "contracts"


def _locate(name: str) -> Path:
    bundled = _BUNDLED / name
    if bundled.is_dir():
        return bundled
    checkout = _CHECKOUT / name
    if checkout.is_dir():
        return checkout
    from .errors import ContractError

    raise ContractError(str(bundled), f"the '{name}' directory is missing from this installation")


def bundled_contracts_dir() -> Path:
    """The contracts this installation carries (the checkout's, for an editable install)."""
    return _locate(CONTRACTS)


def working_contracts_dir(cwd: Path | None = None) -> Path | None:
    """``<cwd>/contracts`` when it holds a ``<vendor>.openapi.json``, else ``None``."""
    candidate = Path.cwd() / CONTRACTS if cwd is None else Path(cwd) / CONTRACTS
    if any((candidate / f"{vendor}.openapi.json").is_file() for vendor in VENDORS):
        return candidate.absolute()
    return None


def working_sources_root(cwd: Path | None = None) -> Path | None:
    """``<cwd>/contracts`` when it holds ``sources/`` (what ``extract`` reads and writes), else ``None``."""
    candidate = Path.cwd() / CONTRACTS if cwd is None else Path(cwd) / CONTRACTS
    return candidate.absolute() if (candidate / "sources").is_dir() else None


def is_installed_copy(path: Path) -> bool:
    """Whether ``path`` lies inside the installed package (site-packages): never written to."""
    return Path(path).resolve().is_relative_to(_PACKAGE_DIR)


def contracts_dir() -> Path:
    """The contracts ``run``, ``mock`` and the plugin load: the working directory's, else the bundled."""
    return working_contracts_dir() or bundled_contracts_dir()


def sources_dir() -> Path:
    return contracts_dir() / "sources"


def overlays_dir() -> Path:
    return contracts_dir() / "overlays"


def suites_dir() -> Path:
    return _locate("suites")


def contract_path(vendor: str) -> Path:
    return contracts_dir() / f"{vendor}.openapi.json"


def contracts_line(vendors: Iterable[str] = VENDORS) -> str:
    """``contracts: /path/contracts (datarobot 1a2b3c4d, domino 5e6f7a8b)``: what a run or mock loads.

    The short hash is the start of the file's sha256, as ``summary.json`` records it
    (``run.contract_sha256``). A selected vendor without a contract there is a usage error.
    """
    from .errors import UsageError

    directory = contracts_dir()
    hashes = []
    for vendor in vendors:
        path = directory / f"{vendor}.openapi.json"
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError as exc:
            raise UsageError(
                f"{path}: cannot read the {vendor} contract ({exc.strerror or exc}); "
                f"run 'mlops-conformance extract' there, or run from a directory without {CONTRACTS}/"
            ) from None
        hashes.append(f"{vendor} {digest[:8]}")
    return f"contracts: {directory} ({', '.join(hashes)})"
