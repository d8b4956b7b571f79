"""What the contract documents for a response: status codes (with ``4XX`` ranges and ``default``),
media types, body schemas and headers. Shared by every family that looks at a response."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..contract import Contract, Operation


def status_key(op: Operation, status: int) -> str | None:
    """The responses key documenting ``status``: exact code, then ``4XX``-style range, then ``default``."""
    responses = op.responses
    for key in (str(status), f"{str(status)[0]}XX", f"{str(status)[0]}xx", "default"):
        if key in responses:
            return key
    return None


def documented_codes(op: Operation) -> str:
    return ", ".join(sorted(op.responses)) or "none"


def is_json_media(media: str) -> bool:
    media = media.split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


def media_matches(received: str, documented: str) -> bool:
    """Whether a received media type is allowed by a documented one (``*/*`` and ``type/*`` wildcards)."""
    documented = documented.split(";", 1)[0].strip().lower()
    received = received.split(";", 1)[0].strip().lower()
    if documented in ("*/*", received):
        return True
    main, _, sub = documented.partition("/")
    r_main, _, r_sub = received.partition("/")
    if sub == "*" and main == r_main:
        return True
    # application/problem+json is JSON; application/json documented accepts a +json variant
    return documented == "application/json" and r_sub.endswith("+json") and r_main == "application"


@dataclass(frozen=True, slots=True)
class DocumentedResponse:
    """One documented response, resolved: its key, object, JSON schema (if any) and pointer."""

    key: str
    spec: dict[str, Any]
    pointer: str

    @property
    def content(self) -> dict[str, Any]:
        content = self.spec.get("content")
        return content if isinstance(content, dict) else {}

    @property
    def inferred(self) -> bool:
        return bool(self.spec.get("x-inferred"))

    def json_media(self, received: str | None = None) -> tuple[str, dict[str, Any]] | None:
        """The documented JSON media entry; a wildcard (``*/*``) one only when ``received`` is JSON."""
        for media, entry in self.content.items():
            if is_json_media(media) and isinstance(entry, dict):
                return media, entry
        if received and is_json_media(received):
            for media, entry in self.content.items():
                if media_matches(received, media) and isinstance(entry, dict):
                    return media, entry
        return None

    def json_schema(self, received: str | None = None) -> tuple[Any, str] | None:
        """The documented JSON body schema and its pointer, or None when no JSON body is documented
        (a binary or text body is documented by its media type alone)."""
        found = self.json_media(received)
        if found is None or "schema" not in found[1]:
            return None
        media, entry = found
        return entry["schema"], f"{self.pointer}/content/{_escape(media)}/schema"

    @property
    def headers(self) -> dict[str, Any]:
        headers = self.spec.get("headers")
        return headers if isinstance(headers, dict) else {}


def documented_response(
    contract: Contract, op: Operation, status: int, pointer: str
) -> DocumentedResponse | None:
    key = status_key(op, status)
    if key is None:
        return None
    spec = contract.resolve(op.responses[key])
    if not isinstance(spec, dict):
        spec = {}
    return DocumentedResponse(key, spec, f"{pointer}/responses/{_escape(key)}")


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")
