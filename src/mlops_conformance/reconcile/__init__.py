"""Reconcile a docs-extracted contract with the vendor's own OpenAPI spec, as an Overlay 1.0 file.

The docs and a vendor's machine-readable spec each know things the other lost. This package finds,
for the operations in both, what the spec knows and the docs lost (additions) and where the docs
say something explicit that the spec contradicts (conflicts), and writes them as overlay actions
the extraction can apply after its errata (``extract --overlay FILE``), so the result stays
reproducible from the vendored pages plus reviewed files.

Modules, one job each: ``locations`` (JSONPath targets, JSON pointers, ``$ref`` following),
``matching`` (operations by method and path template), ``schemas`` and ``operations`` (the
comparison), ``findings`` (what was found), ``overlay_file`` (the overlay and the summary).
"""

from __future__ import annotations

from pathlib import Path

from ..contract import Contract
from ..errors import ContractError
from .locations import Document
from .matching import pair_operations
from .operations import compare_operation
from .overlay_file import Reconciliation, build_overlay, render, summary
from .schemas import Walk

__all__ = ["Reconciliation", "build_overlay", "reconcile", "reconcile_files", "render", "summary"]


def reconcile(contract: Contract, spec: Contract) -> Reconciliation:
    """Compare two loaded documents (both already in OpenAPI 3.1 shapes)."""
    pairing = pair_operations(contract.document, spec.document)
    walk = Walk(Document(contract.document, str(contract.path)), Document(spec.document, str(spec.path)))
    for match in pairing.matches:
        compare_operation(walk, match)
    info = spec.document.get("info") or {}
    return Reconciliation(
        contract_name=contract.path.name if contract.path else contract.vendor,
        contract_title=str((contract.document.get("info") or {}).get("title") or contract.vendor),
        spec_name=spec.path.name if spec.path else spec.vendor,
        spec_title=str(info.get("title") or spec.vendor),
        spec_version=str(info.get("version") or "unversioned"),
        matched=len(pairing.matches),
        findings=tuple(walk.findings.sorted()),
        losses=dict(walk.findings.losses),
        only_in_contract=pairing.only_in_contract,
        only_in_spec=pairing.only_in_spec,
    )


def reconcile_files(contract_path: Path, spec_path: Path) -> Reconciliation:
    """Load both and compare.

    The contract is read as it is (an extracted contract: OpenAPI 3.1 JSON), because the overlay
    must target its nodes where ``extract`` will find them; a normalised or repaired copy could
    hold nodes the file does not. The spec is read as ``run --contract`` reads a user's document
    (JSON or YAML, OpenAPI 3.0 normalised to 3.1, Swagger 2.0 refused in one line).
    """
    contract = Contract.load(contract_path.name.split(".")[0], contract_path)
    version = str(contract.document.get("openapi", ""))
    if not version.startswith("3.1"):
        raise ContractError(
            str(contract_path),
            f"expected an extracted contract (OpenAPI 3.1 JSON), found openapi: {version or '(none)'}; "
            "the overlay targets the contract's nodes as they are in the file",
        )
    return reconcile(contract, Contract.load_openapi(spec_path))
