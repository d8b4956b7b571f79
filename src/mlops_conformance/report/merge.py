"""``report --merge``: the summaries of a sharded run (``run --shard I/N``) as one run.

Each shard's ``summary.json`` holds the rows of its own operations plus the run-level rows its
requests produced, which may name operations of other shards too:

* ``schema.side_responses`` (answers to discovery, paging and cleanup requests): one row per
  (vendor, operation, check) is kept, the worst verdict with that row's evidence, and
  ``requests_judged`` (and the message's ``[k of n requests]``) added up over the shards;
* ``schema.fields_seen``: a documented field is unseen only if no shard saw it, so ``unseen`` is
  the intersection over the shards that have the row, ``renames`` kept for the fields still unseen,
  ``responses`` added up, and the verdict ``drift`` while anything stays unseen, else ``pass``;
* the run's cleanup failures (``lifecycle.cleanup`` rows tagged ``cleanup``) are all kept.

Every other (vendor, operation, check) must come from exactly one shard. The shards must share the
contracts (``contract_sha256``) and vendors, and their ``run.shard`` values must be 1/N .. N/N, each
once. Any of these broken is one ``ReportError`` line (exit code 2).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import orjson

from ..errors import ReportError
from .fileio import write_atomically
from .summary import SUMMARY_NAME, VERDICTS, Summary, load_summary, resolve_summary_path

SIDE_CHECK = "schema.side_responses"
FIELDS_CHECK = "schema.fields_seen"
CLEANUP_CHECK = "lifecycle.cleanup"
CLEANUP_TAG = "cleanup"
# Worst first. ``xfail`` stands for a fail, error or warn listed as a known failure.
_SEVERITY = ("fail", "error", "warn", "xfail", "docs", "drift", "pass", "skip")
_OF_REQUESTS = re.compile(r" \[(\d+) of (\d+) requests\]$")
_SHARD = re.compile(r"(\d+)/(\d+)")
SHOWN = 12  # unseen fields named in a message (as ``runner.field_coverage`` writes it)


def merge_summaries(summaries: list[Summary]) -> dict[str, Any]:
    """One summary document (``{"run", "rows"}``) from the summaries of every shard of a run."""
    if not summaries:
        raise ReportError("--merge needs the report directory of every shard")
    ordered = _in_shard_order(summaries)
    _same_run(ordered)
    rows: list[dict[str, Any]] = []
    side: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    fields: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    owner: dict[tuple[str, str, str], str] = {}
    for summary in ordered:
        label = f"shard {summary.run['shard']} ({summary.label})"
        for row in summary.rows:
            raw = dict(row.raw)
            if row.check == SIDE_CHECK:
                side.setdefault(row.key, []).append(raw)
            elif row.check == FIELDS_CHECK:
                fields.setdefault(row.key, []).append(raw)
            elif row.check == CLEANUP_CHECK and row.tag == CLEANUP_TAG:
                rows.append(raw)
            else:
                first = owner.setdefault(row.key, label)
                if first != label:
                    raise ReportError(
                        f"{row.vendor} {row.operation} {row.check} is in {first} and in {label}: "
                        "shards of one run never share an operation"
                    )
                rows.append(raw)
    rows += [_merge_side(found) for found in side.values()]
    rows += [_merge_fields(found) for found in fields.values()]
    rows.sort(key=lambda r: (r["vendor"], r.get("family", ""), r["operation"], r["check"]))
    return {"run": _merged_run(ordered, rows), "rows": rows}


def merge_directories(directories: list[Path], output: Path) -> Path:
    """Read each shard's summary, write ``output/summary.json``, a history entry and ``index.html``.

    Returns the path of the merged summary.
    """
    from .history import append_history
    from .page import write_html

    summaries = [load_summary(Path(d)) for d in directories]
    merged = merge_summaries(summaries)
    target = Path(output) / SUMMARY_NAME
    try:
        write_atomically(
            target,
            orjson.dumps(merged, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS),
        )
    except OSError as exc:
        raise ReportError(f"{target}: cannot write: {exc.strerror or exc}") from None
    append_history(Path(output), merged)
    write_html(Path(output))
    return target


def _in_shard_order(summaries: list[Summary]) -> list[Summary]:
    """The summaries sorted by shard index; each must be a shard, of one N, and 1..N each once."""
    indexed: dict[int, Summary] = {}
    totals: set[int] = set()
    for summary in summaries:
        value = summary.run.get("shard")
        match = _SHARD.fullmatch(value.strip()) if isinstance(value, str) else None
        if match is None:
            where = resolve_summary_path(summary.path) if summary.path else summary.label
            raise ReportError(f"{where}: not the summary of a shard (no run.shard; run with --shard I/N)")
        index, total = int(match.group(1)), int(match.group(2))
        if index in indexed:
            raise ReportError(
                f"shard {index}/{total} given twice: {indexed[index].label} and {summary.label}"
            )
        indexed[index] = summary
        totals.add(total)
    if len(totals) != 1:
        shown = ", ".join(str(s.run["shard"]) for s in summaries)
        raise ReportError(f"shards of different splits: {shown} (every shard of one run has the same N)")
    total = totals.pop()
    missing = [f"{i}/{total}" for i in range(1, total + 1) if i not in indexed]
    stray = [f"{i}/{total}" for i in indexed if not 1 <= i <= total]
    if missing or stray:
        given = ", ".join(f"{i}/{total}" for i in sorted(indexed))
        what = f"missing shard {', '.join(missing)}" if missing else f"no such shard {', '.join(stray)}"
        raise ReportError(f"{what} (given: {given}); merge needs every shard of the run")
    return [indexed[i] for i in sorted(indexed)]


def _same_run(summaries: list[Summary]) -> None:
    first = summaries[0]
    for other in summaries[1:]:
        if sorted(other.vendors) != sorted(first.vendors):
            raise ReportError(
                f"{other.label}: vendors {', '.join(other.vendors)} but {first.label}: "
                f"{', '.join(first.vendors)}; merge shards of one run only"
            )
        if other.run.get("contract_sha256") != first.run.get("contract_sha256"):
            raise ReportError(
                f"{other.label} and {first.label} were checked against different contracts "
                "(contract_sha256 differs); merge shards of one run only"
            )


def _merged_run(summaries: list[Summary], rows: list[dict[str, Any]]) -> dict[str, Any]:
    run = {k: v for k, v in summaries[0].run.items() if k not in ("shard", "counts")}
    started = [s.started for s in summaries if s.started]
    if started:
        run["started"] = min(started)
    run["duration_s"] = round(sum(_number(s.run.get("duration_s")) for s in summaries), 3)
    run["shards"] = len(summaries)
    for key in ("cleanup_errors", "expired_known_failures"):
        joined: list[Any] = []
        for summary in summaries:
            value = summary.run.get(key)
            joined += [v for v in value if v not in joined] if isinstance(value, list) else []
        if joined or key in run:
            run[key] = joined
    counted = {verdict: 0 for verdict in VERDICTS}
    for row in rows:
        verdict = str(row.get("verdict", "")).strip().lower()
        counted[verdict] = counted.get(verdict, 0) + 1
    run["counts"] = counted
    return run


def _number(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0


def _rank(row: dict[str, Any]) -> int:
    verdict = str(row.get("verdict", "")).strip().lower()
    return _SEVERITY.index(verdict) if verdict in _SEVERITY else len(_SEVERITY)


def _merge_side(found: list[dict[str, Any]]) -> dict[str, Any]:
    """One side-response row from each shard's: the worst, with the requests of every shard counted."""
    if len(found) == 1:
        return found[0]
    chosen = min(found, key=_rank)  # the first of the worst, in shard order
    verdict = chosen["verdict"]
    total = sum(_judged(row) for row in found)
    of_verdict = 0
    for row in found:
        if row["verdict"] != verdict:
            continue
        suffix = _OF_REQUESTS.search(str((row.get("evidence") or {}).get("message", "")))
        of_verdict += int(suffix.group(1)) if suffix else _judged(row)
    evidence = dict(chosen.get("evidence") or {})
    evidence["requests_judged"] = total
    if "message" in evidence:
        message = _OF_REQUESTS.sub("", str(evidence["message"]))
        if verdict != "pass" and total > 1:
            message = f"{message} [{of_verdict} of {total} requests]"
        evidence["message"] = message
    return {**chosen, "evidence": evidence}


