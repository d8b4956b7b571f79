"""Judging a JSON value against a contract schema, honouring what the docs lost or only implied.

The contract marks three kinds of uncertainty (DESIGN.md): ``x-placeholder`` (the schema was cut off:
accept anything), ``x-doc-loss`` (these keywords were lost in the scrape: do not assert them) and
``x-inferred`` (the rule was guessed, not read: a break is a ``warn``). A documented enum is a closed
claim (DESIGN.md, "Checks and verdicts"): a value outside it is ``fail``. But the docs' silence is
not a rule: a field they do not mention is ``drift``, never ``fail``.

So one value is validated twice: against a *lenient* copy where inferred nodes accept anything (an
error there is a documented rule broken: ``fail``) and, only if that passes, against a *strict* copy
that keeps the inferred rules (an error there is ``warn``). Undocumented fields are found by a walk
of their own, because they are ``drift``. ``oneOf`` is
validated as ``anyOf``: the lossy pages cannot tell the two apart, and exclusivity is rarely what a
reader of the docs relies on.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import jsonschema
from jsonschema.exceptions import ValidationError

from ..contract import doc_loss, is_open_object
from ..errors import ContractError
from ..formats import is_absolute_uri
from ._core import DRIFT, FAIL, WARN

if TYPE_CHECKING:
    from ..contract import Contract

_MAP_KEYS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_ONE_KEYS = (
    "items",
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedProperties",
    "unevaluatedItems",
    "additionalItems",
)
_LIST_KEYS = ("allOf", "anyOf", "oneOf", "prefixItems")

FORMAT_CHECKER = jsonschema.FormatChecker(
    [f for f in jsonschema.Draft202012Validator.FORMAT_CHECKER.checkers if f not in ("regex",)]
)


FORMAT_CHECKER.checks("uri", raises=ValueError)(is_absolute_uri)


@dataclass(frozen=True, slots=True)
class Finding:
    """One broken rule in a value: its verdict, a one-line message and where in the contract."""

    verdict: str
    message: str
    instance_path: str
    schema_path: str
    source: dict[str, Any] | None = None
    keyword: str | None = None


lost_keywords = doc_loss


def _prepare(node: Any, *, assertive: bool, drop_inferred: bool) -> Any:
    """A copy of ``node`` (a schema) with lost keywords removed and placeholders opened up.

    ``assertive`` copies are for validation: ``oneOf`` becomes ``anyOf``. ``drop_inferred`` opens up every ``x-inferred`` node.
    """
    if not isinstance(node, dict):
        return node
    if node.get("x-placeholder") or (drop_inferred and node.get("x-inferred")):
        return {}
    lost = lost_keywords(node)
    if lost is True:
        return {}
    out: dict[str, Any] = {}
    combined: list[list[Any]] = []
    for key, value in node.items():
        if key in lost:
            continue
        if key in _MAP_KEYS and isinstance(value, dict):
            out[key] = {
                k: _prepare(v, assertive=assertive, drop_inferred=drop_inferred) for k, v in value.items()
            }
        elif key in _ONE_KEYS:
            out[key] = _prepare(value, assertive=assertive, drop_inferred=drop_inferred)
        elif key in _LIST_KEYS and isinstance(value, list):
            items = [_prepare(v, assertive=assertive, drop_inferred=drop_inferred) for v in value]
            if assertive and key == "oneOf":
                combined.append(items)
            else:
                out[key] = items
        else:
            out[key] = value
    for branches in combined:
        if "anyOf" in out:
            out.setdefault("allOf", []).append({"anyOf": branches})
        else:
            out["anyOf"] = branches
    if drop_inferred and isinstance(out.get("required"), list) and isinstance(node.get("properties"), dict):
        # The docs' own words make these conditional: required, but "Only available for time
        # series projects". Missing is then a ``warn`` (the strict copy keeps them), not a ``fail``.
        out["required"] = [r for r in out["required"] if not conditionally_present(node["properties"].get(r))]
    return out


_CONDITIONAL_PRESENCE = re.compile(
    r"^\W*only (available|present|returned|included|provided|exists?|set)\b"
    r"|\b(present|returned|included|provided|available) only (for|if|when|in)\b",
    re.IGNORECASE,
)


def conditionally_present(prop: Any) -> bool:
    """Whether a property's description says it is there only in some cases."""
    return isinstance(prop, dict) and bool(_CONDITIONAL_PRESENCE.search(str(prop.get("description") or "")))


