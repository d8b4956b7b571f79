"""Benchmark: a user's OpenAPI document of 500, 1000 and 2000 operations, loaded, served and run.

    python benchmarks/bench_large_spec.py [--sizes 500,1000,2000] [--repeat 3] [--no-run]

Spec:     generated, OpenAPI 3.0 YAML: N/5 resources (``/r{i}`` collections with offset/limit lists,
          creates, ``/r{i}/{id}`` reads, patches and deletes) sharing components, one resource in
          ten with a nested sub-collection reference, one in fifty carrying a dangling ``$ref`` and an
          ``enum: []`` (so the defect scan has work at every size).
Load:     ``Contract.load_openapi`` (YAML parse, 3.0 -> 3.1, defect scan and repair, pagination
          inference), then ``create_app`` (the mock's routing and plans): median of ``--repeat``.
Run:      ``mlops-conformance run --contract FILE --max-examples 1 -q`` against the embedded mock
          serving it (one process, no workers): wall time, and the rows it wrote.

Baseline: the smallest size, measured in this same run. Each larger size prints its time ratio
next to its size ratio; growth is linear when the two match (per-operation ratio ~1.0). Target
(issue 11): no super-linear growth, per-operation ratio <= 1.3 at 2000 operations.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson
import yaml

ROOT = Path(__file__).resolve().parents[1]


def spec(operations: int) -> dict[str, Any]:
    """A document of ``operations`` operations (a multiple of five)."""
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {
        "Error": {"type": "object", "required": ["message"], "properties": {"message": {"type": "string"}}},
        "Audit": {
            "type": "object",
            "properties": {"createdAt": {"type": "string", "format": "date-time"}, "by": {"type": "string"}},
        },
    }
    for i in range(operations // 5):
        name = f"Thing{i}"
        properties: dict[str, Any] = {
            "id": {"type": "string"},
            "name": {"type": "string", "minLength": 1, "maxLength": 40},
            "size": {"type": "integer", "minimum": 0, "nullable": True},
            "state": {"type": "string", "enum": ["new", "ready", "gone"]},
            "audit": {"$ref": "#/components/schemas/Audit"},
        }
        if i % 10 == 0 and i:
            properties["previous"] = {"$ref": f"#/components/schemas/Thing{i - 1}"}
        if i % 50 == 0:
            properties["extra"] = {"$ref": f"#/components/schemas/Missing{i}"}
            properties["mode"] = {"type": "string", "enum": []}
        schemas[name] = {"type": "object", "required": ["id", "name"], "properties": properties}
        schemas[f"{name}Input"] = {
            "type": "object",
            "required": ["name"],
            "properties": {"name": {"type": "string", "minLength": 1, "maxLength": 40}},
        }
        ref = {"$ref": f"#/components/schemas/{name}"}
        body = {"content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}Input"}}}}
        error = {
            "description": "error",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
        one = {"description": "ok", "content": {"application/json": {"schema": ref}}}
        paths[f"/r{i}"] = {
            "get": {
                "operationId": f"list{i}",
                "tags": [f"t{i % 20}"],
                "parameters": [
                    {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0}},
                    {
                        "name": "limit",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 50},
                    },
                ],
                "responses": {
                    "200": {
                        "description": "page",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "data": {"type": "array", "items": ref},
                                        "totalCount": {"type": "integer"},
                                    },
                                }
                            }
                        },
                    },
                    "400": error,
                },
            },
            "post": {
                "operationId": f"create{i}",
                "requestBody": body,
                "responses": {"201": one, "422": error},
            },
        }
        item = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
        paths[f"/r{i}/{{id}}"] = {
            "parameters": [item],
            "get": {"operationId": f"get{i}", "responses": {"200": one, "404": error}},
            "patch": {
                "operationId": f"update{i}",
                "requestBody": body,
                "responses": {"200": one, "404": error},
            },
            "delete": {
                "operationId": f"delete{i}",
                "responses": {"204": {"description": "gone"}, "404": error},
            },
        }
    return {
        "openapi": "3.0.3",
        "info": {"title": f"Large {operations}", "version": "1"},
        "security": [{"bearer": []}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": schemas,
        },
        "paths": paths,
    }


def load_once(path: Path) -> tuple[float, float, int]:
    from mlops_conformance.contract import Contract
    from mlops_conformance.mock import create_app

    started = time.perf_counter()
    contract = Contract.load_openapi(path, "large")
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    create_app([contract], token="t")
    return loaded, time.perf_counter() - started, len(contract.document.get("x-doc-issues") or [])


def run_once(path: Path, report_dir: Path) -> tuple[float, int, dict[str, int]]:
    command = Path(sys.executable).parent / "mlops-conformance"
    started = time.perf_counter()
    done = subprocess.run(
        [str(command), "run", "--contract", f"large={path}", "--max-examples", "1", "-q",
         "--report-dir", str(report_dir)],
        check=False, capture_output=True, text=True, cwd=report_dir.parent,
    )  # fmt: skip
    wall = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"run failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}")
    rows = orjson.loads((report_dir / "summary.json").read_bytes())["rows"]
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["verdict"]] = counts.get(row["verdict"], 0) + 1
    return wall, len(rows), counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="500,1000,2000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-run", action="store_true", help="load and mock build only")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench-large-") as tmp:
        for size in sizes:
            path = Path(tmp) / f"large-{size}.yaml"
            path.write_text(yaml.safe_dump(spec(size), sort_keys=False))
            loads = [load_once(path) for _ in range(args.repeat)]
            result: dict[str, Any] = {
                "size": size,
                "load": statistics.median(x[0] for x in loads),
                "mock": statistics.median(x[1] for x in loads),
                "defects": loads[0][2],
            }
            if not args.no_run:
                result["run"], result["rows"], result["verdicts"] = run_once(
                    path, Path(tmp) / f"reports-{size}"
                )
            results.append(result)
            shown = ", ".join(f"{k} {v:.2f} s" for k, v in result.items() if isinstance(v, float))
            print(f"{size} operations: {shown}, {result['defects']} defects recorded", flush=True)
            if "verdicts" in result:
                print(f"    rows {result['rows']}: {result['verdicts']}", flush=True)
    base = results[0]
    print(
        f"\nratios against the {base['size']}-operation baseline (size ratio / time ratio / per operation):"
    )
    for result in results[1:]:
        scale = result["size"] / base["size"]
        parts = []
        for key in ("load", "mock", "run"):
            if key in result and base.get(key):
                ratio = result[key] / base[key]
                parts.append(f"{key} x{ratio:.2f} (per op {ratio / scale:.2f})")
        print(f"  {result['size']} ops (x{scale:.0f}): " + ", ".join(parts))


if __name__ == "__main__":
    main()
