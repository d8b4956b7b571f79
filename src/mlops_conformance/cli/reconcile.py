"""``mlops-conformance reconcile``: what a vendor's own OpenAPI spec adds to a docs-extracted contract."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import ContractError, UsageError
from ..resources import VENDORS, contract_path

EPILOG = """\b
CONTRACT is an extracted contract (OpenAPI 3.1 JSON, e.g. contracts/domino.openapi.json, or a
bundled vendor's name: datarobot, domino, mlflow); SPEC the vendor's OpenAPI 3.0 or 3.1
document, JSON or YAML (Swagger 2.0 is refused). Operations are
matched by method and path template, whatever the parameter names. What the docs lost (an
x-doc-loss keyword, a placeholder schema, items: {}, a missing enum, type, required or response
schema, an inferred one) becomes an overlay action whose description names the spec's title,
version and JSON pointer; what the docs state and the spec contradicts is listed under
x-conflicts and printed, not applied, unless --prefer spec. Operations found on one side only
are listed (x-only-in-contract, x-only-in-spec). Apply the result with
`mlops-conformance extract --overlay FILE --output DIR`.

\b
Exit codes:
  0  no conflicts (the overlay holds every addition)
  1  conflicts listed, not applied (see x-conflicts; --prefer spec applies them)
  2  usage or input error: an unreadable file, not OpenAPI 3.0/3.1 (Swagger 2.0), an
     unresolvable $ref, an unwritable --output
"""


ONE_SIDED_SHOWN = 20


@click.command(epilog=EPILOG)
@click.argument("contract", metavar="CONTRACT")
@click.argument("spec", metavar="SPEC", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--output",
    "-o",
    required=True,
    metavar="FILE",
    help="Where to write the overlay (YAML); '-' for stdout (the summary then goes to stderr).",
)
@click.option(
    "--prefer",
    type=click.Choice(["docs", "spec"]),
    default="docs",
    show_default=True,
    help="Who wins a conflict: docs (listed, not applied) or spec (applied, each action saying it overrides the docs).",
)
def reconcile(contract: str, spec: Path, output: str, prefer: str) -> None:
    """Write an OpenAPI Overlay 1.0 file adding to CONTRACT what SPEC knows and the docs lost."""
    from ..reconcile import build_overlay, reconcile_files, render, summary

    contract_file = _contract_file(contract)
    if not spec.is_file():
        raise UsageError(f"SPEC {spec}: no such file")
    result = reconcile_files(contract_file, spec)
    prefer_spec = prefer == "spec"
    document = build_overlay(result, prefer_spec=prefer_spec)
    to_stdout = output == "-"
    # Shorten the one-sided lists only when the file written holds them in full.
    limit = ONE_SIDED_SHOWN if document["actions"] else None
    for line in summary(result, prefer_spec=prefer_spec, limit=limit):
        click.echo(line, err=to_stdout)
    if not document["actions"]:
        # Overlay 1.0 requires at least one action; an empty file would be refused by every reader.
        click.echo(f"nothing to add: {'stdout' if to_stdout else output} not written", err=to_stdout)
    elif to_stdout:
        sys.stdout.write(render(document))
    else:
        _write(Path(output), render(document))
        click.echo(f"wrote {output} ({len(document['actions'])} actions)")
    if document["x-conflicts"]:
        raise SystemExit(1)


def _contract_file(contract: str) -> Path:
    """A path, or the name of a bundled vendor's contract."""
    path = Path(contract)
    if not path.exists() and contract in VENDORS:
        return contract_path(contract)
    if not path.is_file():
        raise UsageError(f"CONTRACT {contract}: no such file (nor a bundled vendor: {', '.join(VENDORS)})")
    return path


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ContractError(str(path), f"cannot write the overlay: {exc.strerror or exc}") from None
