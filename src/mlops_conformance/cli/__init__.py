"""The ``mlops-conformance`` command: one group, one module per command family.

Every ``ConformanceError`` becomes one line on stderr and its exit code here, and nowhere else.
"""

from __future__ import annotations

import sys

import click

from ..errors import ConformanceError


class _Group(click.Group):
    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except ConformanceError as exc:
            click.echo(f"error: {exc.one_line()}", err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="mlops-conformance")
def cli() -> None:
    """Contract tests for MLOps platform REST APIs (DataRobot, Domino Data Lab, MLflow)."""


def _register() -> None:
    from . import extract as _extract

    cli.add_command(_extract.extract)
    for module_name, names in (
        ("mock", ("mock",)),
        ("run", ("run",)),
        ("report", ("report", "compare", "diff")),
        ("reconcile", ("reconcile",)),
    ):
        try:
            module = __import__(f"{__name__}.{module_name}", fromlist=list(names))
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{module_name}":
                raise
            continue
        for name in names:
            command = getattr(module, name, None)
            if command is not None:
                cli.add_command(command)


_register()


def main() -> None:
    try:
        cli.main(prog_name="mlops-conformance", standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
