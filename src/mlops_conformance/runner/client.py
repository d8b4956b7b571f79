"""The one HTTP client of a run: credentials, timeouts, the read-only guard, and recorded exchanges.

Every request of every family goes through ``TargetClient.send``, which
* adds the vendor's credentials in the form the contract's security schemes describe;
* refuses writes (anything but GET/HEAD/OPTIONS) unless the run allows them;
* records the exchange with credentials already redacted, so nothing downstream can leak them;
* turns transport failures (timeouts, resets, refused connections, truncated bodies) into an
  exchange with ``error`` set instead of raising, so a misbehaving target yields ``error`` rows and
  the run goes on;
* retries what is not the target's verdict on the request: a 429 or 503 answer (any method) up to
  ``max_retries`` times, waiting what ``Retry-After`` asks (at most ``max_wait`` seconds, else it
  gives up at once) or a capped exponential backoff; and, once and at once, an idempotent request
  whose connection was dropped. Every retried attempt is listed in ``exchange.meta["retries"]``; a
  429/503 still there when retries run out keeps its response and gets ``error`` ("rate limited: …",
  "unavailable: …"), so it is judged ``error``, never ``fail``;
* stops hammering a target that is down: after ``BREAKER_THRESHOLD`` consecutive transport failures
  further requests fail at once with the same explanation, so a dead target still ends the run quickly.
  A 429 or 503 is an answer, not a transport failure: it resets that count like any other answer.
"""

from __future__ import annotations

import base64
import datetime
import email.utils
import json as stdlib_json
import math
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import orjson

from ..checks import Exchange, RecordedRequest, RecordedResponse
from .network import Network
from .options import DEFAULT_MAX_RETRIES, DEFAULT_MAX_WAIT_S

if TYPE_CHECKING:
    from ..contract import Contract

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
REDACTED = "[REDACTED]"
BREAKER_THRESHOLD = 5
USER_AGENT = "mlops-conformance"
NOT_SET: Any = object()
BACKOFF_FIRST_S = 0.5
BACKOFF_CAP_S = 8.0
# Answers that say "not now" rather than anything about the request: retried for every method.
UNAVAILABLE = "unavailable"
RETRIED_STATUSES = {429: "rate limited", 503: UNAVAILABLE}
# Methods whose request may be sent twice without changing the outcome (RFC 9110 §9.2.2).
IDEMPOTENT_METHODS = ("GET", "HEAD", "OPTIONS", "PUT", "DELETE")
# httpcore's words when the server closes a connection without a byte of answer. On a connection
# kept alive from the previous answer, that is an idle timeout racing the next request (real
# servers do it): the request was most likely never read, so any method is sent once more. On a
# fresh connection it may have been read, and only idempotent requests are repeated.
STALE_KEEP_ALIVE = "Server disconnected without sending a response"


class WritesNotAllowed(Exception):
    """A write was attempted against a target the run treats as read-only."""


class NotSendable(Exception):
    """The HTTP client refuses to put this request on the wire (a generated header that breaks
    HTTP framing, say): a limit of ours, so the request is dropped, not counted against the target."""


@dataclass(frozen=True, slots=True)
class Credential:
    """Where a vendor's token goes: a header (with an optional scheme prefix), a query parameter or
    a cookie. ``basic``: the token holds ``user:password``, sent base64-encoded (HTTP Basic)."""

    header: str | None = "Authorization"
    prefix: str = "Bearer "
    query: str | None = None
    cookie: str | None = None
    basic: bool = False

    def encoded(self, token: str) -> str:
        """The token as it goes on the wire (base64 for HTTP Basic)."""
        return base64.b64encode(token.encode()).decode() if self.basic else token

    def apply(self, token: str, headers: dict[str, str], params: list[tuple[str, Any]]) -> None:
        if self.query:
            params.append((self.query, token))
        elif self.cookie:
            pair = f"{self.cookie}={token}"
            headers["Cookie"] = f"{headers['Cookie']}; {pair}" if headers.get("Cookie") else pair
        elif self.header:
            headers[self.header] = f"{self.prefix}{self.encoded(token)}"


_VENDOR_DEFAULT = {
    "datarobot": Credential("Authorization", "Bearer "),
    "domino": Credential("X-Domino-Api-Key", ""),
    "mlflow": Credential("Authorization", "Bearer "),  # MLFLOW_TRACKING_TOKEN, as MLflow's clients send it
}
# Which documented scheme each vendor's convention uses when several are documented:
# DataRobot's curl samples send a Bearer token, Domino's clients the X-Domino-Api-Key header.
_PREFERRED = {"datarobot": ("authorization", "Bearer "), "domino": ("x-domino-api-key", "")}


