"""Drive one documented operation of a contract with a valid request, the way a careful client would.

Ids for path parameters come from the server itself: the collection above the parameter is listed
(or, when it has no list, created into, or linked to: a POST on the item URL) and the first item's id
is used; parameters of open collections get a value generated from their schema. Query parameters that are required, and the
request body, are generated from their schemas. The response is judged by :mod:`_mockkit`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx
import orjson

from mlops_conformance.contract import Contract, Operation
from mlops_conformance.mock.generate import Generator
from mlops_conformance.mock.resources import CREATE, LINK, LIST, Plan, id_fields
from mlops_conformance.mock.schemas import SchemaTools

_VERSION = re.compile(r"^(v\d+(\.\d+)*|beta|alpha|preview)$")


@dataclass
class Exchange:
    request: str
    status: int
    body: Any
    headers: httpx.Headers
    sent: bytes | None = None


class Exerciser:
    """Valid requests for the operations of one contract, sent over ``http``."""

    def __init__(self, contract: Contract, plans: list[Plan], http: httpx.Client) -> None:
        self.contract = contract
        self.http = http
        self.tools = SchemaTools(contract)
        self.generator = Generator(self.tools, seed=99)
        self.lists = {p.collection: p for p in plans if p.kind == LIST}
        self.creates = {p.collection: p for p in plans if p.kind == CREATE}
        self.links = {p.collection: p for p in plans if p.kind == LINK}
        self.plans = {(p.op.method, p.op.path): p for p in plans}

    def query(self, op: Operation) -> dict[str, Any]:
        out: dict[str, Any] = {}
        paging = op.pagination or {}
        for param in op.query_parameters():
            if param["name"] == paging.get("offset"):
                out[param["name"]] = "0"
            elif param["name"] == paging.get("limit"):
                out[param["name"]] = "5"
            elif param.get("required"):
                value = self.generator.value(
                    param.get("schema", {}), f"q|{op.id}|{param['name']}", hint=param["name"]
                )
                out[param["name"]] = _text(value)
        return out

    def body(self, op: Operation) -> tuple[bytes | None, dict[str, str]]:
        body = self.contract.resolve(op.request_body) if op.request_body else None
        if not body:
            return None, {}
        content = body.get("content", {})
        if "application/json" in content:
            schema = content["application/json"].get("schema", {})
            value = self.generator.value(schema, f"b|{op.id}")
            return orjson.dumps(value), {"content-type": "application/json"}
        media = next(iter(content), "application/octet-stream")
        return b"--x--\r\n", {"content-type": media}

    def fill(self, plan: Plan) -> dict[str, str] | None:
        """Values for ``plan``'s path parameters that the server knows; None when none can be found."""
        values: dict[str, str] = {}
        names = list(plan.scope_params) + ([plan.id_param] if plan.id_param else [])
        segments = [s for s in plan.op.path.split("/") if s]
        key: list[str] = []
        position = 0
        for segment in segments:
            if segment.startswith("{") and segment.endswith("}"):
                name = names[position]
                collection = tuple(key)
                found = self._known_id(collection, values, name, plan)
                if found is None:
                    return None
                values[name] = found
                position += 1
                key.append("{}")
            else:
                key.append(segment if not _is_version(segment) else "*")
        return values

    def _known_id(
        self, collection: tuple[str, ...], values: dict[str, str], name: str, plan: Plan
    ) -> str | None:
        alias = next((p.alias for p in self.plans.values() if p.collection == collection and p.alias), None)
        if alias is not None and alias in self.lists:  # its ids are those another collection lists
            target = self.lists[alias]
            scope = self.fill(target)
            listed = self.send(target, scope) if scope is not None else None
            items = _items(listed.body, target.op.pagination) if listed is not None else []
            return _id_of(items[0], name) if items else None
        lister = self.lists.get(collection)
        creator = self.creates.get(collection)
        if not self._managed(collection):
            lister = creator = None
        if lister is not None:
            listed = self.send(lister, values)
            items = _items(listed.body, lister.op.pagination)
            if items:
                return _id_of(items[0], name, lister.id_fields)
        if creator is not None:
            created = self.send(creator, values)
            if 200 <= created.status < 300:
                sent = orjson.loads(created.sent) if created.sent else None
                found = _id_of(created.body, name) or (
                    str(sent[name]) if isinstance(sent, dict) and name in sent else None
                )
                if found is None and "location" in created.headers:
                    found = created.headers["location"].rstrip("/").rsplit("/", 1)[-1]
                return found
        linker = self.links.get(collection)
        if lister is None and creator is None:
            param = next((p for p in plan.op.path_parameters() if p.get("name") == name), {})
            value = _text(self.generator.value(param.get("schema", {}), f"p|{name}", hint=name))
            if linker is not None and linker is not plan:  # it exists once linked
                self.send(linker, {**values, name: value})
            return value
        return None

    def _managed(self, collection: tuple[str, ...]) -> bool:
        return any(p.managed for p in self.plans.values() if p.collection == collection)

    def send(self, plan: Plan, values: dict[str, str]) -> Exchange:
        path = plan.op.path
        for name, value in values.items():
            path = path.replace("{" + name + "}", quote(value, safe=""), 1)
        content, headers = self.body(plan.op)
        response = self.http.request(
            plan.op.method, path, params=self.query(plan.op), content=content, headers=headers
        )
        try:
            body = response.json() if response.content else None
        except ValueError:
            body = response.text
        return Exchange(f"{plan.op.method} {path}", response.status_code, body, response.headers, content)


def _is_version(segment: str) -> bool:
    return bool(_VERSION.match(segment))


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(_text(v) for v in value)
    return str(value)


def _items(body: Any, pagination: dict[str, Any] | None) -> list[Any]:
    if isinstance(body, list):
        return body
    if isinstance(body, dict) and pagination and pagination.get("items"):
        node: Any = body
        for part in pagination["items"].split("."):
            node = node.get(part) if isinstance(node, dict) else None
        return node if isinstance(node, list) else []
    return []


def _id_of(item: Any, param: str, fields: tuple[str, ...] = ()) -> str | None:
    """The id in an item: under the parameter's own names, else those the collection's bodies use
    (``modelVersion`` for ``version``)."""
    if not isinstance(item, dict):
        return None
    for field in dict.fromkeys((*id_fields(param), *fields)):
        if isinstance(item.get(field), (str, int)) and not isinstance(item.get(field), bool):
            return str(item[field])
    for value in item.values():  # an envelope around the resource
        if isinstance(value, dict):
            found = _id_of(value, param, fields)
            if found is not None:
                return found
    return None
