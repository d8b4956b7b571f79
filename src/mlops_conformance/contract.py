"""The one shared reading of a generated contract: loading, ``$ref`` resolution, operations, ``x-`` keys.

``checks``, ``mock`` and ``report`` all read contracts through this module and nothing else, so
there is exactly one interpretation of the format DESIGN.md describes.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import orjson

from .errors import ContractError
from .resources import VENDORS, contract_path

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def doc_loss(node: dict[str, Any]) -> set[str] | bool:
    """What ``x-doc-loss`` says the scrape lost at this node (``True``: everything)."""
    lost = node.get("x-doc-loss")
    if lost is True:
        return True
    if isinstance(lost, list):
        return {str(k) for k in lost}
    if isinstance(lost, str):
        return {lost}
    return set()


def is_open_object(nodes: list[dict[str, Any]]) -> bool:
    """Whether an object described by these schema nodes may carry members they do not list.

    The judge (an extra member is drift) and the mock (show only documented members) must read
    this the same way: open when no node lists ``properties``, or one allows
    ``additionalProperties``/``patternProperties``, or the scrape lost those keywords
    (``x-doc-loss``) or the whole schema (``x-placeholder``). ``nodes`` are the schema, its
    ``allOf`` parts and the ``anyOf``/``oneOf`` branches the value satisfies.
    """
    if not any("properties" in node for node in nodes):
        return True
    for node in nodes:
        extra = node.get("additionalProperties")
        if (
            node.get("patternProperties")
            or (extra is not None and extra is not False)
            or node.get("x-placeholder")
        ):
            return True
        lost = doc_loss(node)
        if lost is True or {"properties", "additionalProperties"} & lost:
            return True
    return False


@dataclass(frozen=True, slots=True)
class Operation:
    """One documented operation of a contract, as the checks, mock and reports see it."""

    vendor: str
    method: str  # upper case
    path: str
    spec: dict[str, Any] = field(repr=False, compare=False)
    parameters: tuple[dict[str, Any], ...] = field(repr=False, compare=False, default=())

    @property
    def id(self) -> str:
        """``"GET /api/v2/useCases/"``: the operation's name in test ids, summaries and reports."""
        return f"{self.method} {self.path}"

    @property
    def tags(self) -> list[str]:
        return list(self.spec.get("tags", []))

    @property
    def tag(self) -> str:
        tags = self.spec.get("tags") or ["untagged"]
        return str(tags[0])

    @property
    def pagination(self) -> dict[str, Any] | None:
        return self.spec.get("x-pagination")

    @property
    def source(self) -> dict[str, Any] | None:
        return self.spec.get("x-source")

    @property
    def deprecated(self) -> bool:
        return bool(self.spec.get("deprecated", False))

    @property
    def responses(self) -> dict[str, dict[str, Any]]:
        return dict(self.spec.get("responses", {}))

    @property
    def request_body(self) -> dict[str, Any] | None:
        return self.spec.get("requestBody")

    def documented_statuses(self) -> list[str]:
        return sorted(self.responses)

    def path_parameters(self) -> list[dict[str, Any]]:
        return [p for p in self.parameters if p.get("in") == "path"]

    def query_parameters(self) -> list[dict[str, Any]]:
        return [p for p in self.parameters if p.get("in") == "query"]


