"""The extraction pipeline: sources -> parsers -> writer -> overlays -> annotations -> checks.

Everything is computed in memory first; files are only written once both contracts are complete,
each atomically, so a failing run never leaves a half-written or emptied contract behind.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ContractError, ExtractionError
from .examples_check import check_examples, give_arrays_items, quarantine_invalid_examples
from .model import DocIssue, Document, ExtractStats, SchemaDef
from .overlay import Overlay, apply_overlay, load_overlay
from .sources import DESCRIPTOR_SETS, OVERLAY_OPTIONAL, PAGES, SourcePage, detect_layout, read_text
from .writer import annotate_pagination, build_contract, dangling_refs

VENDOR_ORDER = ("datarobot", "domino", "mlflow")


@dataclass
class ExtractionResult:
    contracts: dict[str, dict[str, Any]] = field(default_factory=dict)
    documents: list[Document] = field(default_factory=list)
    issues: dict[str, list[DocIssue]] = field(default_factory=dict)

    def stats(self) -> dict[str, ExtractStats]:
        """Per-document figures for ``extract --stats``."""
        out: dict[str, ExtractStats] = {}
        inconsistent = Counter(
            i.source.document
            for issues in self.issues.values()
            for i in issues
            if i.kind == "example-mismatch"
        )
        paginated: Counter[str] = Counter()
        for contract in self.contracts.values():
            for item in contract["paths"].values():
                for spec in item.values():
                    if "x-pagination" in spec:
                        paginated[spec["x-source"]["document"]] += 1
                        for other in spec.get("x-also-in", []):
                            paginated[other["document"]] += 1
        for doc in self.documents:
            named = [s for s in doc.schemas if not s.placeholder]
            out[doc.path] = ExtractStats(
                operations=len(doc.operations),
                schemas_named=sum(1 for s in named if not s.name.startswith("Unnamed_")),
                schemas_recovered=sum(1 for s in named if s.recovered),
                schemas_placeholder=sum(1 for s in doc.schemas if s.placeholder),
                enums_lost=doc.enums_lost,
                examples_parsed=doc.examples_parsed,
                examples_failed=doc.examples_failed,
                examples_inconsistent=inconsistent[doc.path],
                paginated=paginated[doc.path],
            )
        return out


def _refuse_unexpected_truncation(page: SourcePage, document: Document, text: str) -> None:
    """A page that references schemas it never shows was cut short, unless it is known to be."""
    if page.truncated:
        return
    missing = [s for s in document.schemas if s.placeholder]
    if missing:
        last_line = text.count("\n") + (0 if text.endswith("\n") else 1)
        first = min(missing, key=lambda s: s.source.line)
        raise ExtractionError(
            page.path,
            last_line,
            f"page ends early: {len(missing)} referenced schema(s) have no block, e.g. "
            f"{first.name} (referenced at line {first.source.line}); the file looks truncated",
        )


def parse_page(page: SourcePage, text: str, known: dict[str, SchemaDef]) -> Document:
    layout = detect_layout(text, page.path)
    if page.vendor == "domino":
        if layout != "D":
            raise ExtractionError(
                page.path, 1, f"expected the Domino layout, found DataRobot layout {layout}"
            )
        from .domino import parse_domino

        return parse_domino(page.path, text, title=page.title)
    if layout == "D":
        raise ExtractionError(page.path, 1, "expected a DataRobot layout, found the Domino layout")
    from .datarobot import parse_datarobot

    return parse_datarobot(page.path, text, layout=layout, title=page.title, reference_schemas=known)


def load_extra_overlays(
    paths: tuple[Path, ...], contracts_root: Path, vendors: tuple[str, ...]
) -> dict[str, list[Overlay]]:
    """``extract --overlay FILE`` documents by the vendor their ``extends`` names, in the given order.

    Read before any page is parsed, so a missing or invalid file fails at once. Provenance
    (``x-source.document``) is the file's path relative to the contracts directory when it lies
    there, else its name: never an absolute path, so the contract stays the same on every machine.
    """
    found: dict[str, list[Overlay]] = {}
    for path in paths:
        try:
            display = path.resolve().relative_to(contracts_root.resolve()).as_posix()
        except ValueError:
            display = path.name
        overlay = load_overlay(path, str(path))  # errors name the file as the user gave it
        vendor = _extended_vendor(overlay.extends)
        if vendor not in vendors:
            expected = ", ".join(f"{v}.openapi.json" for v in vendors)
            raise ContractError(
                str(path),
                f"extends {overlay.extends or '(nothing)'}: names none of the contracts extracted ({expected})",
            )
        found.setdefault(vendor, []).append(Overlay(display, overlay.title, overlay.actions, overlay.extends))
    return found


def _extended_vendor(extends: str) -> str:
    """``domino.openapi.json``, ``./contracts/domino.openapi.json`` or a URL ending so -> ``domino``."""
    name = extends.replace("\\", "/").rsplit("/", 1)[-1].split("#", 1)[0].split("?", 1)[0]
    for suffix in (".openapi.json", ".openapi.yaml", ".json", ".yaml"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def extract(
    contracts_root: Path,
    *,
    overlays: bool = True,
    vendors: tuple[str, ...] = VENDOR_ORDER,
    extra_overlays: tuple[Path, ...] = (),
) -> ExtractionResult:
    """Every vendor's contract, in memory; ``extra_overlays`` are applied after the errata."""
    extra = load_extra_overlays(extra_overlays, contracts_root, vendors)
    sources = contracts_root / "sources"
    result = ExtractionResult()
    known: dict[str, dict[str, SchemaDef]] = {}
    for page in PAGES:
        if page.vendor not in vendors:
            continue
        text = read_text(sources / page.path, page.path)
        vendor_known = known.setdefault(page.vendor, {})
        document = parse_page(page, text, vendor_known)
        _refuse_unexpected_truncation(page, document, text)
        for schema in document.schemas:
            # Names read directly or proven by evidence may name another page's blocks; names
            # forced only by sort order are too weak to spread.
            if (
                not schema.placeholder
                and schema.recovered != "order"
                and not schema.name.startswith("Unnamed_")
            ):
                vendor_known.setdefault(schema.name, schema)
        result.documents.append(document)
    for vendor, relative in DESCRIPTOR_SETS.items():
        if vendor in vendors:
            from .mlflow import parse_mlflow

            result.documents.append(parse_mlflow(sources / relative, relative))
    for vendor in vendors:
        documents = [d for d in result.documents if d.vendor == vendor]
        contract, issues = build_contract(vendor, documents)
        _refuse_dangling(vendor, contract)
        # Examples are judged against the docs' own schemas: errata must not turn into doc issues.
        issues = issues + check_examples(contract)
        overlay_file = contracts_root / "overlays" / f"{vendor}.yaml"
        if overlays and not (vendor in OVERLAY_OPTIONAL and not overlay_file.is_file()):
            if not overlay_file.is_file():
                raise ContractError(
                    f"overlays/{vendor}.yaml",
                    "errata overlay missing (use --no-overlays for the raw reading)",
                )
            apply_overlay(contract, load_overlay(overlay_file, f"overlays/{vendor}.yaml"))
        for overlay in extra.get(vendor, []):
            apply_overlay(contract, overlay)
        annotate_pagination(vendor, contract)
        give_arrays_items(contract.get("components", {}))
        give_arrays_items(contract.get("paths", {}))
        quarantine_invalid_examples(contract)  # after the errata: judged by the final schemas
        _refuse_dangling(vendor, contract)
        issues.sort(key=lambda i: (i.source.document, i.source.line or 0, i.kind, i.message))
        contract["x-doc-issues"] = [
            {**i.source.as_extension(), "kind": i.kind, "message": i.message} for i in issues
        ]
        result.contracts[vendor] = contract
        result.issues[vendor] = issues
    return result


