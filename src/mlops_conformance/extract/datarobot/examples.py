"""Example values: JSON as printed (A), rebuilt from indentation (B) or from the schema (C), or YAML.

The lossy scrapes deleted every one-token line, which removes all braces and brackets and the
one-token items of arrays (VENDOR-DOCS §2.1). What is left still determines the value:

* B keeps the 2-space indentation, so nesting follows from it (§4): a key at indent i ending in
  ``{`` opens an object at i+2; one ending in ``[`` opens an array of objects if the next line is at
  i+4 and an array of scalars if it is at i+2; otherwise its items were all lost.
* C has no indentation at all, so nesting is rebuilt from the schema: every object's keys appear in
  table order, so a key belongs to the innermost open object that can still take it. Where the
  schema is unknown (a truncated page), keys are ASCII-sorted within an object; a key that both the
  open object and an enclosing one could take is ambiguous, and the example is left unparsed rather
  than guessed.

Arrays whose items were all lost are rebuilt empty and reported, so the caller can mark the loss.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..model import JsonSchema

_KEY_LINE = re.compile(r'^"((?:[^"\\]|\\.)*)":(?: (.*))?$')


class Unparsable(ValueError):
    """The example text cannot be turned into a value without guessing."""


@dataclass(slots=True)
class RawExample:
    """Example text as it stands on the page, kept until the schemas needed to read it are known."""

    lines: list[str]
    line: int
    yaml: bool = False

    def stripped(self) -> list[str]:
        """The lines without indentation: comparable across renderings and nesting levels."""
        return [line.strip() for line in self.lines if line.strip()]


@dataclass(slots=True)
class Rebuilt:
    value: Any
    #: Paths (tuples of keys) of arrays whose one-token items were deleted by the scrape.
    lost: list[tuple[str, ...]] = field(default_factory=list)


def parse_json(lines: Sequence[str]) -> Rebuilt:
    """Layout A: the example is printed whole."""
    try:
        return Rebuilt(json.loads("\n".join(lines)))
    except ValueError as exc:
        raise Unparsable(f"invalid JSON: {exc}") from None


def parse_yaml(lines: Sequence[str]) -> Rebuilt:
    """Multipart bodies are shown as YAML (``isMajorUpdate: "false"``, nested ``gitModelVersion:``)."""
    try:
        value = yaml.safe_load("\n".join(lines))
    except yaml.YAMLError as exc:
        raise Unparsable(f"invalid YAML: {' '.join(str(exc).split())}") from None
    if not isinstance(value, dict):
        raise Unparsable("a YAML body example must be a mapping")
    return Rebuilt(value)


def _scalar(text: str) -> Any:
    text = text.strip()
    text = text.removesuffix(",")
    if text in ("{}", "[]"):
        return {} if text == "{}" else []
    try:
        return json.loads(text)
    except ValueError:
        raise Unparsable(f"not a JSON value: {text[:40]!r}") from None


# ----------------------------------------------------------------------------------------------
# Layout B: indentation


def rebuild_indented(lines: Sequence[str]) -> Rebuilt:
    """Rebuild a B example from its surviving, indented lines."""
    items = [(len(line) - len(line.lstrip(" ")), line.strip()) for line in lines if line.strip()]
    if not items:
        raise Unparsable("no example lines")
    state = _Indented(items)
    indent, text = items[0]
    if _KEY_LINE.match(text):
        if indent == 2:
            value: Any = state.object(0, 2, ())
        elif indent == 4:
            value = state.objects(0, 4, ())
        else:
            raise Unparsable(f"unexpected root indentation {indent}")
    elif indent == 2:
        value = state.scalars(0, 2)
    else:
        raise Unparsable(f"unexpected root indentation {indent}")
    if state.pos != len(items):
        raise Unparsable(f"line {state.pos + 1} of the example does not fit its indentation")
    return Rebuilt(value, state.lost)


class _Indented:
    def __init__(self, items: list[tuple[int, str]]) -> None:
        self.items = items
        self.pos = 0
        self.lost: list[tuple[str, ...]] = []

    def object(self, pos: int, indent: int, path: tuple[str, ...]) -> dict[str, Any]:
        self.pos = pos
        obj: dict[str, Any] = {}
        items = self.items
        while self.pos < len(items) and items[self.pos][0] == indent:
            match = _KEY_LINE.match(items[self.pos][1])
            if not match or match[1] in obj:
                break
            key, rest = match[1], (match[2] or "").strip()
            here = (*path, key)
            nxt = items[self.pos + 1] if self.pos + 1 < len(items) else (-1, "")
            if rest == "{":
                if nxt[0] == indent + 2:
                    obj[key] = self.object(self.pos + 1, indent + 2, here)
                else:
                    obj[key] = {}
                    self.pos += 1
            elif rest == "[":
                if nxt[0] == indent + 4 and _KEY_LINE.match(nxt[1]):
                    obj[key] = self.objects(self.pos + 1, indent + 4, here)
                elif nxt[0] == indent + 4:
                    self.pos += 1
                    obj[key] = [self.scalars(self.pos, indent + 4)]
                elif nxt[0] == indent + 2:
                    obj[key] = self.scalars(self.pos + 1, indent + 2)
                else:
                    self.lost.append(here)
                    obj[key] = []
                    self.pos += 1
            else:
                obj[key] = _scalar(rest)
                self.pos += 1
        return obj

    def objects(self, pos: int, indent: int, path: tuple[str, ...]) -> list[dict[str, Any]]:
        """Objects of an array; their braces are gone, so a repeated key starts the next item."""
        out: list[dict[str, Any]] = []
        self.pos = pos
        while self.pos < len(self.items) and self.items[self.pos][0] == indent:
            if not _KEY_LINE.match(self.items[self.pos][1]):
                break
            start = self.pos
            out.append(self.object(self.pos, indent, path))
            if self.pos == start:
                break
        return out

    def scalars(self, pos: int, indent: int) -> list[Any]:
        self.pos = pos
        out: list[Any] = []
        while self.pos < len(self.items) and self.items[self.pos][0] == indent:
            text = self.items[self.pos][1]
            if _KEY_LINE.match(text):
                break
            out.append(_scalar(text))
            self.pos += 1
        return out


# ----------------------------------------------------------------------------------------------
# Layout C: no indentation, nesting from the schema

#: Ordered property names of a schema; [] for a scalar or array schema (it takes no key); None when
#: the schema does not say (a placeholder, ``any``, a bare ``object``).
Keys = Callable[[JsonSchema | None], "list[str] | None"]
#: The schema of one property (``key``) or of the items (``None``) of a schema, through references.
Child = Callable[[JsonSchema | None, str | None], "JsonSchema | None"]

_YES, _MAYBE, _NO = "yes", "maybe", "no"


def rebuild_guided(lines: Sequence[str], schema: JsonSchema | None, keys: Keys, child: Child) -> Rebuilt:
    """Rebuild a C example with the schemas' key order deciding where each key belongs.

    The generator prints every property of an object, in table order (checked on every example of
    the A and B pages), so a known object expects exactly one key next and cannot close early. An
    object whose schema is unknown takes keys in ASCII order; when it and an enclosing unknown
    object could both take a key, the example is ambiguous and stays unparsed.
    """
    texts = [line.strip() for line in lines if line.strip()]
    if not texts:
        raise Unparsable("no example lines")
    state = _Guided(texts, keys, child)
    root = _Context([], None)
    items = child(schema, None)
    if items is not None:
        value: Any = state.array(items, (), root)
    elif _KEY_LINE.match(texts[0]):
        value = state.object(schema, (), root)
    else:
        value = state.scalars()
    if state.pos != len(texts):
        raise Unparsable(f"example line {state.pos + 1} ({texts[state.pos][:40]!r}) fits nowhere")
    return Rebuilt(value, state.lost)


class _Context:
    """An open object: which keys it has taken and which it still expects (if its schema is known)."""

    __slots__ = ("keys", "parent", "seen")

    def __init__(self, keys: list[str] | None, parent: _Context | None) -> None:
        self.keys = keys
        self.parent = parent
        self.seen: list[str] = []

    def claim(self, key: str) -> str:
        if self.keys is not None:
            index = len(self.seen)
            return _YES if index < len(self.keys) and self.keys[index] == key else _NO
        if key in self.seen or (self.seen and key <= self.seen[-1]):
            return _NO
        return _MAYBE

    def closable(self) -> bool:
        return self.keys is None or len(self.seen) >= len(self.keys)

    def outer(self, key: str) -> str:
        """The strongest claim on ``key`` by an enclosing object reachable by closing open ones."""
        context = self.parent
        while context is not None:
            claim = context.claim(key)
            if claim != _NO:
                return claim
            if not context.closable():
                return _NO
            context = context.parent
        return _NO

    def chain(self, key: str) -> str:
        """Like :meth:`outer`, starting with this object itself."""
        claim = self.claim(key)
        if claim != _NO or not self.closable():
            return claim
        return self.outer(key)


class _Guided:
    def __init__(self, texts: list[str], keys: Keys, child: Child) -> None:
        self.texts = texts
        self.keys = keys
        self.child = child
        self.pos = 0
        self.lost: list[tuple[str, ...]] = []

    def _key(self) -> str | None:
        if self.pos >= len(self.texts):
            return None
        match = _KEY_LINE.match(self.texts[self.pos])
        return match[1] if match else None

    def object(self, schema: JsonSchema | None, path: tuple[str, ...], parent: _Context) -> dict[str, Any]:
        context = _Context(self.keys(schema), parent)
        obj: dict[str, Any] = {}
        while (key := self._key()) is not None:
            claim = context.claim(key)
            if claim == _NO:
                if not context.closable():
                    raise Unparsable(f"key {key!r} does not follow the table's key order")
                break
            if claim == _MAYBE:
                outer = context.outer(key)
                if outer == _YES:
                    break
                if outer == _MAYBE:
                    raise Unparsable(f"key {key!r} could belong to more than one object")
            context.seen.append(key)
            rest = (_KEY_LINE.match(self.texts[self.pos])[2] or "").strip()  # type: ignore[index]
            self.pos += 1
            here = (*path, key)
            sub = self.child(schema, key)
            if rest == "{":
                obj[key] = self.object(sub, here, context)
            elif rest == "[":
                obj[key] = self.array(self.child(sub, None), here, context)
            else:
                obj[key] = _scalar(rest)
        if not context.closable():
            assert context.keys is not None
            raise Unparsable(f"example ends before property {context.keys[len(context.seen)]!r}")
        return obj

    def array(self, items: JsonSchema | None, path: tuple[str, ...], holder: _Context) -> list[Any]:
        """An array opened in ``holder``; its items are objects, scalars, or were all deleted."""
        if self.pos < len(self.texts) and self._key() is None:
            return self.scalars()
        key = self._key()
        item_keys = self.keys(items)
        if key is None or (item_keys is not None and (not item_keys or key != item_keys[0])):
            # Object items cannot vanish (every key line has two tokens): these were scalars.
            self.lost.append(path)
            return []
        if item_keys is None:
            claim = holder.chain(key)
            if claim == _YES:
                self.lost.append(path)
                return []
            if claim == _MAYBE:
                raise Unparsable(f"key {key!r} could open an array item or continue the enclosing object")
        out: list[Any] = []
        while True:
            start = self.pos
            out.append(self.object(items, path, holder))
            if self.pos == start:
                raise Unparsable(f"key {key!r} fits neither an array item nor the enclosing object")
            following = self._key()
            if following != key:
                break
            if holder.chain(following) != _NO:
                raise Unparsable(f"key {key!r} could start another item or continue the enclosing object")
        return out

    def scalars(self) -> list[Any]:
        out: list[Any] = []
        while self.pos < len(self.texts) and not _KEY_LINE.match(self.texts[self.pos]):
            out.append(_scalar(self.texts[self.pos]))
            self.pos += 1
        return out
