"""``run --contract [NAME=]FILE``: a user's OpenAPI 3.0/3.1 document instead of the bundled contracts."""

from __future__ import annotations

import json

import orjson
import pytest
import yaml
from click.testing import CliRunner
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from mlops_conformance.cli import cli
from mlops_conformance.mock.server import serve_app
from mlops_conformance.openapi30 import normalise

TOKEN = "tok-contract-option"

SPEC = """\
openapi: 3.0.3
info:
  title: Tiny Models API
  version: "1.0"
security:
  - ApiKey: []
components:
  securitySchemes:
    ApiKey:
      type: apiKey
      in: header
      name: X-Api-Key
  schemas:
    Model:
      type: object
      required: [id, name, description, score]
      additionalProperties: false
      properties:
        id:
          type: string
          example: m-1
        name:
          type: string
        description:
          type: string
          nullable: true
        score:
          type: number
          minimum: 0
          exclusiveMinimum: true
          example: 0.5
paths:
  /models:
    get:
      tags: [Models]
      operationId: listModels
      responses:
        "200":
          description: every model
          content:
            application/json:
              schema:
                type: array
                items:
                  $ref: "#/components/schemas/Model"
        "401":
          description: no or wrong key
  /models/{modelId}:
    get:
      tags: [Models]
      operationId: getModel
      parameters:
        - name: modelId
          in: path
          required: true
          schema:
            type: string
      responses:
        "200":
          description: one model
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Model"
        "401":
          description: no or wrong key
        "404":
          description: no such model
  /health:
    get:
      tags: [Health]
      operationId: health
      security: []
      responses:
        "200":
          description: up
          content:
            application/json:
              schema:
                type: object
                required: [status]
                properties:
                  status:
                    type: string
                    enum: [ok]
"""

MODELS = [
    {"id": "m-1", "name": "first", "description": None, "score": 0.5},
    {"id": "m-2", "name": "second", "description": "kept", "score": 3},
]


def _authorised(request: Request) -> bool:
    return request.headers.get("x-api-key") == TOKEN


async def list_models(request: Request) -> Response:
    if not _authorised(request):
        return Response(status_code=401)
    return JSONResponse(MODELS)


async def get_model(request: Request) -> Response:
    if not _authorised(request):
        return Response(status_code=401)
    found = [m for m in MODELS if m["id"] == request.path_params["modelId"]]
    return JSONResponse(found[0]) if found else Response(status_code=404)


async def health(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


APP = Starlette(
    routes=[
        Route("/models", list_models),
        Route("/models/{modelId}", get_model),
        Route("/health", health),
    ]
)


@pytest.fixture(scope="module")
def target():  # type: ignore[no-untyped-def]
    with serve_app(APP) as running:
        yield running.url


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, ["run", *args])


def _rows(report_dir) -> list[dict]:  # type: ignore[no-untyped-def]
    return orjson.loads((report_dir / "summary.json").read_bytes())["rows"]


def test_an_openapi_30_spec_run_against_a_server_answering_as_it_says_is_clean(tmp_path, target, monkeypatch):
    monkeypatch.setenv("TINY_KEY", TOKEN)
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC)
    reports = tmp_path / "reports"
    result = invoke(
        "--contract", str(spec), "--target", target, "--token-env", "TINY_KEY",
        "--max-examples", "2", "--report-dir", str(reports),
    )  # fmt: skip
    rows = _rows(reports)
    bad = [r for r in rows if r["verdict"] in ("fail", "error")]
    assert result.exit_code == 0, (result.output, bad)
    assert not bad
    assert {r["vendor"] for r in rows} == {"tiny-models-api"}
    assert result.output.startswith("contracts: tiny-models-api ")
    assert any(r["verdict"] == "pass" and r["check"].startswith("auth.") for r in rows)
    assert TOKEN not in (reports / "summary.json").read_text() + result.output


