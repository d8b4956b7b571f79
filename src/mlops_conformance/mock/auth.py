"""Credentials, checked the way the contract's security schemes describe them.

An operation's ``security`` (or the document's) lists alternatives; each alternative names schemes
that must all be satisfied. Supported schemes:

* ``http`` with a scheme (``bearer``, ``token``, ...): ``Authorization: <Scheme> <token>``, the
  scheme name compared case-insensitively (RFC 7235);
* ``http`` ``basic`` (RFC 7617): ``Authorization: Basic base64(<token>)``, the token being the
  ``user:password`` pair clients are given (a token without a colon is compared whole, so a
  random token also works); malformed base64 is simply refused;
* ``apiKey`` in a header, query parameter or cookie: the value is the token. When the header is
  ``Authorization`` itself, a value of ``<Scheme> <token>`` is accepted too, since that header always
  carries a scheme (DataRobot's ``Authorization: Token <token>``).

An empty requirement list (``security: []``) means the operation is public.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..contract import Contract, Operation


@dataclass(frozen=True, slots=True)
class _Scheme:
    kind: str  # "http" | "apiKey"
    location: str  # "header" | "query" | "cookie"
    name: str  # header/parameter name
    http_scheme: str  # lower-case, for kind == "http"


def _same(given: str, token: str) -> bool:
    return hmac.compare_digest(given.encode(), token.encode())


def _basic_pair(credential: str) -> str:
    """The ``user:password`` a Basic credential encodes ("" when it is not base64 of UTF-8 text)."""
    try:
        return base64.b64decode(credential, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return ""


class Authenticator:
    """Decides whether a request carries the mock's token in a form an operation accepts."""

    def __init__(self, contract: Contract, token: str) -> None:
        self.token = token
        components = contract.document.get("components", {})
        self.schemes: dict[str, _Scheme] = {}
        for name, raw in (components.get("securitySchemes") or {}).items():
            raw = contract.resolve(raw)
            kind = raw.get("type", "")
            if kind == "http":
                self.schemes[name] = _Scheme(
                    "http", "header", "authorization", str(raw.get("scheme", "bearer")).lower()
                )
            elif kind == "apiKey":
                self.schemes[name] = _Scheme("apiKey", raw.get("in", "header"), str(raw.get("name", "")), "")
        self.default: list[dict[str, Any]] = list(contract.document.get("security") or [])

    def requirements(self, op: Operation) -> list[dict[str, Any]]:
        return list(op.spec["security"]) if "security" in op.spec else self.default

    def allows(
        self, op: Operation, headers: Mapping[str, str], query: Mapping[str, str], cookies: Mapping[str, str]
    ) -> bool:
        requirements = self.requirements(op)
        if not requirements:
            return True
        return any(
            all(self._satisfied(self.schemes.get(name), headers, query, cookies) for name in alternative)
            for alternative in requirements
            if all(name in self.schemes for name in alternative)
        )

    def _satisfied(
        self,
        scheme: _Scheme | None,
        headers: Mapping[str, str],
        query: Mapping[str, str],
        cookies: Mapping[str, str],
    ) -> bool:
        if scheme is None:
            return False
        if scheme.kind == "http":
            given_scheme, _, credential = headers.get("authorization", "").partition(" ")
            if given_scheme.lower() != scheme.http_scheme:
                return False
            if scheme.http_scheme == "basic":
                return _same(_basic_pair(credential.strip()), self.token)
            return _same(credential.strip(), self.token)
        source = {"header": headers, "query": query, "cookie": cookies}.get(scheme.location, {})
        key = scheme.name.lower() if scheme.location == "header" else scheme.name
        value: str | None = source.get(key)
        if value is None:
            return False
        if _same(value, self.token):
            return True
        if scheme.location == "header" and key == "authorization":
            _given_scheme, _, credential = value.partition(" ")
            return bool(credential) and _same(credential.strip(), self.token)
        return False
