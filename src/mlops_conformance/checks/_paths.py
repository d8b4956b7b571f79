"""The shape of a documented path: its segments, templates, and a version-insensitive form.

Version segments (``v1``, ``beta``) compare as wildcards, because Domino documents one resource
under ``/api/environments/beta/environments`` and ``/api/environments/v1/environments/{id}``.
"""

from __future__ import annotations

import re

TEMPLATE = re.compile(r"\{([^{}/]+)\}")
_VERSION = re.compile(r"^(v\d+(\.\d+)*|beta|alpha|preview)$")


def segments(path: str) -> list[str]:
    return [s for s in path.split("/") if s]


def template_names(path: str) -> list[str]:
    return TEMPLATE.findall(path)


def is_template(segment: str) -> bool:
    return TEMPLATE.fullmatch(segment) is not None


def shape(path: str) -> tuple[str, ...]:
    """A comparable form of a path: templates as ``{}``, version segments as ``*``."""
    return tuple("{}" if is_template(s) else ("*" if _VERSION.match(s) else s) for s in segments(path))
