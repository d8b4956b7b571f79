"""The router: literal segments beat templates, with backtracking, on raw (encoded) paths."""

from __future__ import annotations

from mlops_conformance.mock.routing import Router, parameters


def _router() -> Router[str]:
    router: Router[str] = Router()
    router.add("GET", "/api/v2/useCases/{useCaseId}/datasets/{datasetId}/", "literal")
    router.add("DELETE", "/api/v2/useCases/{useCaseId}/{referenceCollectionType}/{entityId}/", "template")
    router.add("GET", "/api/v2/useCases/{useCaseId}/", "item")
    router.add("GET", "/files/{projectId}/{path}/content", "file")
    return router


def test_a_literal_segment_wins_over_a_template_at_the_same_position() -> None:
    match = _router().match("/api/v2/useCases/u1/datasets/d1/")
    assert match is not None and match.methods == {"GET": "literal"}
    assert parameters(match.path, match.values) == {"useCaseId": "u1", "datasetId": "d1"}


def test_the_template_still_serves_values_the_literal_does_not_cover() -> None:
    match = _router().match("/api/v2/useCases/u1/projects/p1/")
    assert match is not None and match.methods == {"DELETE": "template"}
    assert parameters(match.path, match.values)["referenceCollectionType"] == "projects"


def test_matching_backtracks_from_a_literal_branch_that_dead_ends() -> None:
    router: Router[str] = Router()
    router.add("GET", "/a/fixed/x", "literal")
    router.add("GET", "/a/{any}/y", "template")
    match = router.match("/a/fixed/y")
    assert match is not None and match.methods == {"GET": "template"}


def test_an_encoded_slash_stays_inside_one_parameter() -> None:
    match = _router().match("/files/p1/nested%2Ffolder%2Ffile.ext/content")
    assert match is not None
    assert parameters(match.path, match.values) == {"projectId": "p1", "path": "nested/folder/file.ext"}


def test_a_missing_trailing_slash_is_a_different_path() -> None:
    assert _router().match("/api/v2/useCases/u1") is None


def test_an_empty_segment_never_fills_a_template() -> None:
    assert _router().match("/api/v2/useCases//") is None


def test_a_method_the_literal_path_lacks_falls_back_to_the_template_that_documents_it() -> None:
    match = _router().match("/api/v2/useCases/u1/datasets/d1/", "DELETE")
    assert match is not None and match.methods == {"DELETE": "template"}
    assert parameters(match.path, match.values)["entityId"] == "d1"


def test_a_method_no_path_documents_returns_the_literal_match_for_a_405() -> None:
    match = _router().match("/api/v2/useCases/u1/datasets/d1/", "PUT")
    assert match is not None and match.methods == {"GET": "literal"}
