"""One request and what came back, as plain data: what every check judges.

Checks see recorded exchanges, never a live HTTP client, so they stay pure functions that unit tests
can feed with hand-built responses. A transport failure (timeout, reset, refused) is recorded as
``error`` instead of a response, and the runner turns it into an ``error`` verdict.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson

_MISSING = object()


class BodyNotJSON(ValueError):
    """The response claims or is expected to hold JSON but does not parse (garbage, truncated)."""


@dataclass(slots=True)
class RecordedRequest:
    method: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)  # credentials already redacted
    body: bytes | None = None
    path_parameters: dict[str, Any] = field(default_factory=dict)
    query: dict[str, Any] = field(default_factory=dict)
    json_body: Any = None  # the structured body when it was JSON, for checks that compare fields


@dataclass(slots=True)
class RecordedResponse:
    status: int
    headers: dict[str, str] = field(default_factory=dict)  # keys lower-cased
    content: bytes = b""
    elapsed_s: float = 0.0
    _parsed: Any = field(default=_MISSING, repr=False)

    def __post_init__(self) -> None:
        self.headers = {k.lower(): v for k, v in self.headers.items()}

    @property
    def media_type(self) -> str | None:
        """The media type without parameters (``application/json``), or None when absent."""
        raw = self.headers.get("content-type")
        if not raw:
            return None
        return raw.split(";", 1)[0].strip().lower() or None

    @property
    def is_json(self) -> bool:
        media = self.media_type or ""
        return media == "application/json" or media.endswith("+json")

    def json(self) -> Any:
        """The body parsed as JSON, once; ``BodyNotJSON`` names what is wrong with it."""
        if self._parsed is _MISSING:
            if not self.content:
                raise BodyNotJSON("empty body where JSON was expected")
            try:
                self._parsed = orjson.loads(self.content)
            except orjson.JSONDecodeError as exc:
                excerpt = self.content[:60].decode("utf-8", "replace")
                raise BodyNotJSON(f"body is not valid JSON ({exc}); starts with {excerpt!r}") from None
        return self._parsed


@dataclass(slots=True)
class Exchange:
    """A request and its response, or the transport error that replaced the response.

    ``meta`` says how the request was made, for checks whose expectations depend on it:
    ``mode`` (positive, negative, mutation, no_token, wrong_token, example), ``fabricated`` (path
    parameters were invented, so 404 is the right answer), ``mutation`` (what was made invalid).
    """

    request: RecordedRequest
    response: RecordedResponse | None = None
    error: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def status(self) -> int | None:
        return self.response.status if self.response is not None else None
