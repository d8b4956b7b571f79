"""Targets the overlay applier reads back to the same node; operations matched whatever the parameter names."""

from __future__ import annotations

from typing import Any

import pytest

from mlops_conformance.extract.overlay import Action, Overlay, _parse_path, _select, apply_overlay
from mlops_conformance.reconcile.locations import Filter, json_pointer, jsonpath, template_key
from mlops_conformance.reconcile.matching import pair_operations


def test_template_key_drops_parameter_names() -> None:
    assert template_key("/a/{id}/b/{x}") == template_key("/a/{projectId}/b/{y}") == "/a/{}/b/{}"
    assert template_key("/a/{id}") != template_key("/a/{id}/")


@pytest.mark.parametrize(
    ("location", "text"),
    [
        (("components", "schemas", "Thing"), "$.components.schemas.Thing"),
        (("paths", "/a/{id}", "get", "responses", "200"), "$.paths['/a/{id}'].get.responses['200']"),
        (("a", "x-doc-loss", Filter("", "enum")), "$.a['x-doc-loss'][?@ == 'enum']"),
        (("p", "parameters", Filter("name", "it's")), "$.p.parameters[?@.name == 'it\\'s']"),
        (("a", "b\\c", 3), "$.a['b\\\\c'][3]"),
    ],
)
def test_jsonpath_is_standard_and_read_back_by_the_applier(location: tuple, text: str) -> None:
    assert jsonpath(location) == text
    parsed = _parse_path(text, "t", 1)
    assert [(s.member, s.value) if not isinstance(s, str | int) else s for s in parsed] == [
        (s.member, s.value) if isinstance(s, Filter) else s for s in location
    ]


def test_filters_select_by_member_and_by_value() -> None:
    document: dict[str, Any] = {
        "p": {"parameters": [{"name": "a", "in": "query"}, {"name": "it's", "in": "query"}]},
        "s": {"required": ["id", "name"], "x-source": {"document": "d", "line": 1}},
    }
    [place] = _select(document, _parse_path(jsonpath(("p", "parameters", Filter("name", "it's"))), "t", 1))
    assert place.node == {"name": "it's", "in": "query"}
    overlay = Overlay(
        "o.yaml", "o", (Action(jsonpath(("s", "required", Filter("", "id"))), "why", 3, None, True),)
    )
    apply_overlay(document, overlay)
    assert document["s"]["required"] == ["name"]
    assert document["s"]["x-source"] == {"document": "o.yaml", "line": 3}


def test_json_pointer_escapes() -> None:
    assert json_pointer(("paths", "/a/{id}", "get")) == "#/paths/~1a~1{id}/get"
    assert json_pointer(("a~b",)) == "#/a~0b"


def test_pairing_is_by_method_and_template() -> None:
    ours = {"paths": {"/a/{id}": {"get": {}, "delete": {}}, "/b": {"post": {}}}}
    theirs = {"paths": {"/a/{projectId}": {"get": {}, "patch": {}}, "/c": {"get": {}}}}
    pairing = pair_operations(ours, theirs)
    [match] = pairing.matches
    assert (match.contract_path, match.method, match.spec_path) == ("/a/{id}", "get", "/a/{projectId}")
    assert match.spec_to_contract_names() == {"projectId": "id"}
    assert pairing.only_in_contract == ("DELETE /a/{id}", "POST /b")
    assert pairing.only_in_spec == ("PATCH /a/{projectId}", "GET /c")


def test_paths_are_read_below_the_first_server_url() -> None:
    ours = {"servers": [{"url": "https://app.example.com"}], "paths": {"/api/v2/useCases/{id}/": {"get": {}}}}
    theirs = {
        "servers": [
            {
                "url": "https://{host}/api/{version}/",
                "variables": {"host": {"default": "h"}, "version": {"default": "v2"}},
            }
        ],
        "paths": {"/useCases/{useCaseId}/": {"get": {}}},
    }
    [match] = pair_operations(ours, theirs).matches
    assert (match.contract_path, match.spec_path) == ("/api/v2/useCases/{id}/", "/useCases/{useCaseId}/")
