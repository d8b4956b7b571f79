"""The contradictions of a user's own OpenAPI document, each reported once as a ``docs`` row.

``contract.Contract.load_openapi`` repairs them on the loaded copy (``spec_defects``: a dangling
``$ref`` read as ``{}``, ``enum: []`` dropped, an undefined required member not required, ...) and
puts each on the one operation it is attributed to (``x-spec-defects``: kind, JSON pointer,
message). Nothing else asserts the broken part, so this row is the only trace of it: the docs
contradict themselves, the target is not to blame.
"""

from __future__ import annotations

from typing import Any

from ._core import DOCS, CheckContext, CheckFailed, register


def _has_defects(_contract: Any, op: Any) -> bool:
    return bool(op.spec.get("x-spec-defects"))


@register("examples.spec_defects", subject="document", applies=_has_defects)
def spec_defects(ctx: CheckContext, _: None) -> None:
    """The document's own contradictions attributed to this operation (``docs``, with JSON pointers);
    each was repaired at load time so that no other check asserts the broken part."""
    defects = [d for d in ctx.operation.spec.get("x-spec-defects") or [] if isinstance(d, dict)]
    if not defects:
        return
    lines = [f"{d.get('kind')} at {d.get('pointer')}: {d.get('message')}" for d in defects]
    more = f" (+{len(lines) - 1} more)" if len(lines) > 1 else ""
    raise CheckFailed(
        lines[0] + more,
        verdict=DOCS,
        schema_path=str(defects[0].get("pointer")),
        source=ctx.operation.source,
        details=lines[1:],
    )