def _prepare_components(components: dict[str, Any], **how: bool) -> dict[str, Any]:
    schemas = components.get("schemas", {})
    return {"schemas": {name: _prepare(s, **how) for name, s in schemas.items()}}


class SchemaJudge:
    """A contract's schemas prepared for judging values; build once per contract (``judge_for``)."""

    def __init__(self, contract: Contract) -> None:
        self.contract = contract
        components = contract.document.get("components", {})
        self._base = _prepare_components(components, assertive=False, drop_inferred=False)
        self._strict = _prepare_components(components, assertive=True, drop_inferred=False)
        self._lenient = _prepare_components(components, assertive=True, drop_inferred=True)
        self._validators: dict[tuple[int, str], jsonschema.Draft202012Validator] = {}
        self._based: dict[int, Any] = {}
        self._keep: list[Any] = []  # keeps cached schemas alive so their ids stay unique

    # ---- validation -------------------------------------------------------------------------
    def _validator(self, schema: Any, variant: str) -> jsonschema.Draft202012Validator:
        key = (id(schema), variant)
        validator = self._validators.get(key)
        if validator is None:
            components = {"strict": self._strict, "lenient": self._lenient}[variant]
            prepared = _prepare(schema, assertive=True, drop_inferred=variant == "lenient")
            root = dict(prepared) if isinstance(prepared, dict) else {"allOf": [prepared]}
            root["components"] = components
            validator = jsonschema.Draft202012Validator(root, format_checker=FORMAT_CHECKER)
            self._validators[key] = validator
            self._keep.append(schema)
        return validator

    def is_valid(self, schema: Any, instance: Any) -> bool:
        return self._validator(schema, "strict").is_valid(instance)

    def findings(
        self,
        schema: Any,
        instance: Any,
        *,
        pointer: str,
        inferred: bool = False,
        limit: int = 10,
        exhaustive: bool = False,
    ) -> list[Finding]:
        """Every broken rule in ``instance``: ``fail``/``warn`` from validation, ``drift`` from the walk.

        ``pointer`` is where ``schema`` sits in the contract; ``inferred`` says the whole schema was
        inferred (an ``x-inferred`` response), which turns every validation failure into ``warn``.
        The drift walk runs only on values that validate, unless ``exhaustive`` (examples, where
        every contradiction is worth listing).
        """
        found: list[Finding] = []
        lenient_errors = list(_first(self._validator(schema, "lenient").iter_errors(instance), limit))
        if lenient_errors:
            verdict = WARN if inferred else FAIL
            found += [self._finding(verdict, e, schema, pointer) for e in lenient_errors]
        else:
            strict_errors = list(_first(self._validator(schema, "strict").iter_errors(instance), limit))
            found += [self._finding(WARN, e, schema, pointer) for e in strict_errors]
        if exhaustive or not found:
            found += list(_first(self._walk(instance, self._base_of(schema), "$", pointer, None), limit))
        return found

    def _base_of(self, schema: Any) -> Any:
        """The walkable copy of a (possibly inline) schema, prepared once per schema object."""
        based = self._based.get(id(schema))
        if based is None:
            based = self._based[id(schema)] = _prepare(schema, assertive=False, drop_inferred=False)
            self._keep.append(schema)
        return based

    def _finding(self, verdict: str, error: ValidationError, schema: Any, pointer: str) -> Finding:
        schema_pointer, source = self._locate(schema, pointer, list(error.absolute_schema_path))
        return Finding(
            verdict, _describe(error), error.json_path, schema_pointer, source, str(error.validator)
        )

    def _locate(self, schema: Any, pointer: str, parts: list[Any]) -> tuple[str, dict[str, Any] | None]:
        """Follow a validator's schema path through the *original* schema, across ``$ref`` hops."""
        node, where, source = schema, pointer, None
        for part in parts[:-1] if parts else []:
            node, where, source = self._deref(node, where, source)
            key = str(part)
            if key == "anyOf" and isinstance(node, dict) and "anyOf" not in node and "oneOf" in node:
                key = "oneOf"
            try:
                node = node[part] if isinstance(node, list) else node[key]
            except (KeyError, IndexError, TypeError):
                break
            where = f"{where}/{_escape(key)}"
        node, where, source = self._deref(node, where, source)
        return where, source

    def _deref(self, node: Any, where: str, source: dict[str, Any] | None) -> tuple[Any, str, Any]:
        for _ in range(32):
            if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
                break
            ref = node["$ref"]
            try:
                node = self.contract.resolve({"$ref": ref})
            except ContractError:
                break
            where = ref
            if isinstance(node, dict) and node.get("x-source"):
                source = node["x-source"]
        return node, where, source

    # ---- drift walk ---------------------------------------------------------------------------
    def _resolve_base(self, node: Any) -> Any:
        for _ in range(32):
            if (
                isinstance(node, dict)
                and isinstance(node.get("$ref"), str)
                and node["$ref"].startswith("#/components/schemas/")
            ):
                name = node["$ref"].rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
                siblings = {k: v for k, v in node.items() if k != "$ref"}
                target = self._base["schemas"].get(name, {})
                if siblings:
                    return {"allOf": [target, _prepare(siblings, assertive=False, drop_inferred=False)]}
                node = target
            else:
                return node
        return node

    def _closure(self, instance: Any, node: Any) -> Iterator[dict[str, Any]]:
        """The schema nodes that apply to ``instance`` here: the node, its allOf, matching any/oneOf."""
        node = self._resolve_base(node)
        if not isinstance(node, dict):
            return
        yield node
        for branch in node.get("allOf", []):
            yield from self._closure(instance, branch)
        for key in ("anyOf", "oneOf"):
            for branch in node.get(key, []):
                if self._validator(branch, "strict").is_valid(instance):
                    yield from self._closure(instance, branch)

    def _walk(self, instance: Any, schema: Any, path: str, pointer: str, source: Any) -> Iterator[Finding]:
        nodes = list(self._closure(instance, schema))
        for node in nodes:
            if node.get("x-source"):
                source = node["x-source"]
        if isinstance(instance, dict):
            documented: dict[str, list[Any]] = {}
            open_ended = is_open_object(nodes)
            for node in nodes:
                for name, sub in (node.get("properties") or {}).items():
                    documented.setdefault(name, []).append(sub)
            for key, value in instance.items():
                if key in documented:
                    for sub in documented[key]:
                        yield from self._walk(
                            value, sub, _child(path, key), f"{pointer}/properties/{_escape(key)}", source
                        )
                elif not open_ended:
                    yield Finding(
                        DRIFT,
                        f"{path}: undocumented field {key!r}",
                        _child(path, key),
                        pointer,
                        source,
                        "properties",
                    )
        elif isinstance(instance, list):
            for node in nodes:
                items = node.get("items")
                if isinstance(items, dict):
                    for index, value in enumerate(instance):
                        yield from self._walk(value, items, f"{path}[{index}]", f"{pointer}/items", source)


