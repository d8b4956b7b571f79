"""Deterministic, schema-driven data: the same (seed, key) always yields the same valid value.

The generator honours what a contract can say about a value: types (also type arrays), ``enum`` and
``const``, ``format`` (date-time, date, time, uri, email, uuid, duration, ipv4/6, hostname, byte),
string lengths and ``pattern``, numeric bounds (inclusive and exclusive) and ``multipleOf``, array
sizes and ``uniqueItems``, required and optional properties, maps (``additionalProperties``),
``allOf`` (folded), ``anyOf``/``oneOf`` (a branch is tried until the whole schema accepts the value)
and nullability (null only when nothing else fits). Schemas that accept anything (``{}``,
``x-placeholder``) get a small object or string. Every top-level value is checked against its
schema; a schema no value can satisfy raises :class:`GenerationError` rather than serving garbage.

Each property and array item draws from its own random source keyed by its path under the value's
key, so two schemas that share a property definition give that property the same value: a resource
shows the same ``createdAt`` in its get, list and update answers. What a schema node says is read
once into a :class:`_Shape` and cached, so generating costs little more than the random draws.
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import hashlib
import string
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .patterns import PatternError, string_matching
from .rng import Rng, stable_int
from .schemas import SchemaTools

_EPOCH = dt.datetime(2021, 1, 1, tzinfo=dt.UTC)
_SPAN_SECONDS = 4 * 365 * 24 * 3600
_WORDS = (
    "alpha",
    "bravo",
    "cedar",
    "delta",
    "ember",
    "fjord",
    "gamma",
    "harbor",
    "iris",
    "juniper",
    "kilo",
    "lumen",
)
_MAX_DEPTH = 8
_OPTIONAL_DEPTH = 5
_ATTEMPTS = 12


class GenerationError(ValueError):
    """No value satisfying the schema could be produced (a contradictory or unsupported schema)."""


def object_id(*parts: object) -> str:
    """A 24-hex-digit identifier shaped like the Mongo ObjectIds both vendors use."""
    return hashlib.blake2b("\x1f".join(str(p) for p in parts).encode(), digest_size=12).hexdigest()


def _timestamp(rng: Rng) -> dt.datetime:
    return _EPOCH + dt.timedelta(seconds=rng.randrange(_SPAN_SECONDS))


_FORMATS: dict[str, Callable[[Rng], str]] = {
    "date-time": lambda r: _timestamp(r).strftime("%Y-%m-%dT%H:%M:%SZ"),
    "date": lambda r: _timestamp(r).strftime("%Y-%m-%d"),
    "time": lambda r: _timestamp(r).strftime("%H:%M:%SZ"),
    "uri": lambda r: f"https://example.com/{r.choice(_WORDS)}/{r.randrange(10**6)}",
    "url": lambda r: f"https://example.com/{r.choice(_WORDS)}/{r.randrange(10**6)}",
    "uri-reference": lambda r: f"/{r.choice(_WORDS)}/{r.randrange(10**6)}",
    "iri": lambda r: f"https://example.com/{r.choice(_WORDS)}",
    "email": lambda r: f"{r.choice(_WORDS)}.{r.randrange(1000)}@example.com",
    "idn-email": lambda r: f"{r.choice(_WORDS)}@example.com",
    "uuid": lambda r: str(uuid.UUID(int=r.getrandbits(128), version=4)),
    "duration": lambda r: f"P{r.randint(0, 30)}DT{r.randint(0, 23)}H{r.randint(0, 59)}M",
    "ipv4": lambda r: ".".join(str(r.randint(1, 254)) for _ in range(4)),
    "ipv6": lambda r: ":".join(f"{r.randrange(65536):x}" for _ in range(8)),
    "hostname": lambda r: f"{r.choice(_WORDS)}.example.com",
    "idn-hostname": lambda r: f"{r.choice(_WORDS)}.example.com",
    "byte": lambda r: base64.b64encode(r.randbytes(9)).decode(),
    "binary": lambda r: "".join(r.choice(string.ascii_letters) for _ in range(12)),
    "password": lambda r: "".join(r.choice(string.ascii_letters) for _ in range(12)),
    "json-pointer": lambda r: f"/{r.choice(_WORDS)}/{r.randrange(10)}",
    "regex": lambda r: "^[a-z]+$",
}
_INT_FORMATS = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


@dataclass(slots=True)
class _Shape:
    """What one schema node says, read once."""

    node: dict[str, Any]
    anything: bool = False
    placeholder: bool = False
    const: tuple[Any, ...] = ()
    enum: list[Any] | None = None
    combinator: str | None = None
    branches: list[Any] = field(default_factory=list)
    kind: str | None = None  # first non-null type
    nullable: bool = False
    properties: list[tuple[str, Any]] = field(default_factory=list)
    required: frozenset[str] = frozenset()
    additional: Any = None
    min_properties: int = 0
    max_properties: int | None = None
    items: Any = None
    min_items: int = 0
    max_items: int | None = None
    unique: bool = False
    min_length: int = 0
    max_length: int | None = None
    conditionals: list[tuple[Any, Any, Any]] = field(default_factory=list)


class Generator:
    """Values for the schemas of one contract, deterministic for ``seed``."""

    def __init__(self, tools: SchemaTools, seed: int) -> None:
        self.tools = tools
        self.seed = seed
        self._shapes: dict[int, _Shape] = {}
        self._combined: dict[tuple[str, int, int], dict[str, Any]] = {}
        self._keep: list[Any] = []  # schemas whose id() keys the cache stay alive

    def rng(self, key: str) -> Rng:
        return Rng(stable_int(self.seed, key))

    def value(self, schema: Any, key: str, hint: str = "", fixed: dict[str, Any] | None = None) -> Any:
        """A value valid against ``schema``, the same for the same ``key`` (and seed).

        ``fixed`` pins top-level properties of an object (what a client sent, an id): the rest is
        generated around them, so rules that tie properties together (``if``/``then``) still hold.
        """
        candidate: Any = None
        for attempt in range(_ATTEMPTS):
            path = key if attempt == 0 else f"{key}#{attempt}"
            candidate = self.draw(schema, self.rng(path), hint=hint, path=path, fixed=fixed)
            if self.tools.is_valid(schema, candidate):
                return candidate
        reason = self.tools.first_error(schema, candidate)
        raise GenerationError(f"no valid value for {hint or 'schema'} ({reason})")

    # -- shapes ------------------------------------------------------------------------------------

    def _shape(self, schema: Any) -> _Shape:
        found = self._shapes.get(id(schema))
        if found is None:
            found = self._shapes[id(schema)] = self._read(schema)
            self._keep.append(schema)
        return found

    def _read(self, schema: Any) -> _Shape:
        tools = self.tools
        node = tools.merged(schema)
        if schema is True or not isinstance(node, dict) or not node:
            return _Shape({}, anything=True)
        shape = _Shape(node, placeholder=bool(node.get("x-placeholder")), nullable=tools.nullable(node))
        if shape.placeholder:
            return shape
        if "const" in node:
            shape.const = (node["const"],)
        elif node.get("enum"):
            shape.enum = [v for v in node["enum"] if v is not None] or list(node["enum"])
        for combinator in ("oneOf", "anyOf"):
            if combinator in node:
                shape.combinator = combinator
                siblings = {k: v for k, v in node.items() if k in ("properties", "required", "type", "items")}
                branches = [{"allOf": [siblings, b]} if siblings else b for b in node[combinator]]
                # Non-null branches first: a nullable value shows its content, not null.
                shape.branches = sorted(branches, key=tools.nullable)
                self._keep.append(shape.branches)
                break
        concrete = [t for t in tools.types(node) if t != "null"]
        shape.kind = concrete[0] if concrete else None
        shape.properties = list(node.get("properties", {}).items())
        shape.required = frozenset(node.get("required", []))
        shape.additional = node.get("additionalProperties")
        shape.min_properties = int(node.get("minProperties", 0))
        shape.max_properties = node.get("maxProperties")
        shape.items = node.get("items", {})
        shape.min_items = int(node.get("minItems", 0))
        shape.max_items = node.get("maxItems")
        shape.unique = bool(node.get("uniqueItems"))
        shape.min_length = int(node.get("minLength", 0))
        shape.max_length = node.get("maxLength")
        shape.conditionals = tools.conditionals(schema)
        return shape

    # -- the recursive walk -----------------------------------------------------------------------

    def draw(
        self,
        schema: Any,
        rng: Rng,
        depth: int = 0,
        hint: str = "",
        path: str = "",
        fixed: dict[str, Any] | None = None,
    ) -> Any:
        """One candidate value; usually valid, always checked by :meth:`value`."""
        shape = self._shape(schema)
        if shape.anything:
            return self._word(rng, hint)
        if shape.placeholder:
            return {}
        if shape.const:
            return copy.deepcopy(shape.const[0])
        if shape.enum is not None:
            return copy.deepcopy(rng.choice(shape.enum))
        if shape.combinator is not None:
            return self._combinator(shape, rng, depth, hint, path, fixed)
        kind = shape.kind
        if kind is None:
            return None if shape.nullable or depth >= _MAX_DEPTH else self._word(rng, hint)
        if depth >= _MAX_DEPTH and shape.nullable:
            return None
        if kind == "object":
            value = self._object(shape, depth, hint, path, fixed or {})
            if shape.conditionals:
                self._settle(shape, value, depth, path, fixed or {})
            return value
        if kind == "array":
            return self._array(shape, depth, hint, path)
        if kind == "string":
            return self._string(shape, rng, hint)
        if kind == "integer":
            return self._integer(shape.node, rng)
        if kind == "number":
            return self._number(shape.node, rng)
        if kind == "boolean":
            return rng.random() < 0.5
        return None

    def _combinator(
        self, shape: _Shape, rng: Rng, depth: int, hint: str, path: str, fixed: dict[str, Any] | None
    ) -> Any:
        candidate: Any = None
        for branch in shape.branches:
            candidate = self.draw(branch, rng, depth + 1, hint, path, fixed)
            if self.tools.is_valid(shape.node, candidate):
                return candidate
        return candidate

    def _settle(
        self, shape: _Shape, value: dict[str, Any], depth: int, path: str, fixed: dict[str, Any]
    ) -> None:
        """Make ``value`` keep its schema's ``if``/``then``/``else`` rules, leaving ``fixed`` alone.

        For each rule whose branch applies, every property that branch constrains and the value
        breaks is drawn again from the property's schema combined with the branch's.
        """
        for _round in range(3):
            changed = False
            for condition, then, otherwise in shape.conditionals:
                branch = then if self.tools.is_valid(condition, value) else otherwise
                if not isinstance(branch, dict) or self.tools.is_valid(branch, value):
                    continue
                wanted = self.tools.properties(branch)
                own = dict(shape.properties)
                for name in set(wanted) | (set(self.tools.required(branch)) - set(value)):
                    if name in fixed:
                        continue
                    combined = self._both(own.get(name, {}), wanted.get(name, {}))
                    where = f"{path}/{name}"
                    value[name] = self.draw(combined, self.rng(where + "|rule"), depth + 1, name, where)
                    changed = True
            if not changed:
                return

    def _both(self, first: Any, second: Any) -> Any:
        key = ("both", id(first), id(second))
        found = self._combined.get(key)
        if found is None:
            found = self._combined[key] = {"allOf": [first, second]}
            self._keep.extend((first, second))
        return found

    def _object(
        self, shape: _Shape, depth: int, hint: str, path: str, fixed: dict[str, Any]
    ) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, sub in shape.properties:
            if name in fixed:
                out[name] = copy.deepcopy(fixed[name])
                continue
            if depth >= _OPTIONAL_DEPTH and name not in shape.required:
                continue
            where = f"{path}/{name}"
            out[name] = self.draw(sub, self.rng(where), depth + 1, name, where)
        for name in sorted(shape.required - set(out)):
            out[name] = self._word(self.rng(f"{path}/{name}"), name)
        additional = shape.additional
        minimum = shape.min_properties
        if isinstance(additional, dict) and (not shape.properties or len(out) < minimum):
            wanted = max(minimum - len(out), 0 if depth >= _OPTIONAL_DEPTH else 1)
            for index in range(wanted):
                entry = f"{hint or 'key'}{index + 1}"
                where = f"{path}/{entry}"
                out[entry] = self.draw(additional, self.rng(where), depth + 1, hint, where)
        elif len(out) < minimum and additional is not False:
            for index in range(minimum - len(out)):
                out[f"extra{index + 1}"] = self._word(self.rng(f"{path}/extra{index}"), "extra")
        maximum = shape.max_properties
        if maximum is not None and len(out) > maximum:
            optional = [name for name in out if name not in shape.required]
            for name in optional[: len(out) - maximum]:
                del out[name]
        return out

    def _array(self, shape: _Shape, depth: int, hint: str, path: str) -> list[Any]:
        preferred = 0 if depth >= _OPTIONAL_DEPTH else 1 + stable_int(path) % 2
        count = max(shape.min_items, preferred)
        if shape.max_items is not None:
            count = min(count, int(shape.max_items))
        singular = hint.removesuffix("s")
        out: list[Any] = []
        for index in range(count * 4 if shape.unique else count):
            if len(out) == count:
                break
            where = f"{path}/{index}"
            value = self.draw(shape.items, self.rng(where), depth + 1, singular, where)
            if shape.unique and value in out:
                continue
            out.append(value)
        return out

    def _string(self, shape: _Shape, rng: Rng, hint: str) -> str:
        node = shape.node
        fmt = node.get("format")
        text: str | None = None
        if "pattern" in node:
            text = self._from_examples(node) or self._from_pattern(node["pattern"], rng)
        elif fmt in _FORMATS:
            text = _FORMATS[fmt](rng)
        elif hint == "id" or hint.endswith(("Id", "_id")):
            text = f"{rng.getrandbits(96):024x}"
        if text is None:
            text = self._word(rng, hint)
        if len(text) < shape.min_length:
            text = text + "x" * (shape.min_length - len(text))
        if shape.max_length is not None and len(text) > int(shape.max_length):
            text = text[: int(shape.max_length)]
        return text

    def _from_examples(self, node: dict[str, Any]) -> str | None:
        candidates = list(node.get("examples", []) or [])
        if "example" in node:
            candidates.append(node["example"])
        for example in candidates:
            if isinstance(example, str) and self.tools.is_valid(node, example):
                return example
        return None

    @staticmethod
    def _from_pattern(pattern: str, rng: Rng) -> str | None:
        try:
            return string_matching(pattern, rng)
        except PatternError:
            return None

    @staticmethod
    def _word(rng: Rng, hint: str) -> str:
        stem = hint if hint and hint.isidentifier() else "value"
        return f"{stem}-{rng.choice(_WORDS)}-{rng.randrange(1000):03d}"

    @staticmethod
    def _bounds(node: dict[str, Any]) -> tuple[float | None, bool, float | None, bool]:
        low, high = node.get("minimum"), node.get("maximum")
        low_excl = high_excl = False
        ex_low, ex_high = node.get("exclusiveMinimum"), node.get("exclusiveMaximum")
        if isinstance(ex_low, bool):  # OpenAPI 3.0 style
            low_excl = ex_low
        elif ex_low is not None and (low is None or ex_low >= low):
            low, low_excl = ex_low, True
        if isinstance(ex_high, bool):
            high_excl = ex_high
        elif ex_high is not None and (high is None or ex_high <= high):
            high, high_excl = ex_high, True
        return low, low_excl, high, high_excl

    def _integer(self, node: dict[str, Any], rng: Rng) -> int:
        low, low_excl, high, high_excl = self._bounds(node)
        lo = (_floor(low) + 1 if low_excl else _ceil(low)) if low is not None else None
        hi = (_ceil(high) - 1 if high_excl else _floor(high)) if high is not None else None
        if lo is None and hi is None:
            lo, hi = 0, 100
        elif lo is None:
            lo = hi - 100  # type: ignore[operator]
        elif hi is None:
            hi = lo + 100
        fmt_low, fmt_high = _INT_FORMATS.get(node.get("format", ""), (None, None))
        if fmt_low is not None:
            lo, hi = max(lo, fmt_low), min(hi, fmt_high)  # type: ignore[arg-type,type-var]
        step = node.get("multipleOf")
        if isinstance(step, int) and step > 0:
            first = -(-lo // step) * step
            last = (hi // step) * step  # type: ignore[operator]
            if first <= last:
                return first + step * rng.randint(0, min((last - first) // step, 100))
        return rng.randint(lo, max(lo, min(hi, lo + 10_000)))  # type: ignore[arg-type,type-var]

    def _number(self, node: dict[str, Any], rng: Rng) -> float | int:
        low, low_excl, high, high_excl = self._bounds(node)
        lo = float(low) if low is not None else None
        hi = float(high) if high is not None else None
        if lo is None and hi is None:
            lo, hi = 0.0, 100.0
        elif lo is None:
            lo = hi - 100.0  # type: ignore[operator]
        elif hi is None:
            hi = lo + 100.0
        step = node.get("multipleOf")
        if isinstance(step, (int, float)) and step > 0:
            first = -(-lo // step) * step  # type: ignore[operator]
            count = int((hi - first) // step)  # type: ignore[operator]
            value = first + step * rng.randint(0, max(0, min(count, 100)))
            if (low_excl and value <= lo) or (high_excl and value >= hi):  # type: ignore[operator]
                value += step
            return value
        value = round(lo + (hi - lo) * rng.random(), 4)  # type: ignore[operator]
        if (low_excl and value <= lo) or (high_excl and value >= hi) or not (lo <= value <= hi):  # type: ignore[operator]
            value = (lo + hi) / 2  # type: ignore[operator]
        return value


def _ceil(value: float) -> int:
    return int(-(-value // 1))


def _floor(value: float) -> int:
    return int(value // 1)