def test_without_nullable_the_same_server_fails(tmp_path, target, monkeypatch):
    monkeypatch.setenv("TINY_KEY", TOKEN)
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC.replace("          nullable: true\n", ""))
    reports = tmp_path / "reports"
    result = invoke(
        "--contract", str(spec), "--target", target, "--token-env", "TINY_KEY",
        "--max-examples", "1", "--report-dir", str(reports),
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    failed = [r for r in _rows(reports) if r["verdict"] == "fail"]
    assert failed and all("description" in json.dumps(r["evidence"]) for r in failed)


def test_name_equals_file_names_the_vendor_in_the_summary(tmp_path, target, monkeypatch):
    monkeypatch.setenv("TINY_KEY", TOKEN)
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(yaml.safe_load(SPEC)))
    reports = tmp_path / "reports"
    result = invoke(
        "--contract", f"tiny={spec}", "--target", target, "--token-env", "TINY_KEY",
        "--operations", "health", "--max-examples", "1", "--report-dir", str(reports),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    summary = orjson.loads((reports / "summary.json").read_bytes())
    assert summary["run"]["vendors"] == ["tiny"]
    assert {r["vendor"] for r in summary["rows"]} == {"tiny"}


def test_a_contract_without_security_needs_no_token(tmp_path, target, monkeypatch):
    monkeypatch.delenv("TINY_KEY", raising=False)
    document = yaml.safe_load(SPEC)
    document["paths"] = {"/health": document["paths"]["/health"]}
    spec = tmp_path / "health.yaml"
    spec.write_text(yaml.safe_dump(document))
    result = invoke(
        "--contract", str(spec), "--target", target, "--max-examples", "1",
        "--report-dir", str(tmp_path / "reports"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("content", "args", "expected"),
    [
        ('{"swagger": "2.0", "info": {"title": "x"}, "paths": {}}', ["--target", "http://127.0.0.1:9"], "Swagger 2.0 is not supported"),
        (None, ["--target", "http://127.0.0.1:9"], "cannot read contract"),
        ("openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths: {}\n", ["--target", "http://127.0.0.1:9"], "set TINY_UNSET") ,
    ],
)  # fmt: skip
def test_bad_contracts_are_one_line_errors(tmp_path, monkeypatch, content, args, expected):
    monkeypatch.delenv("TINY_UNSET", raising=False)
    spec = tmp_path / "spec.yaml"
    if content is not None:
        spec.write_text(content)
    if expected.startswith("set"):
        spec.write_text(SPEC)
    result = invoke(
        "--contract", str(spec), *args, "--token-env", "TINY_UNSET", "--report-dir", str(tmp_path)
    )
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], result.output


def test_openapi_30_is_normalised_to_31_shapes_on_a_copy():
    document = yaml.safe_load(SPEC)
    document["components"]["schemas"]["Ref"] = {"$ref": "#/components/schemas/Model", "nullable": True}
    normalised = normalise(document)
    model = normalised["components"]["schemas"]["Model"]["properties"]
    assert model["description"] == {"type": ["string", "null"]}
    assert model["score"] == {"type": "number", "exclusiveMinimum": 0, "examples": [0.5]}
    assert normalised["components"]["schemas"]["Ref"] == {
        "anyOf": [{"$ref": "#/components/schemas/Model"}, {"type": "null"}]
    }
    assert normalised["paths"]["/health"]["get"]["security"] == []
    assert normalised["paths"]["/models"]["get"]["security"] == [{"ApiKey": []}]
    assert normalised["openapi"] == "3.1.0"
    assert document["components"]["schemas"]["Model"]["properties"]["description"]["nullable"] is True


def test_token_env_names_one_variable_per_contract(tmp_path, target, monkeypatch):
    """Two documents, two vendors, two variables: each vendor's token comes from its own."""
    monkeypatch.setenv("TINY_KEY", TOKEN)
    monkeypatch.setenv("OTHER_KEY", "not-the-token")
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(yaml.safe_load(SPEC)))
    reports = tmp_path / "reports"
    result = invoke(
        "--contract", f"tiny={spec}", "--contract", f"copy={spec}", "--target", target,
        "--token-env", "tiny=TINY_KEY,copy=OTHER_KEY", "--operations", "health", "--max-examples", "1",
        "--report-dir", str(reports),
    )  # fmt: skip
    # The server knows one token: the vendor whose variable holds another is refused by name.
    assert result.exit_code == 2, result.output
    assert "refused the copy credentials" in result.output and "$OTHER_KEY" in result.output
    result = invoke(
        "--contract", f"tiny={spec}", "--contract", f"copy={spec}", "--target", target,
        "--token-env", "tiny=TINY_KEY,copy=TINY_KEY", "--operations", "health", "--max-examples", "1",
        "--report-dir", str(reports),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert orjson.loads((reports / "summary.json").read_bytes())["run"]["vendors"] == ["tiny", "copy"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("tiny=", "expected VAR or NAME=VAR"), ("nobody=X", "nobody is not a vendor of this run")],
)
def test_a_bad_token_env_is_one_line(tmp_path, value, expected):
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC)
    result = invoke("--contract", f"tiny={spec}", "--target", "http://127.0.0.1:9", "--token-env", value)
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], result.output


def test_the_contract_key_of_a_configuration_file(tmp_path, target, monkeypatch):
    """``contract`` (a list) and ``token-env`` in mlops-conformance.toml, as on the command line."""
    monkeypatch.setenv("TINY_KEY", TOKEN)
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(yaml.safe_load(SPEC)))
    config = tmp_path / "conformance.toml"
    config.write_text(f'contract = ["tiny={spec}"]\ntoken-env = "TINY_KEY"\ntarget = "{target}"\n')
    reports = tmp_path / "reports"
    result = invoke(
        "--config", str(config), "--operations", "health", "--max-examples", "1", "--report-dir", str(reports)
    )
    assert result.exit_code == 0, result.output
    assert orjson.loads((reports / "summary.json").read_bytes())["run"]["vendors"] == ["tiny"]
