"""The documentation line a result comes from, read from the vendored sources.

Evidence carries ``source = {"document": "datarobot/use-cases.txt", "line": 123}`` (relative to
``contracts/sources/``; overlay errata point at ``overlays/<vendor>.yaml``). Showing the line itself
lets a reader judge on the spot whether the target, the documentation or the suite is wrong. A
source read from protobuf descriptors (MLflow) has no lines: it names its proto ``message`` instead,
and shows no excerpt.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import ContractError
from ..resources import contracts_dir, sources_dir


def _default_roots() -> list[Path]:
    try:
        return [sources_dir(), contracts_dir()]
    except ContractError:
        return []


class DocLines:
    """Reads (and caches) lines of the vendored documents; never leaves their directories."""

    def __init__(self, roots: list[Path] | None = None) -> None:
        self.roots = [r.resolve() for r in (roots if roots is not None else _default_roots())]
        self._cache: dict[str, list[str] | None] = {}

    def _lines(self, document: str) -> list[str] | None:
        if document in self._cache:
            return self._cache[document]
        lines: list[str] | None = None
        for root in self.roots:
            candidate = (root / document).resolve()
            if not candidate.is_relative_to(root) or not candidate.is_file():
                continue
            try:
                lines = candidate.read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError:
                continue
            break
        self._cache[document] = lines
        return lines

    def excerpt(self, source: Any, before: int = 1, after: int = 3) -> list[tuple[int, str]] | None:
        """Lines ``line-before .. line+after`` of the source's document, numbered from 1.

        More follows than precedes: a source line is where a block starts (an operation's method,
        a schema's name), and what matters is the few lines under it.
        """
        if not isinstance(source, dict):
            return None
        document, line = source.get("document"), source.get("line")
        if not isinstance(document, str) or not isinstance(line, int) or isinstance(line, bool):
            return None
        lines = self._lines(document)
        if not lines or not 1 <= line <= len(lines):
            return None
        first, last = max(1, line - before), min(len(lines), line + after)
        return [(n, lines[n - 1][:400]) for n in range(first, last + 1)]


def source_label(source: Any) -> str | None:
    """``datarobot/use-cases.txt:123`` for a source dict, or ``None``.

    A source without lines (MLflow's protobuf descriptors) names its proto message instead:
    ``mlflow/descriptors.pb: mlflow.CreateExperiment``; the document alone when it names neither.
    """
    if not isinstance(source, dict) or not isinstance(source.get("document"), str):
        return None
    line = source.get("line")
    if isinstance(line, int) and not isinstance(line, bool):
        return f"{source['document']}:{line}"
    message = source.get("message")
    if isinstance(message, str) and message:
        return f"{source['document']}: {message}"
    return str(source["document"])