def credential_for(vendor: str, contract: Contract | None) -> Credential:
    """The credential form the contract documents, preferring the vendor's own convention."""
    found: list[Credential] = []
    document = contract.document if contract is not None else {}
    schemes = (document.get("components") or {}).get("securitySchemes") or {}
    for raw in schemes.values():
        raw = contract.resolve(raw) if contract is not None else raw
        kind = raw.get("type")
        if kind == "http" and str(raw.get("scheme", "")).lower() == "basic":
            found.append(Credential("Authorization", "Basic ", basic=True))
        elif kind == "http" and raw.get("scheme"):
            found.append(Credential("Authorization", f"{str(raw['scheme']).capitalize()} "))
        elif kind == "apiKey" and raw.get("in") == "header" and raw.get("name"):
            prefix = "Bearer " if str(raw["name"]).lower() == "authorization" else ""
            found.append(Credential(str(raw["name"]), prefix))
        elif kind == "apiKey" and raw.get("in") == "query" and raw.get("name"):
            found.append(Credential(None, "", str(raw["name"])))
        elif kind == "apiKey" and raw.get("in") == "cookie" and raw.get("name"):
            found.append(Credential(None, "", cookie=str(raw["name"])))
    preferred = _PREFERRED.get(vendor)
    for credential in found:
        if preferred and credential.header and (credential.header.lower(), credential.prefix) == preferred:
            return credential
    if found:
        return found[0]
    return _VENDOR_DEFAULT.get(vendor, Credential())


def _wire_forms(tokens: dict[str, str], credentials: dict[str, Credential]) -> list[str]:
    """Secrets derived from the tokens: the base64 of a Basic credential, and its password."""
    forms = []
    for vendor, token in tokens.items():
        credential = credentials.get(vendor)
        if credential is not None and credential.basic:
            forms += [credential.encoded(token), token.partition(":")[2]]
    return forms


class Redactor:
    """Removes every secret of the run (real tokens and the deliberately wrong one) from text."""

    def __init__(self, secrets_: list[str]) -> None:
        self._secrets = sorted({s for s in secrets_ if s and len(s) >= 4}, key=len, reverse=True)

    @property
    def secrets(self) -> tuple[str, ...]:
        return tuple(self._secrets)

    def text(self, value: str) -> str:
        for secret in self._secrets:
            if secret in value:
                value = value.replace(secret, REDACTED)
        return value

    def bytes(self, value: bytes) -> bytes:
        for secret in self._secrets:
            encoded = secret.encode()
            if encoded in value:
                value = value.replace(encoded, REDACTED.encode())
        return value

    def headers(self, headers: dict[str, str], credential_headers: set[str]) -> dict[str, str]:
        return {
            k: (REDACTED if k.lower() in credential_headers else self.text(v)) for k, v in headers.items()
        }

    def url(self, url: str) -> str:
        parts = urlsplit(url)
        if parts.username or parts.password:
            netloc = f"{REDACTED}@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
            parts = parts._replace(netloc=netloc)
        return self.text(urlunsplit(parts))