def _refuse_dangling(vendor: str, contract: dict[str, Any]) -> None:
    missing = dangling_refs(contract)
    if missing:
        raise ContractError(f"{vendor}.openapi.json", f"unresolvable references: {', '.join(missing[:5])}")


def render(contract: dict[str, Any]) -> bytes:
    """Deterministic bytes: sorted keys, fixed indentation, UTF-8, trailing newline."""
    return (json.dumps(contract, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def rendered_files(result: ExtractionResult, output: Path) -> dict[Path, bytes]:
    return {
        output / f"{vendor}.openapi.json": render(contract) for vendor, contract in result.contracts.items()
    }


def write_atomically(files: dict[Path, bytes]) -> None:
    """Write every file to a temporary sibling first, then rename them all into place."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            staged.append((temp, path))
            # mkstemp creates 0600; give the contract the permissions any new file would have.
            os.chmod(temp, path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask())
        for temp, path in staged:
            os.replace(temp, path)
    finally:
        for temp, _ in staged:
            if os.path.exists(temp):
                os.unlink(temp)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def stale_files(files: dict[Path, bytes]) -> list[str]:
    """Describe each committed contract that differs from a fresh extraction."""
    problems = []
    for path, data in files.items():
        if not path.exists():
            problems.append(f"{path.name}: missing")
            continue
        current = path.read_bytes()
        if current == data:
            continue
        problems.append(f"{path.name}: stale ({_first_difference(current, data)})")
    return problems


def _first_difference(old: bytes, new: bytes) -> str:
    old_lines, new_lines = old.decode("utf-8", "replace").splitlines(), new.decode("utf-8").splitlines()
    for number, (a, b) in enumerate(zip(old_lines, new_lines), start=1):
        if a != b:
            return (
                f"first difference at line {number}: committed {a.strip()[:60]!r}, fresh {b.strip()[:60]!r}"
            )
    return f"committed has {len(old_lines)} lines, fresh has {len(new_lines)}"
