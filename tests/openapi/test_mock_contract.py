"""``mock --contract``: the mock serves a user's document, authenticated and paged as it says."""

from __future__ import annotations

import base64
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from mlops_conformance.cli import cli
from mlops_conformance.contract import Contract
from mlops_conformance.mock import build_app, create_app
from mlops_conformance.mock.server import serve_app

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


@contextmanager
def _served(name: str, token: str = "t") -> Iterator[httpx.Client]:
    """The mock serving one corpus document, on a free loopback port."""
    app = create_app([Contract.load_openapi(CORPUS / name)], token=token)
    with serve_app(app) as running, httpx.Client(base_url=running.url, timeout=10) as client:
        yield client


def test_page_style_lists_are_paged_by_page_number_with_totals_and_next_links():
    with _served("inventory-30.json") as client:
        seen = []
        url: str | None = "/items?pageSize=2&api_key=t"
        pages = 0
        while url:
            answer = client.get(url)
            assert answer.status_code == 200, answer.text
            body = answer.json()
            assert len(body["results"]) <= 2 and body["totalCount"] == 3
            seen += [item["id"] for item in body["results"]]
            url = body["next"]
            pages += 1
        assert pages == 2 and len(seen) == len(set(seen)) == 3
        assert client.get("/items?page=0&api_key=t").status_code == 400  # pages count from 1 here
        assert client.get("/items?pageSize=26&api_key=t").status_code == 400  # maximum 25


def test_an_api_key_in_the_query_is_the_credential():
    with _served("inventory-30.json") as client:
        assert client.get("/items?api_key=t").status_code == 200
        assert client.get("/items?api_key=wrong").status_code == 401
        assert client.get("/items", headers={"X-Api-Key": "t"}).status_code == 401


def test_http_basic_carries_user_and_password_in_base64():
    with _served("registry-31.yaml", token="alice:s3cret") as client:
        good = base64.b64encode(b"alice:s3cret").decode()
        assert client.get("/models", headers={"Authorization": f"Basic {good}"}).status_code == 200
        bad = base64.b64encode(b"alice:nope").decode()
        assert client.get("/models", headers={"Authorization": f"Basic {bad}"}).status_code == 401
        assert client.get("/models", headers={"Authorization": "Basic %%%"}).status_code == 401
        assert client.get("/models", headers={"Authorization": "Bearer alice:s3cret"}).status_code == 401


def test_a_messy_spec_is_served_without_a_server_error():
    with _served("messy-30.yaml") as client:
        auth = {"Authorization": "Bearer t"}
        listed = client.get("/features", headers=auth)
        assert listed.status_code == 200, listed.text
        feature = listed.json()["items"][0]
        assert client.get(f"/features/{feature['id']}", headers=auth).status_code == 200
        assert client.post(f"/features/{feature['id']}/materialize", headers=auth).status_code < 500
        assert client.get("/stats", headers=auth).status_code == 200


def test_build_app_serves_given_contracts_chosen_by_name():
    contracts = [Contract.load_openapi(CORPUS / "petstore-30.yaml", "pets")]
    app = build_app(["pets"], token="t", contracts=contracts)
    assert [s.contract.vendor for s in app.state.mock.services] == ["pets"]


def test_the_command_serves_the_document_and_lists_its_repairs(tmp_path):
    process = subprocess.Popen(
        [sys.executable, "-m", "mlops_conformance", "mock", "--port", "0", "--token", "alice:s3cret",
         "--contract", f"reg={CORPUS / 'registry-31.yaml'}", "--contract", str(CORPUS / "messy-30.yaml")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        second = process.stdout.readline()
        assert first.startswith("mock serving reg, messy-feature-store on http://127.0.0.1:"), first
        assert second.startswith("contracts: reg ") and "registry-31.yaml" in second
        url = first.split(" on ")[1].split(" ")[0]
        answer = httpx.get(f"{url}/models", auth=("alice", "s3cret"), params={"max_results": 1})
        assert answer.status_code == 200 and len(answer.json()["models"]) == 1
        assert answer.json()["next_page_token"]
        assert httpx.get(f"{url}/models").status_code == 401
    finally:
        process.terminate()
        _out, err = process.communicate(timeout=30)
    assert "messy-feature-store: docs: dangling-ref at #/components/schemas/Feature/properties/spec" in err


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"swagger": "2.0", "info": {"title": "x"}, "paths": {}}', "Swagger 2.0 is not supported"),
        ("openapi: 3.0.3\ninfo: {title: x}\n", "not an OpenAPI document (no 'paths')"),
    ],
)
def test_unusable_documents_are_one_line_errors(tmp_path, content, expected):
    spec = tmp_path / "spec.yaml"
    spec.write_text(content)
    result = CliRunner().invoke(cli, ["mock", "--port", "0", "--contract", str(spec)])
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], result.output
