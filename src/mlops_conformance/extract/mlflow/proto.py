"""Descriptor facts that differ across protobuf releases, in one place."""

from __future__ import annotations

from typing import Any

_REPEATED = 3


def is_repeated(field: Any) -> bool:
    """``is_repeated`` (protobuf >= 5.29; ``label`` is gone in 7) or, before it, ``label``."""
    flag = getattr(field, "is_repeated", None)
    return bool(flag) if flag is not None else field.label == _REPEATED
