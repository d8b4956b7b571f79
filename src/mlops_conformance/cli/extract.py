"""``mlops-conformance extract``: vendor documents -> OpenAPI contracts."""

from __future__ import annotations

import click


@click.command()
def extract() -> None:
    """Extract OpenAPI 3.1 contracts from the vendored documentation."""
    raise click.ClickException("not implemented yet")