def _public_without_security(document: dict[str, Any]) -> None:
    """A document that declares no ``security`` anywhere (MLflow: its descriptors name no authentication)
    is public, as OpenAPI reads it: each operation gets ``security: []``, the one form the checks, the
    mock and the token lookup read as "no credentials". Documents that declare security are untouched."""
    paths = document.get("paths")
    if "security" in document or not isinstance(paths, dict):
        return  # a malformed document is refused by whoever reads it, in its own words
    specs = [
        spec
        for item in paths.values()
        if isinstance(item, dict)
        for method, spec in item.items()
        if method in HTTP_METHODS and isinstance(spec, dict)
    ]
    if any("security" in spec for spec in specs):
        return
    for spec in specs:
        spec["security"] = []


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a document is built, then restored.

    Building a large document allocates hundreds of thousands of dicts that all stay alive; every
    generation-2 pass re-scans all of them, which makes loading grow faster than the document (a
    2,000-operation YAML spec: 1.5-2 s to parse instead of 0.8 s). A parsed document holds no
    reference cycles, so nothing is left for the collector to find.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Contract:
    """A loaded ``<vendor>.openapi.json``."""

    def __init__(self, vendor: str, document: dict[str, Any], path: Path | None = None, raw: bytes = b""):
        self.vendor = vendor
        self.document = document
        self.path = path
        self.sha256 = hashlib.sha256(raw or orjson.dumps(document, option=orjson.OPT_SORT_KEYS)).hexdigest()

    @classmethod
    def load(cls, vendor: str, path: Path | None = None) -> Contract:
        if path is None:
            if vendor not in VENDORS:
                raise ContractError(vendor, f"unknown vendor; expected one of {', '.join(VENDORS)}")
            path = contract_path(vendor)
        try:
            raw = Path(path).read_bytes()
        except OSError as exc:
            raise ContractError(str(path), f"cannot read contract: {exc.strerror or exc}") from None
        try:
            document = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise ContractError(str(path), f"not valid JSON: {exc}") from None
        if not isinstance(document, dict) or "paths" not in document:
            raise ContractError(str(path), "not an OpenAPI document (no 'paths')")
        _public_without_security(document)
        return cls(vendor, document, Path(path), raw)

    @classmethod
    def load_openapi(cls, path: Path, vendor: str | None = None) -> Contract:
        """A user's OpenAPI 3.0/3.1 document (JSON or YAML), read on a copy: normalised to 3.1
        (``openapi30``), its own contradictions repaired and recorded (``spec_defects``), and
        ``x-pagination`` inferred where it has none (``spec_pagination``), so the runner and the mock
        read the same repaired document."""
        from .openapi30 import load_document, vendor_name
        from .spec_defects import repair
        from .spec_pagination import annotate

        with _collector_paused():
            document, raw = load_document(Path(path))
            repair(document)
            annotate(document)
        return cls(vendor or vendor_name(document, Path(path)), document, Path(path), raw)

    @property
    def needs_credentials(self) -> bool:
        """Whether any operation asks for credentials (every one does unless ``security: []``)."""
        return any(op.spec.get("security") != [] for op in self._operations)

    @property
    def schemas(self) -> dict[str, Any]:
        return self.document.get("components", {}).get("schemas", {})

    @cached_property
    def _operations(self) -> list[Operation]:
        found: list[Operation] = []
        for path, item in self.document.get("paths", {}).items():
            shared = [self.resolve(p) for p in item.get("parameters", [])]
            for method in HTTP_METHODS:
                spec = item.get(method)
                if spec is None:
                    continue
                own = [self.resolve(p) for p in spec.get("parameters", [])]
                names = {(p.get("name"), p.get("in")) for p in own}
                merged = own + [p for p in shared if (p.get("name"), p.get("in")) not in names]
                found.append(Operation(self.vendor, method.upper(), path, spec, tuple(merged)))
        return found

    def operations(self) -> list[Operation]:
        return list(self._operations)

    def operation(self, method: str, path: str) -> Operation:
        for op in self._operations:
            if op.method == method.upper() and op.path == path:
                return op
        raise KeyError(f"{method.upper()} {path}")

    def __iter__(self) -> Iterator[Operation]:
        return iter(self._operations)

    def resolve(self, node: Any) -> Any:
        """Follow a local ``$ref`` chain (``#/components/...``) to the node it names."""
        seen = 0
        while isinstance(node, dict) and "$ref" in node and len(node) == 1:
            ref = node["$ref"]
            if not isinstance(ref, str) or not ref.startswith("#/"):
                raise ContractError(str(self.path), f"unsupported $ref {ref!r}")
            target: Any = self.document
            for part in ref[2:].split("/"):
                part = part.replace("~1", "/").replace("~0", "~")
                try:
                    target = target[part]
                except (KeyError, TypeError):
                    raise ContractError(str(self.path), f"unresolvable $ref {ref!r}") from None
            node = target
            seen += 1
            if seen > 64:
                raise ContractError(str(self.path), f"$ref cycle at {ref!r}")
        return node

    def response_schema(self, op: Operation, status: str, media_type: str = "application/json") -> Any:
        response = self.resolve(op.responses.get(status, {}))
        content = response.get("content", {}) if isinstance(response, dict) else {}
        entry = content.get(media_type)
        if entry is None:
            return None
        return entry.get("schema")

    def rooted(self, schema: dict[str, Any]) -> dict[str, Any]:
        """A copy of ``schema`` under which ``#/components/...`` references resolve.

        JSON Schema resolves a local ``$ref`` against the root of the schema being validated; giving
        that root a ``components`` member makes every contract reference resolve without a registry.
        Unknown keywords are ignored by 2020-12 validators, so the extra member changes nothing else.
        """
        rooted = dict(schema)
        rooted["components"] = self.document.get("components", {})
        return rooted


def load_contracts(vendors: list[str] | tuple[str, ...] = VENDORS) -> dict[str, Contract]:
    return {vendor: Contract.load(vendor) for vendor in vendors}


def load_user_contracts(specs: tuple[tuple[str | None, str], ...]) -> dict[str, Contract]:
    """``--contract [NAME=]FILE`` documents by vendor name (NAME, else derived from ``info.title``)."""
    from .errors import UsageError

    found: dict[str, Contract] = {}
    for name, path in specs:
        contract = Contract.load_openapi(Path(path), name)
        if contract.vendor in found:
            raise UsageError(
                f"--contract {path}: vendor name {contract.vendor!r} is already taken by "
                f"{found[contract.vendor].path}; name it with --contract NAME={path}"
            )
        found[contract.vendor] = contract
    return found
