"""``mlops-conformance mock``: serve the reference mock built from the contracts."""

from __future__ import annotations

import os
from typing import Any

import click

from ..errors import UsageError
from ..resources import VENDORS, contracts_line
from .config import ConfiguredCommand

EPILOG = """\b
Contracts: contracts/ of the current directory when it holds <vendor>.openapi.json files, else
the installed ones; the second line printed names them (path and short sha256 per vendor).
With --contract [NAME=]FILE (repeatable) the mock serves those OpenAPI 3.0/3.1 documents instead,
repaired where they contradict themselves (each repair listed on stderr) and authenticated as
their securitySchemes say.

\b
Exit codes:
  0  stopped (Ctrl-C or SIGTERM), or --list-faults listed
  2  usage or input error (a bad option, a busy port, an unreadable contract)
"""


def _integer(option: str, text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise UsageError(f"{option} {text}: expected an integer") from None


def _vendors(text: str) -> list[str]:
    if text == "all":
        return list(VENDORS)
    chosen = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [v for v in chosen if v not in VENDORS]
    if unknown or not chosen:
        raise UsageError(f"--vendor {text}: expected one of {', '.join(VENDORS)} or all")
    return chosen


@click.command(cls=ConfiguredCommand, epilog=EPILOG)
@click.option(
    "--vendor",
    default="all",
    show_default=True,
    help="datarobot, domino or all (comma-separated list allowed).",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default="8000", show_default=True, help="TCP port (0 picks a free one).")
@click.option(
    "--token",
    default=None,
    help="Token clients must send [env: MLOPS_CONFORMANCE_MOCK_TOKEN; default: mock-token].",
)
@click.option(
    "--seed", default="0", show_default=True, help="Seed of the generated data (same seed, same data)."
)
@click.option(
    "--fault", default=None, metavar="NAME", help="Break one documented rule on purpose (see --list-faults)."
)
@click.option("--list-faults", is_flag=True, help="List the injectable faults, one per line, and exit.")
@click.option(
    "--contract",
    "contract_files",
    multiple=True,
    metavar="[NAME=]FILE",
    help="Serve this OpenAPI 3.0/3.1 document (JSON/YAML) instead of the bundled contracts; repeatable.",
)
def mock(
    vendor: str,
    host: str,
    port: str,
    token: str | None,
    seed: str,
    fault: str | None,
    list_faults: bool,
    contract_files: tuple[str, ...],
) -> None:
    """Serve the stateful reference mock generated from the contracts.

    DataRobot answers under /api/v2/..., Domino under its documented /api/... paths. Clients
    authenticate with `Authorization: Bearer <token>` (DataRobot also `Token <token>`, Domino also
    `X-Domino-Api-Key: <token>`).
    """
    from ..mock import DEFAULT_TOKEN, FAULTS, TOKEN_ENV, build_app
    from ..mock.server import bind, serve_forever

    if list_faults:
        width = max(len(name) for name in FAULTS)
        for name, item in FAULTS.items():
            click.echo(f"{name.ljust(width)}  {item.description}")
        return
    user = _user_contracts(contract_files)
    vendors = list(_user_vendors(vendor, tuple(user))) if user else _vendors(vendor)
    port_number = _integer("--port", port)
    seed_number = _integer("--seed", seed)
    if token is not None:
        source = "--token"
    elif os.environ.get(TOKEN_ENV):
        token, source = os.environ[TOKEN_ENV], f"${TOKEN_ENV}"
    else:
        token, source = DEFAULT_TOKEN, "the default (see README)"
    if fault is not None and fault not in FAULTS:
        raise UsageError(f"--fault {fault}: unknown fault; see --list-faults")
    sock = bind(host, port_number)  # first: a busy port fails before the contracts are even read
    try:
        if user:
            contracts = "contracts: " + ", ".join(
                f"{v} {user[v].sha256[:8]} ({user[v].path})" for v in vendors
            )
            chosen = [user[v] for v in vendors]
        else:
            contracts, chosen = contracts_line(vendors), None
        app = build_app(vendors, token=token, seed=seed_number, fault=fault, contracts=chosen)
    except BaseException:
        sock.close()
        raise
    bound_host, bound_port = sock.getsockname()[:2]
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    extra = f", fault {fault}" if fault else ""
    click.echo(
        f"mock serving {', '.join(vendors)} on http://{shown}:{bound_port} "
        f"(seed {seed_number}, token from {source}{extra})"
    )
    click.echo(contracts)
    for name in vendors if user else ():
        _echo_defects(name, user[name])
    serve_forever(app, sock)


def _user_contracts(files: tuple[str, ...]) -> dict[str, Any]:
    from ..runner.options import user_contracts

    return user_contracts(files)


def _user_vendors(text: str, known: tuple[str, ...]) -> tuple[str, ...]:
    from ..runner.options import parse_vendors

    return parse_vendors(text, known)


def _echo_defects(vendor: str, contract: Any) -> None:
    """One stderr line per contradiction the document's loading repaired (``spec_defects``)."""
    from ..spec_defects import ISSUES

    issues = [i for i in contract.document.get(ISSUES) or [] if isinstance(i, dict) and "pointer" in i]
    for issue in issues:
        click.echo(f"{vendor}: docs: {issue['kind']} at {issue['pointer']}: {issue['message']}", err=True)
