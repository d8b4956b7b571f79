"""The documentation line behind a result, read from the vendored sources and the overlays."""

from __future__ import annotations

from pathlib import Path

from mlops_conformance.report.doclines import DocLines, source_label
from mlops_conformance.resources import contracts_dir, sources_dir


def test_a_source_line_comes_with_the_lines_around_it() -> None:
    lines = (sources_dir() / "datarobot" / "use-cases.txt").read_text(encoding="utf-8").splitlines()
    excerpt = DocLines().excerpt({"document": "datarobot/use-cases.txt", "line": 7})
    assert excerpt == [(n, lines[n - 1]) for n in range(6, 11)]


def test_overlay_errata_are_found_next_to_the_sources() -> None:
    overlay = contracts_dir() / "overlays" / "datarobot.yaml"
    first = overlay.read_text(encoding="utf-8").splitlines()[0]
    excerpt = DocLines().excerpt({"document": "overlays/datarobot.yaml", "line": 1})
    assert excerpt is not None and excerpt[0] == (1, first)


def test_nothing_outside_the_contracts_directory_is_ever_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("do not show\n", encoding="utf-8")
    docs = DocLines([tmp_path / "sources"])
    (tmp_path / "sources").mkdir()
    assert docs.excerpt({"document": "../secret.txt", "line": 1}) is None
    assert docs.excerpt({"document": str(secret), "line": 1}) is None


def test_unknown_documents_and_lines_out_of_range_give_nothing() -> None:
    docs = DocLines()
    assert docs.excerpt({"document": "datarobot/missing.txt", "line": 1}) is None
    assert docs.excerpt({"document": "datarobot/use-cases.txt", "line": 10**7}) is None
    assert docs.excerpt({"document": "datarobot/use-cases.txt", "line": True}) is None
    assert docs.excerpt("datarobot/use-cases.txt:7") is None
    assert source_label({"document": "domino/rest-api.txt", "line": 13}) == "domino/rest-api.txt:13"


def test_a_source_without_lines_is_named_by_its_proto_message() -> None:
    source = {"document": "mlflow/descriptors.pb", "message": "mlflow.CreateExperiment"}
    assert source_label(source) == "mlflow/descriptors.pb: mlflow.CreateExperiment"
    assert source_label({"document": "mlflow/descriptors.pb"}) == "mlflow/descriptors.pb"
    assert DocLines().excerpt(source) is None