@functools.lru_cache(maxsize=8)
def judge_for(contract: Contract) -> SchemaJudge:
    """The prepared judge of a contract (contracts are loaded once per run, so this is a small cache)."""
    return SchemaJudge(contract)


def _first(errors: Any, limit: int) -> Iterator[Any]:
    for index, error in enumerate(errors):
        if index >= limit:
            return
        yield error


def _escape(part: str) -> str:
    return str(part).replace("~", "~0").replace("/", "~1")


def _child(path: str, key: str) -> str:
    return f"{path}.{key}" if key.isidentifier() else f"{path}[{key!r}]"


def _short(value: Any, width: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= width else text[: width - 3] + "..."


def _describe(error: ValidationError) -> str:
    """A one-line message in the ``Received / Documented`` style for the common keywords."""
    where = error.json_path
    keyword, expected = error.validator, error.validator_value
    received = _short(error.instance)
    if keyword == "required":
        return f"{where}: missing required field ({error.message.split(' is a required')[0]})"
    if keyword == "type":
        return (
            f"{where}: Received: {received} ({type(error.instance).__name__}) / Documented: type {expected}"
        )
    if keyword in ("enum", "const"):
        values = expected if keyword == "enum" else [expected]
        shown = ", ".join(_short(v) for v in values[:12]) + (", ..." if len(values) > 12 else "")
        return f"{where}: Received: {received} / Documented: one of {shown}"
    if keyword == "format":
        return f"{where}: Received: {received} / Documented: format {expected}"
    if keyword in ("anyOf", "oneOf"):
        return f"{where}: Received: {received} / Documented: none of the {len(expected)} alternatives match"
    if keyword in (
        "maxLength",
        "minLength",
        "maximum",
        "minimum",
        "exclusiveMaximum",
        "exclusiveMinimum",
        "maxItems",
        "minItems",
        "pattern",
        "multipleOf",
        "uniqueItems",
    ):
        return f"{where}: Received: {received} / Documented: {keyword} {expected}"
    message = error.message if len(error.message) <= 160 else error.message[:157] + "..."
    return f"{where}: {message}"