class TargetClient:
    """Sends requests to one target for all vendors of a run and records what happened."""

    def __init__(
        self,
        base_url: str,
        *,
        tokens: dict[str, str],
        credentials: dict[str, Credential],
        timeout_s: float,
        allow_writes: bool,
        max_retries: int = DEFAULT_MAX_RETRIES,
        max_wait_s: float = DEFAULT_MAX_WAIT_S,
        sleep: Callable[[float], None] = time.sleep,
        network: Network | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.tokens = tokens
        self.credentials = credentials
        self.timeout_s = timeout_s
        self.allow_writes = allow_writes
        self.max_retries = max_retries
        self.max_wait_s = max_wait_s
        self.sleep = sleep  # replaceable, so tests never really wait
        self.network = network or Network()
        self.wrong_token = "mlops-conformance-wrong-" + secrets.token_hex(12)
        self.redactor = Redactor(
            [
                *tokens.values(),
                *_wire_forms(tokens, credentials),
                self.wrong_token,
                *self.network.headers.values(),
            ]
        )
        self._credential_headers = {c.header.lower() for c in credentials.values() if c.header} | {
            "authorization"
        }
        if any(c.cookie for c in credentials.values()):
            self._credential_headers.add("cookie")
        self._credential_headers |= {name.lower() for name in self.network.headers}
        self._http = httpx.Client(
            timeout=httpx.Timeout(timeout_s),
            follow_redirects=False,
            headers={
                "User-Agent": USER_AGENT,
                "Accept": "application/json, */*;q=0.5",
                **self.network.headers,
            },
            verify=self.network.verify,
            cert=self.network.client_cert,
        )
        self._next_slot = 0.0  # --rate-limit: when the next request may go out (monotonic clock)
        self._consecutive_failures = 0
        self._last_failure = ""
        self._answered = False  # the last attempt got an answer: a pooled connection was alive
        self._last_reused = False  # the current attempt went out on a connection an answer left open
        self._kept_open = False
        self.requests_sent = 0
        # Called with (vendor, exchange) after every request: every answer is evidence, including
        # the ones to discovery, seeding and cleanup requests that no sample holds.
        self.observers: list[Callable[[str, Exchange], None]] = []

    def close(self) -> None:
        self._http.close()

    def url(self, path: str) -> str:
        return path if path.startswith(("http://", "https://")) else f"{self.base_url}{path}"

    def send(
        self,
        vendor: str,
        method: str,
        path: str,
        *,
        params: list[tuple[str, Any]] | dict[str, Any] | None = None,
        json: Any = NOT_SET,
        content: bytes | None = None,
        data: dict[str, Any] | None = None,
        files: Any = None,
        headers: dict[str, str] | None = None,
        auth: str = "token",
        meta: dict[str, Any] | None = None,
        path_parameters: dict[str, Any] | None = None,
    ) -> Exchange:
        """Send one request; never raises for transport problems (see the module docstring)."""
        exchange = self._send(
            vendor,
            method,
            path,
            params=params,
            json=json,
            content=content,
            data=data,
            files=files,
            headers=headers,
            auth=auth,
            meta=meta,
            path_parameters=path_parameters,
        )
        for observer in self.observers:
            observer(vendor, exchange)
        return exchange

    def _send(
        self,
        vendor: str,
        method: str,
        path: str,
        *,
        params: list[tuple[str, Any]] | dict[str, Any] | None,
        json: Any,
        content: bytes | None,
        data: dict[str, Any] | None,
        files: Any,
        headers: dict[str, str] | None,
        auth: str,
        meta: dict[str, Any] | None,
        path_parameters: dict[str, Any] | None,
    ) -> Exchange:
        method = method.upper()
        if method not in SAFE_METHODS and not self.allow_writes:
            raise WritesNotAllowed(f"{method} is a write; the target is read-only without --allow-writes")
        pairs = list(params.items()) if isinstance(params, dict) else list(params or [])
        query = [(k, item) for k, v in pairs for item in _query_values(v)]
        sent_headers = dict(headers or {})
        credential = self.credentials.get(vendor, Credential())
        if auth == "token" and vendor in self.tokens:  # no token: the contract asks for none
            credential.apply(self.tokens.get(vendor, ""), sent_headers, query)
        elif auth == "wrong":
            credential.apply(self.wrong_token, sent_headers, query)
        body: bytes | None = content
        if json is not NOT_SET:
            body = dump_json(json)
            sent_headers.setdefault("Content-Type", "application/json")
        url = self.url(path)
        # build_request merges the client's defaults (User-Agent, Accept, Accept-Encoding): a bare
        # httpx.Request sent with Client.send goes out with none of them.
        request = self._http.build_request(
            method,
            url,
            params=query or None,
            headers=sent_headers,
            content=body if data is None and files is None else None,
            data=data,
            files=files,
        )
        recorded = RecordedRequest(
            method=method,
            url=self.redactor.url(str(request.url)),
            headers=self.redactor.headers(dict(request.headers), self._credential_headers),
            body=self.redactor.bytes(body) if body else None,
            path_parameters=dict(path_parameters or {}),
            query={k: (REDACTED if k == credential.query else v) for k, v in pairs},
            json_body=json if json is not NOT_SET else None,
        )
        exchange = Exchange(recorded, meta=dict(meta or {}))
        if self._consecutive_failures >= BREAKER_THRESHOLD:
            exchange.error = f"target unreachable ({self._consecutive_failures} consecutive failures; last: {self._last_failure})"
            return exchange
        retries: list[dict[str, Any]] = []
        reconnected = False
        while True:
            started = time.perf_counter()
            response, failure, droppable = self._attempt(request)
            if failure is not None:
                # On a kept-alive connection, not a byte back: the request was most likely never read.
                unread = STALE_KEEP_ALIVE in failure and self._last_reused
                if (
                    droppable
                    and not reconnected
                    and self.max_retries > 0
                    and (method in IDEMPOTENT_METHODS or unread)
                ):
                    reconnected = True
                    retries.append({"status": None, "error": failure, "retry_after": None, "waited_s": 0.0})
                    continue
                exchange.error = self._failed(failure)
                break
            assert response is not None
            exchange.response = RecordedResponse(
                status=response.status_code,
                headers=dict(response.headers),
                content=response.content,
                elapsed_s=time.perf_counter() - started,
            )
            label = RETRIED_STATUSES.get(response.status_code)
            if label is None:
                break
            raw = response.headers.get("Retry-After")
            shown = self.redactor.text(raw) if raw is not None else None
            done = sum(1 for r in retries if r["status"] is not None)
            asked = retry_after_seconds(raw)
            given_up = f"{label}: {response.status_code} after {done} {'retry' if done == 1 else 'retries'}"
            if self.max_retries == 0:
                exchange.error = f"{given_up} (--max-retries 0)"
                break
            if asked is not None and asked > self.max_wait_s:
                exchange.error = (
                    f"{given_up} (Retry-After {round(asked, 1):g} s exceeds --max-wait {self.max_wait_s:g})"
                )
                break
            if done >= self.max_retries:
                exchange.error = given_up
                break
            wait = asked if asked is not None else self.backoff(done)
            retries.append(
                {"status": response.status_code, "error": None, "retry_after": shown, "waited_s": wait}
            )
            self.sleep(wait)
        if retries:
            exchange.meta["retries"] = retries
        return exchange

    def backoff(self, retry: int) -> float:
        """Seconds to wait before retry number ``retry`` (from 0) when the target named no time."""
        return min(BACKOFF_FIRST_S * 2**retry, BACKOFF_CAP_S, self.max_wait_s)

    def _attempt(self, request: httpx.Request) -> tuple[httpx.Response | None, str | None, bool]:
        """One request on the wire: the response, or why there is none and whether the connection
        was merely dropped (worth one more try for an idempotent request)."""
        self._pace()
        self.requests_sent += 1
        was_answered, self._answered = self._answered, False
        # Sequential requests: an answer not marked Connection: close left its connection idle.
        self._last_reused = was_answered and self._kept_open
        try:
            response = self._http.send(request)
        except httpx.LocalProtocolError as exc:
            self.requests_sent -= 1
            self._answered = was_answered
            raise NotSendable(self.redactor.text(str(exc))) from None
        except httpx.TimeoutException:
            return None, f"timeout: no complete answer within {self.timeout_s:g} s", False
        except httpx.ConnectError as exc:
            # Retried only if the target answered the attempt before: then it is a connection that
            # died under us (a restart, an idle keep-alive dropped), not a target that is not there.
            message = f"connection failed: {self.redactor.text(str(exc)) or type(exc).__name__}"
            return None, message, was_answered
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
            why = self.redactor.text(str(exc)) or type(exc).__name__
            return None, f"connection dropped or malformed answer: {why}", True
        except httpx.HTTPError as exc:
            return None, f"{type(exc).__name__}: {self.redactor.text(str(exc))}", False
        self._answered = True
        self._kept_open = response.headers.get("connection", "").lower() != "close"
        self._consecutive_failures = 0
        return response, None, False

    def _pace(self) -> None:
        """At most ``--rate-limit`` requests per second, retries included."""
        rate = self.network.rate_limit
        if not rate:
            return
        now = time.monotonic()
        if self._next_slot > now:
            self.sleep(self._next_slot - now)
            now = self._next_slot
        self._next_slot = now + 1.0 / rate

    def _failed(self, message: str) -> str:
        self._consecutive_failures += 1
        self._last_failure = message
        return message


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """The wait a ``Retry-After`` header asks for, in seconds (delay-seconds or an HTTP-date; a
    date in the past is 0); None when absent or unreadable."""
    if value is None or not value.strip():
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value.strip())
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:  # "-0000": HTTP-dates are GMT anyway
            when = when.replace(tzinfo=datetime.UTC)
        seconds = when.timestamp() - (time.time() if now is None else now)
    if not math.isfinite(seconds):
        return None
    return max(0.0, seconds)


def dump_json(value: Any) -> bytes:
    """JSON bytes of a generated value; the standard library takes over for integers past 64 bits."""
    try:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)
    except TypeError:
        return stdlib_json.dumps(value, ensure_ascii=False).encode()


def _query_values(value: Any) -> list[Any]:
    """A query value as the repeated ``name=value`` pairs of form style (arrays explode); booleans
    and null the way JSON spells them; objects as JSON text."""
    if isinstance(value, (list, tuple)):
        return [
            v
            for item in value
            for v in (
                _query_values(item) if not isinstance(item, (list, tuple)) else [dump_json(item).decode()]
            )
        ]
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if value is None:
        return ["null"]
    if isinstance(value, (str, int, float)):
        return [value]
    return [dump_json(value).decode()]
