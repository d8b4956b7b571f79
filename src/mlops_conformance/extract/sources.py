"""The vendored documents: which files exist, what page each is, and reading them safely.

Reading is where bad input first shows up (missing, empty, binary or non-UTF-8 files), so every
failure here becomes an ``ExtractionError`` naming the file and, where it can, the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import ExtractionError


@dataclass(frozen=True, slots=True)
class SourcePage:
    path: str  # relative to contracts/sources/
    vendor: str
    title: str  # the operations' tag
    #: The scrape is known to stop early (VENDOR-DOCS.md §5): schemas it references but cut off
    #: become placeholders. Anywhere else a missing block means the file itself was truncated.
    truncated: bool = False


#: The vendored pages, in parse order: full-layout pages first, so lossy pages can borrow their names
#: for cross-file schema-name recovery (VENDOR-DOCS.md §8.2 step 6).
PAGES: tuple[SourcePage, ...] = (
    SourcePage("datarobot/custom-models.txt", "datarobot", "Custom Models"),
    SourcePage("datarobot/model-management.txt", "datarobot", "Model Management"),
    SourcePage("datarobot/models.txt", "datarobot", "Models", truncated=True),
    SourcePage("datarobot/use-cases.txt", "datarobot", "Use Cases"),
    SourcePage("domino/rest-api.txt", "domino", "REST API reference"),
)

#: Vendors read from a serialised protobuf ``FileDescriptorSet`` instead of pages (path relative to
#: ``contracts/sources/``); ``scripts/vendor_<vendor>.py`` writes it from the pinned package.
DESCRIPTOR_SETS: dict[str, str] = {"mlflow": "mlflow/descriptors.pb"}
#: Vendors whose errata overlay may be absent (applied when present): their sources are the server's
#: own definitions, and no erratum has been needed yet.
OVERLAY_OPTIONAL = frozenset({"mlflow"})

_LAYOUT_RULES = (
    ("C", re.compile(r"^Name \| In \| Type", re.MULTILINE)),
    (
        "D",
        re.compile(
            r"^(NameDescriptionRequiredTypeInExample|Field NameRequiredTypeDescriptionExample)$", re.MULTILINE
        ),
    ),
    ("A", re.compile(r"^(Schemas|Properties)$", re.MULTILINE)),
)
_DR_OPERATION = re.compile(r"^(GET|POST|PUT|PATCH|DELETE) /api/v2/\S+", re.MULTILINE)


def read_source(path: Path, display: str) -> bytes:
    """A vendored source's bytes; a missing, unreadable or empty one is refused naming the file."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ExtractionError(display, None, "file not found") from None
    except OSError as exc:
        raise ExtractionError(display, None, f"cannot read: {exc.strerror or exc}") from None
    if not raw.strip():
        raise ExtractionError(display, None, "file is empty")
    return raw


def read_text(path: Path, display: str) -> str:
    """Decode a vendored page strictly: a scrape with broken bytes must not be half-read."""
    raw = read_source(path, display)
    if b"\x00" in raw:
        line = raw.count(b"\n", 0, raw.index(b"\x00")) + 1
        raise ExtractionError(display, line, "binary data (NUL byte); expected a UTF-8 text page")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ExtractionError(
            display, line, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
        ) from None


def detect_layout(text: str, display: str) -> str:
    """Tell the four renderings apart (VENDOR-DOCS.md §11.1); refuse anything that is none of them."""
    for layout, pattern in _LAYOUT_RULES:
        if pattern.search(text):
            return layout
    if _DR_OPERATION.search(text):
        return "B"
    raise ExtractionError(
        display,
        1,
        "unknown layout: no DataRobot operation line ('GET /api/v2/...') and no Domino table header",
    )
