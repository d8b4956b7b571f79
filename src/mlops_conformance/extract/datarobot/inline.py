"""Schema names that only 001's inline ``Response Schema`` trees document (VENDOR-DOCS §5).

001 is truncated: its Schemas section stops at names starting with De, so most names it references
have no block and would become placeholders that accept anything. Its inline response trees still
list the properties of some of them: a row whose type cell is ``X`` or ``[X]`` followed by deeper
``»`` rows (``» data | [ModelJobResponse] | true | …`` then the ``»»`` rows) says what X holds,
with types, required flags, restrictions, descriptions and the enums the inline enum tables
attached. Such a name becomes a real component sourced at that row. A row without deeper rows says
nothing about X's properties, so X stays a placeholder: nothing is invented.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..model import JsonSchema, SchemaDef, Source
from .lines import Page
from .nodes import Node, object_schema
from .operations import OperationDraft


def inline_definitions(
    page: Page, drafts: Iterable[OperationDraft]
) -> tuple[dict[str, SchemaDef], list[tuple[int, str, str]]]:
    """Components the inline trees document, by name, and (line, kind, message) disagreements.

    Call it once the operations are finished, so the nodes carry the enums and the losses the
    examples revealed. When two trees document one name differently (the page contradicts
    itself), the first row wins and the other is reported.
    """
    found: dict[str, SchemaDef] = {}
    issues: list[tuple[int, str, str]] = []
    for draft in drafts:
        for inline in draft.inline:
            for top in inline.nodes:
                for node in top.walk():
                    name = defined_name(node)
                    if name is None:
                        continue
                    schema = _schema(node)
                    previous = found.get(name)
                    if previous is None:
                        found[name] = SchemaDef(
                            name=name, schema=schema, source=Source(page.path, node.row.line)
                        )
                    elif previous.schema != schema:
                        issues.append(
                            (
                                node.row.line,
                                "disagreement",
                                f"inline tree documents {name} unlike line {previous.source.line}",
                            )
                        )
    return found, issues


def defined_name(node: Node) -> str | None:
    """The one name whose properties this row's deeper rows list, if they list any.

    Only ``X``, ``X¦null`` and ``[X]`` cells qualify: with alternatives or several names the deeper
    rows could belong to any of them.
    """
    info = node.info
    if not node.children or node.alternatives or info.item_combinator or len(info.refs) != 1:
        return None
    return info.refs[0]


def _schema(node: Node) -> JsonSchema:
    """The object the deeper rows describe; what the scrape lost in the tree stays marked.

    Issues (conflicting restrictions, a null enum value) were already reported when the inline
    response itself was assembled, so they are not reported twice.
    """
    schema = object_schema(node.children, [])
    if node.loss:
        schema["x-doc-loss"] = sorted(node.loss)
    return schema