def _judged(row: dict[str, Any]) -> int:
    value = (row.get("evidence") or {}).get("requests_judged")
    return value if isinstance(value, int) and not isinstance(value, bool) else 1


def _merge_fields(found: list[dict[str, Any]]) -> dict[str, Any]:
    """One fields-seen row: fields unseen in every shard that has the row stay unseen."""
    if len(found) == 1:
        return found[0]
    evidences = [row.get("evidence") or {} for row in found]
    unseen_sets = [set(e.get("unseen") or []) for e in evidences]
    unseen = sorted(set.intersection(*unseen_sets))
    responses = sum(e.get("responses", 0) for e in evidences if isinstance(e.get("responses"), int))
    renames: list[dict[str, Any]] = []
    for evidence in evidences:
        for rename in evidence.get("renames") or []:
            if isinstance(rename, dict) and rename.get("documented") in unseen and rename not in renames:
                renames.append(rename)
    documented = [
        e.get("documented_fields") for e in evidences if isinstance(e.get("documented_fields"), int)
    ]
    merged: dict[str, Any] = {"responses": responses}
    if documented:
        merged["documented_fields"] = max(documented)
    if unseen:
        shown = ", ".join(unseen[:SHOWN]) + (f" (+{len(unseen) - SHOWN} more)" if len(unseen) > SHOWN else "")
        message = f"documented fields never received in {responses} responses: {shown}"
        if renames:
            message += "; possibly renamed: " + ", ".join(
                f"{r.get('documented')} -> {r.get('received')} ({r.get('type')})" for r in renames[:SHOWN]
            )
        merged.update({"message": message, "unseen": unseen, "renames": renames})
    source = next((e["source"] for e in evidences if isinstance(e.get("source"), dict)), None)
    if source is not None:
        merged["source"] = source
    return {**found[0], "verdict": "drift" if unseen else "pass", "evidence": merged}
