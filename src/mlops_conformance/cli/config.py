"""Options from a file: `[tool.mlops-conformance]` in pyproject.toml, `mlops-conformance.toml`, or
`--config FILE`, with named profiles (`--profile staging`) for several targets.

Precedence, lowest first: the command's defaults, the file's top-level keys, the profile's keys,
the command line. The file only supplies click's ``default_map``, so a flag always wins and `--help`
shows the same options. Keys are the long option names (`max-examples`, `allow-writes`); a key no
command knows, or a value of the wrong type, is a one-line error naming the file and the key.
Tokens are never read from a file: only the names of the environment variables that hold them
(`token-env`).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import click

from ..errors import UsageError

FILE_NAME = "mlops-conformance.toml"
TABLE = ("tool", "mlops-conformance")
SECRET_KEYS = ("token", "tokens", "api-key", "password")


def find_config(explicit: str | None, cwd: Path | None = None) -> tuple[Path, dict[str, Any]] | None:
    """The configuration in force: ``--config FILE``, else ./mlops-conformance.toml, else the
    ``[tool.mlops-conformance]`` table of ./pyproject.toml; None when there is none."""
    cwd = cwd or Path.cwd()
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise UsageError(f"--config {explicit}: no such file")
        return path, _table(path, required=path.name == "pyproject.toml")
    own = cwd / FILE_NAME
    if own.is_file():
        return own, _table(own, required=False)
    project = cwd / "pyproject.toml"
    if project.is_file():
        table = _table(project, required=False)
        return (project, table) if table else None
    return None


def _table(path: Path, *, required: bool) -> dict[str, Any]:
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot be read ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: not valid TOML ({exc})") from None
    table: Any = document
    for part in TABLE:
        table = table.get(part) if isinstance(table, dict) else None
    if isinstance(table, dict):
        return table
    if path.name == "pyproject.toml":
        if required:
            raise UsageError(f"{path}: has no [tool.mlops-conformance] table")
        return {}
    return document


def defaults_for(
    command: click.Command, path: Path, table: dict[str, Any], profile: str | None
) -> dict[str, Any]:
    """The ``default_map`` of ``command`` from a configuration table (validated), with a profile."""
    profiles = table.get("profiles", {})
    if not isinstance(profiles, dict):
        raise UsageError(f"{path}: 'profiles' must be a table of tables")
    merged = {k: v for k, v in table.items() if k != "profiles"}
    if profile is not None:
        chosen = profiles.get(profile)
        if not isinstance(chosen, dict):
            known = ", ".join(sorted(profiles)) or "none"
            raise UsageError(f"--profile {profile}: no such profile in {path} (profiles: {known})")
        merged.update(chosen)
    params = _known_params()
    found: dict[str, Any] = {}
    for key, value in merged.items():
        where = f"{path}: key {key!r}" + (
            f" (profile {profile})" if profile and key in profiles.get(profile, {}) else ""
        )
        if key in SECRET_KEYS:
            raise UsageError(
                f"{where}: tokens are never read from a file; name their variable with token-env"
            )
        if key not in params:
            raise UsageError(f"{where}: not an option of run or mock")
        param = next((p for p in command.params if _key(p) == key), None)
        if param is None:
            continue  # an option of the other command
        found[param.name] = _checked(where, param, value)  # type: ignore[index]
    return found


def _known_params() -> set[str]:
    from .mock import mock
    from .run import run

    names = set()
    for command in (run, mock):
        for param in command.params:
            if isinstance(param, click.Option) and param.name not in ("config", "profile", "help"):
                names.add(_key(param))
    return names


def _key(param: click.Parameter) -> str:
    """A parameter's key in the file: its long option name (``--contract`` -> ``contract``)."""
    long = [o for o in getattr(param, "opts", []) if o.startswith("--")]
    return long[0][2:] if long else str(param.name).replace("_", "-")


def _checked(where: str, param: click.Parameter, value: Any) -> Any:
    """``value`` when it has the option's type (TOML gives typed values; nothing is guessed)."""
    if isinstance(param, click.Option) and param.is_flag:
        if not isinstance(value, bool):
            raise UsageError(f"{where}: expected true or false, got {value!r}")
        return value
    kind = param.type
    if isinstance(kind, click.types.IntParamType) and (not isinstance(value, int) or isinstance(value, bool)):
        raise UsageError(f"{where}: expected an integer, got {value!r}")
    if isinstance(kind, click.types.FloatParamType) and (
        not isinstance(value, (int, float)) or isinstance(value, bool)
    ):
        raise UsageError(f"{where}: expected a number, got {value!r}")
    if param.multiple:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise UsageError(f"{where}: expected a list of strings, got {value!r}")
        return value
    if isinstance(kind, click.types.StringParamType) and type(value) in (int, float):
        return str(value)  # `port = 8000`: the command reads it as it reads the flag's text
    if isinstance(kind, (click.types.StringParamType, click.Path, click.Choice)) and not isinstance(
        value, str
    ):
        raise UsageError(f"{where}: expected a string, got {value!r}")
    return value


class ConfiguredCommand(click.Command):
    """A command whose defaults come from the configuration file (see the module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.params += [
            click.Option(
                ["--config"],
                metavar="FILE",
                help=f"Options from FILE (default: ./{FILE_NAME}, else [tool.mlops-conformance] in ./pyproject.toml).",
            ),
            click.Option(["--profile"], metavar="NAME", help="A named profile of the configuration file."),
        ]

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        explicit, profile = _pre_scan(args, "--config"), _pre_scan(args, "--profile")
        if "--help" not in args and "-h" not in args:
            found = find_config(explicit)
            if found is None and profile is not None:
                raise UsageError(
                    f"--profile {profile}: no configuration file (./{FILE_NAME} or pyproject.toml)"
                )
            if found is not None:
                ctx.default_map = {
                    **(ctx.default_map or {}),
                    **defaults_for(self, found[0], found[1], profile),
                }
                ctx.meta["mlops_conformance.config"] = str(found[0])
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        ctx.params.pop("config", None)  # consumed by parse_args; the command never sees them
        ctx.params.pop("profile", None)
        return super().invoke(ctx)


def _pre_scan(args: list[str], name: str) -> str | None:
    """The value of ``name`` among raw arguments (``--name V`` or ``--name=V``), before click parses."""
    for index, arg in enumerate(args):
        if arg == "--":
            break
        if arg == name and index + 1 < len(args):
            return args[index + 1]
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
    return None
