"""The DataRobot documentation parser: layouts A, B and C (VENDOR-DOCS §3-5) to the neutral model.

Stages, each in its own module: ``lines`` (normalise), ``tables`` (row grammars), ``types`` (type
grammar to JSON Schema), ``operations`` (one operation region), ``blocks`` and ``nodes`` (the
Schemas section), ``names`` (recovering lost schema names, §8), ``examples`` (reading examples),
and ``assemble`` (putting the Document together). Only :func:`parse_datarobot` and :func:`detect`
are public.
"""

from __future__ import annotations

import re

from .assemble import parse_datarobot

_C = re.compile(r"^Name \| In \| Type", re.MULTILINE)
_A = re.compile(r"^(?:Schemas|Properties)\s*$", re.MULTILINE)


def detect(text: str) -> str:
    """The layout of a DataRobot page: C (pipes), A (full, with headings) or B (lossy)."""
    if _C.search(text):
        return "C"
    if _A.search(text):
        return "A"
    return "B"


__all__ = ["detect", "parse_datarobot"]
