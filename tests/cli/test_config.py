"""Options from a file: pyproject.toml's [tool.mlops-conformance], mlops-conformance.toml or
--config FILE; profiles; precedence file < profile < flag; one-line errors naming file and key."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlops_conformance.cli import cli
from mlops_conformance.cli.config import defaults_for, find_config
from mlops_conformance.cli.run import run

NOTHING = "^NOTHING$"
ONE = "^GET /api/v2/useCases/$"


@pytest.fixture
def in_dir(tmp_path: Path):  # type: ignore[no-untyped-def]
    before = Path.cwd()
    os.chdir(tmp_path)
    yield tmp_path
    os.chdir(before)


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args))


def test_file_then_profile_then_flag(in_dir: Path):
    (in_dir / "pyproject.toml").write_text(
        '[tool.mlops-conformance]\nmax-examples = 3\nvendor = "datarobot"\noperations = "^NOTHING$"\n'
        '[tool.mlops-conformance.profiles.staging]\nmax-examples = 5\ntarget = "https://staging.example.com"\n'
        'token-env = "STAGING_TOKEN"\n'
    )
    found = find_config(None)
    assert found is not None
    assert defaults_for(run, *found, None) == {
        "max_examples": 3,
        "vendor": "datarobot",
        "operations": NOTHING,
    }
    staged = defaults_for(run, *found, "staging")
    assert staged["max_examples"] == 5 and staged["target"] == "https://staging.example.com"
    assert staged["token_env"] == "STAGING_TOKEN"


def test_the_file_applies_and_a_flag_overrides_it(in_dir: Path):
    (in_dir / "mlops-conformance.toml").write_text(
        f'vendor = "datarobot"\nmax-examples = 1\noperations = "{NOTHING}"\nreport-dir = "out"\n'
    )
    from_file = invoke("run")
    assert from_file.exit_code == 2 and "no check selected" in from_file.output
    overridden = invoke("run", "--operations", ONE)
    assert overridden.exit_code == 0, overridden.output
    assert (in_dir / "out" / "summary.json").is_file()  # report-dir came from the file


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("max-examples = 'ten'\n", "key 'max-examples': expected an integer, got 'ten'"),
        ("allow-writes = 'yes'\n", "key 'allow-writes': expected true or false, got 'yes'"),
        ("colour = 'blue'\n", "key 'colour': not an option of run or mock"),
        ("token = 'secret-in-a-file'\n", "key 'token': tokens are never read from a file"),
        ("vendor = [\n", "not valid TOML"),
    ],
)
def test_bad_keys_and_values_are_one_line_errors_naming_file_and_key(in_dir: Path, text: str, message: str):
    (in_dir / "mlops-conformance.toml").write_text(text)
    result = invoke("run")
    assert result.exit_code == 2
    [line] = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert "mlops-conformance.toml" in line and message in line
    assert "secret-in-a-file" not in result.output


def test_an_unknown_profile_names_the_known_ones(in_dir: Path):
    (in_dir / "mlops-conformance.toml").write_text("[profiles.staging]\nmax-examples = 2\n")
    result = invoke("run", "--profile", "prod")
    assert result.exit_code == 2
    assert "--profile prod: no such profile" in result.output and "(profiles: staging)" in result.output


def test_an_explicit_config_file_and_mock_options(in_dir: Path):
    other = in_dir / "elsewhere.toml"
    other.write_text("port = 8000\nlist-faults = 'yes'\n")
    result = invoke("mock", "--config", str(other))
    assert result.exit_code == 2 and "key 'list-faults': expected true or false" in result.output
    other.write_text("port = 8000\nlist-faults = true\n")
    listed = invoke("mock", "--config", str(other))
    assert listed.exit_code == 0 and "missing-required-field" in listed.output
    missing = invoke("run", "--config", "nope.toml")
    assert missing.exit_code == 2 and "--config nope.toml: no such file" in missing.output
