"""``mlops-conformance extract``: vendored documentation -> OpenAPI 3.1 contracts."""

from __future__ import annotations

import time
from pathlib import Path

import click

from ..errors import UsageError
from ..resources import bundled_contracts_dir, is_installed_copy, working_sources_root

EPILOG = """\b
Which contracts: contracts/ of the current directory when it holds contracts/sources/ (a
checkout's root); elsewhere give --contracts-dir DIR or --output DIR (with --output alone, the
installed package's pages are read). The installed package itself is never written to.

\b
Exit codes:
  0  contracts written (--check: up to date)
  1  --check: a committed contract is stale
  2  usage or input error: no contracts/sources/ here and no --contracts-dir/--output, an
     unreadable or truncated page, a missing or invalid overlay (bundled errata or --overlay
     FILE: a missing file, not Overlay 1.x, an `extends` naming no extracted contract, a target
     that selects nothing)
"""


@click.command(epilog=EPILOG)
@click.option(
    "--contracts-dir",
    "root",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Directory holding sources/ and overlays/, where the contracts are written "
    "(default: ./contracts when it holds sources/).",
)
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write the contracts (default: the contracts directory).",
)
@click.option(
    "--check", is_flag=True, help="Write nothing; exit 1 naming every committed contract that is stale."
)
@click.option(
    "--stats",
    is_flag=True,
    help="Print per-document figures (operations, schemas, enums lost, examples, pagination); writes nothing unless --output is given.",
)
@click.option(
    "--no-overlays",
    is_flag=True,
    help="The raw reading of the docs, without the errata overlays (needs --output).",
)
@click.option(
    "--overlay",
    "extra_overlays",
    multiple=True,
    metavar="FILE",
    type=click.Path(dir_okay=False, path_type=Path),
    help="An OpenAPI Overlay 1.0 file (e.g. from `reconcile`) applied after the errata to the "
    "contract its `extends` names; repeatable, applied in order (needs --output).",
)
@click.option(
    "--issues",
    "show_issues",
    is_flag=True,
    help="List every documentation inconsistency found; writes nothing unless --output is given.",
)
def extract(
    root: Path | None,
    output: Path | None,
    check: bool,
    stats: bool,
    no_overlays: bool,
    extra_overlays: tuple[Path, ...],
    show_issues: bool,
) -> None:
    """Extract OpenAPI 3.1 contracts from the vendored documentation pages."""
    from ..extract.pipeline import extract as run_extraction
    from ..extract.pipeline import rendered_files, stale_files, write_atomically

    root = _contracts_root(root, output)
    if not (root / "sources").is_dir():
        raise UsageError(f"--contracts-dir {root}: no sources/ directory there")
    if no_overlays and output is None and not check:
        raise UsageError(
            "--no-overlays writes the raw reading; give --output DIR so the committed contracts stay as they are"
        )
    if extra_overlays and output is None and not check and not stats and not show_issues:
        raise UsageError(
            f"--overlay {extra_overlays[0]} changes the contracts; give --output DIR "
            "(--output contracts to overwrite the committed ones on purpose)"
        )
    writes = not check and not ((stats or show_issues) and output is None)
    if writes and is_installed_copy(output or root):
        raise UsageError(
            f"{output or root}: is the installed package's copy of the contracts, never written; "
            "give --output DIR, or run from a checkout's root"
        )
    started = time.perf_counter()
    result = run_extraction(root, overlays=not no_overlays, extra_overlays=extra_overlays)
    elapsed = time.perf_counter() - started
    files = rendered_files(result, output or root)
    if stats:
        _print_stats(result)
    if show_issues:
        for issues in result.issues.values():
            for issue in issues:
                click.echo(f"{issue.source.document}:{issue.source.line}: {issue.kind}: {issue.message}")
    if check:
        problems = stale_files(files)
        if problems:
            for problem in problems:
                click.echo(
                    f"error: {problem}; run 'mlops-conformance extract' and commit the result", err=True
                )
            raise SystemExit(1)
        click.echo(f"contracts are up to date ({', '.join(p.name for p in files)})")
        return
    if (stats or show_issues) and output is None:
        return  # reporting only: never rewrite the committed (or installed) contracts as a side effect
    write_atomically(files)
    counts = ", ".join(
        f"{vendor}: {sum(len(item) for item in c['paths'].values())} operations, "
        f"{len(c['components']['schemas'])} schemas, {len(result.issues[vendor])} doc issues"
        for vendor, c in result.contracts.items()
    )
    click.echo(f"wrote {', '.join(str(p) for p in files)} in {elapsed:.2f}s ({counts})")


def _contracts_root(root: Path | None, output: Path | None) -> Path:
    """--contracts-dir, else ./contracts when it holds sources/, else (with --output) the bundled pages."""
    if root is not None:
        return root
    working = working_sources_root()
    if working is not None:
        return working
    if output is not None:
        return bundled_contracts_dir()  # only read: the contracts go to --output
    raise UsageError(
        f"no contracts/sources/ in {Path.cwd()}: run extract from a checkout's root, "
        "or give --contracts-dir DIR (holding sources/ and overlays/) or --output DIR"
    )


def _print_stats(result) -> None:  # type: ignore[no-untyped-def]
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Extraction by document")
    columns = (
        "document",
        "layout",
        "operations",
        "schemas named",
        "recovered",
        "placeholder",
        "enums lost",
        "examples parsed",
        "failed",
        "inconsistent",
        "paginated",
    )
    for column in columns:
        if column == "document":
            table.add_column(column, no_wrap=True, min_width=len("datarobot/model-management.txt"))
        else:
            table.add_column(column, justify="right")
    stats = result.stats()
    for doc in result.documents:
        s = stats[doc.path]
        table.add_row(
            doc.path,
            doc.layout,
            str(s.operations),
            str(s.schemas_named),
            str(s.schemas_recovered),
            str(s.schemas_placeholder),
            str(s.enums_lost),
            str(s.examples_parsed),
            str(s.examples_failed),
            str(s.examples_inconsistent),
            str(s.paginated),
        )
    Console(width=200).print(table)
