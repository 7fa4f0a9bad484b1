"""Artifacts: what a command leaves behind for people and tools to read.

`target/manifest.json` (nodes, configs, columns, dependencies, compiled SQL hashes),
`target/run_results.json` (each node's status, timing, rows, message) after every
command, and the `_warehouse_runs` table in the published database: its build history.
"""
from __future__ import annotations

import json
import os
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from warehouse import __version__
from warehouse.engine.base import Engine
from warehouse.core.fileio import write_json_atomic
from warehouse.core.secrets import mask, mask_data
from warehouse.compile.graph import Graph
from warehouse.compile.state import node_checksum, sha256
from warehouse.project.loader import Project
from warehouse.core.relation import quote_identifier
from warehouse.core.results import NodeResult, utc_timestamp
from warehouse.core.vocab import NodeStatus

RUNS_TABLE = "_warehouse_runs"
MANIFEST_TABLE = "_warehouse_manifest"
# The dbt release whose artifact schemas we write (manifest v12, run-results v6); tools read
# `dbt_version` to pick a parser. Our own version is `warehouse_version`.
DBT_VERSION = "1.9.0"
MANIFEST_SCHEMA = "https://schemas.getdbt.com/dbt/manifest/v12.json"
RUN_RESULTS_SCHEMA = "https://schemas.getdbt.com/dbt/run-results/v6.json"
SOURCES_SCHEMA = "https://schemas.getdbt.com/dbt/sources/v3.json"
CATALOG_SCHEMA = "https://schemas.getdbt.com/dbt/catalog/v1.json"
THREAD_ID = "Thread-1"      # nodes run one at a time (docs/dbt-compatibility.md: --threads)
_CUSTOM_ENV = "DBT_ENV_CUSTOM_ENV_"


def dbt_metadata(schema: str, build_id: str | None, started_at: datetime | None = None,
                 invocation_id: str | None = None) -> dict[str, Any]:
    """dbt's common artifact metadata (dbt_schema_version, dbt_version, generated_at, invocation_id,
    invocation_started_at, env) plus ours (build_id, warehouse_version).

    invocation_id is the one `{{ invocation_id }}` renders to in models (a UUID derived from the
    build id when a command has none), so tools can join what models wrote with the artifacts; env holds the
    DBT_ENV_CUSTOM_ENV_ variables without their prefix, as dbt writes them."""
    return {"dbt_schema_version": schema, "dbt_version": DBT_VERSION, "generated_at": utc_timestamp(),
            "invocation_id": invocation_id or str(uuid.uuid5(uuid.NAMESPACE_URL, f"reform-warehouse:{build_id}")),
            "invocation_started_at": utc_timestamp(started_at) if started_at else None,
            "env": {k.removeprefix(_CUSTOM_ENV): mask(v) for k, v in os.environ.items() if k.startswith(_CUSTOM_ENV)},
            "build_id": build_id, "warehouse_version": __version__}


def relation_name(project: Project, node: Any) -> str | None:
    """dbt's `relation_name`: database.schema.identifier, each part quoted as dbt-duckdb writes it
    (the database is the catalog name of the published file: its stem unless the profile names it)."""
    relational = node.resource_type in ("model", "seed", "source", "snapshot") and node.materialized != "ephemeral"
    if not relational:
        return None
    parts = (node.database or project.config.target.database, node.schema, node.identifier)
    return ".".join(quote_identifier(str(p), always=True) for p in parts)


def manifest(project: Project, graph: Graph, compiled: dict[str, str], build_id: str,
             columns: dict[str, list[tuple[str, str]]] | None = None, extra: dict[str, Any] | None = None,
             started_at: datetime | None = None, invocation_id: str | None = None) -> dict:
    """dbt's manifest keys (unique_id, resource_type, package_name, fqn, depends_on.nodes, config,
    columns, relation_name, ...) for tools that read dbt artifacts, plus ours (checksum, lineage)."""
    nodes = {}
    root = project.config.name
    for uid, node in sorted(project.nodes.items()):
        nodes[uid] = {
            "unique_id": uid, "name": node.name, "resource_type": node.resource_type,
            "package_name": node.package_name or root, "fqn": [node.package_name or root, *node.fqn],
            "path": str(node.path) if node.path else None, "original_file_path": str(node.path) if node.path else None,
            "properties_path": str(node.properties_path) if node.properties_path else None,
            "patch_path": str(node.properties_path) if node.properties_path else None,
            "database": (node.database or project.config.target.database) if node.resource_type != "test" else None,
            "schema": node.schema if node.resource_type != "test" else None,
            "alias": node.identifier if node.resource_type != "test" else None,
            "relation": f"{node.schema}.{node.identifier}"
            if node.resource_type in ("model", "seed", "source", "snapshot")
            else None,
            "relation_name": relation_name(project, node),
            "materialized": node.materialized, "tags": node.tags,
            "config": {**node.config, "materialized": node.materialized, "enabled": True},
            "description": node.description, "meta": node.config.get("meta") or {},
            "columns": {c.name: {"name": c.name, "description": c.description, "data_type": c.data_type,
                                 "meta": c.meta, "tests": [t.test_name for t in c.tests]}
                        for c in node.columns.values()},
            "built_columns": [{"name": n, "type": t} for n, t in (columns or {}).get(uid, [])],
            "depends_on": {"nodes": sorted(graph.parents.get(uid, ())), "macros": []},
            "compiled_sql_sha256": sha256(compiled[uid]) if uid in compiled else None,
            "compiled_code": compiled.get(uid),
            "checksum": node_checksum(project, uid),
            "test_metadata": node.test_metadata,
        }
        if node.resource_type == "source":
            nodes[uid]["source_name"] = node.source_name
            nodes[uid]["identifier"] = node.identifier
    return {
        "metadata": {**dbt_metadata(MANIFEST_SCHEMA, build_id, started_at, invocation_id),
                     "project": project.config.name, "project_name": project.config.name,
                     "adapter_type": project.config.target.type},
        # sources only in "sources", as in dbt: a tool that reads both would count them twice
        "nodes": {u: n for u, n in nodes.items() if n["resource_type"] != "source"},
        "sources": {u: n for u, n in nodes.items() if n["resource_type"] == "source"},
        "parent_map": {u: sorted(graph.parents.get(u, ())) for u in nodes},
        "child_map": {u: sorted(graph.children.get(u, ())) for u in nodes},
        **(extra or {}),
    }


def write_manifest(project: Project, data: dict) -> Path:
    path = project.config.target_path / "manifest.json"
    write_json_atomic(path, data, indent=None)
    return path


def write_run_results(project: Project, command: str, build_id: str, results: list[NodeResult],
                      elapsed: float, status: str, extra: dict[str, Any] | None = None, *,
                      started_at: datetime | None = None, args: dict[str, Any] | None = None,
                      compiled: dict[str, str] | None = None, invocation_id: str | None = None) -> Path:
    """dbt's run-results v6 (metadata, results, elapsed_time, args) plus ours (status,
    elapsed_seconds, the change report, ...). `args`: the command line as dbt's `args` dict."""
    path = project.config.target_path / "run_results.json"
    write_json_atomic(path, {
        "metadata": {**dbt_metadata(RUN_RESULTS_SCHEMA, build_id, started_at, invocation_id), "command": command},
        "status": status, "elapsed_seconds": round(elapsed, 3), "elapsed_time": round(elapsed, 3),
        "args": mask_data({k: v for k, v in {"which": command, **(args or {})}.items() if v is not None}),
        "results": [_dbt_result(project, r, compiled or {}) for r in results], **(extra or {}),
    })
    return path


def _dbt_result(project: Project, result: NodeResult, compiled: dict[str, str]) -> dict[str, Any]:
    """One result with dbt's run_results keys (status, timing, thread_id, execution_time,
    adapter_response, message, failures, compiled, compiled_code, relation_name) beside ours."""
    node = project.nodes.get(result.unique_id)
    data = result.to_json()
    code = compiled.get(result.unique_id) or _compiled_file(project, result)
    data.update(execution_time=result.seconds, timing=result.timing, thread_id=THREAD_ID,
                adapter_response=_adapter_response(result),
                failures=result.rows if result.resource_type == "test" else None,
                compiled=code is not None if node is not None and node.resource_type != "seed" else None,
                compiled_code=code, relation_name=relation_name(project, node) if node is not None else None,
                batch_results=None)
    return data


def write_catalog(project: Project, build_id: str | None, columns: dict[str, list[tuple[str, str]]], *,
                  started_at: datetime | None = None, invocation_id: str | None = None) -> Path:
    """target/catalog.json as `dbt docs generate` writes it (catalog v1): each built relation's
    type and columns (name, type, index) as the database reports them, sources apart."""
    nodes: dict[str, Any] = {}
    sources: dict[str, Any] = {}
    for uid, found in sorted(columns.items()):
        node = project.nodes.get(uid)
        if node is None or not found:
            continue
        (sources if node.resource_type == "source" else nodes)[uid] = {
            "metadata": {"type": "VIEW" if node.materialized == "view" else "BASE TABLE", "schema": node.schema,
                         "name": node.identifier, "database": node.database or project.config.target.database,
                         "comment": None, "owner": None},
            "columns": {name: {"type": kind, "index": i, "name": name, "comment": None}
                        for i, (name, kind) in enumerate(found, 1)},
            "stats": {"has_stats": {"id": "has_stats", "label": "Has Stats?", "value": False, "include": False,
                                    "description": "Indicates whether there are statistics for this table"}},
            "unique_id": uid,
        }
    path = project.config.target_path / "catalog.json"
    write_json_atomic(path, {"metadata": dbt_metadata(CATALOG_SCHEMA, build_id, started_at, invocation_id),
                             "nodes": nodes, "sources": sources, "errors": None}, indent=None)
    return path


def write_sources(project: Project, build_id: str | None, results: list[NodeResult], elapsed: float, *,
                  started_at: datetime | None = None, invocation_id: str | None = None) -> Path:
    """target/sources.json as `dbt source freshness` writes it (sources v3): one result per
    source, seed or landing file that declares `freshness:`, keyed by its unique_id. Our `fail`
    is dbt's `error`; a table we could not measure is dbt's `runtime error`."""
    path = project.config.target_path / "sources.json"
    write_json_atomic(path, {
        "metadata": dbt_metadata(SOURCES_SCHEMA, build_id, started_at, invocation_id),
        "results": [_freshness_result(r) for r in results if r.resource_type == "freshness"],
        "elapsed_time": round(elapsed, 3),
    })
    return path


def _freshness_result(result: NodeResult) -> dict[str, Any]:
    details = result.details
    uid = details.get("node") or result.unique_id
    if not details.get("loaded_at"):
        return {"unique_id": uid, "error": result.message, "status": "runtime error"}
    loaded = datetime.fromisoformat(details["loaded_at"])
    measured = datetime.fromisoformat(details["snapshotted_at"])
    criteria = details.get("criteria") or {}
    return {
        "unique_id": uid, "max_loaded_at": utc_timestamp(loaded), "snapshotted_at": utc_timestamp(measured),
        "max_loaded_at_time_ago_in_s": round((measured - loaded).total_seconds(), 3),
        "status": "error" if result.status == NodeStatus.FAIL else str(result.status),
        "criteria": {"warn_after": criteria.get("warn_after") or {}, "error_after": criteria.get("error_after") or {},
                     "filter": criteria.get("filter")},
        "adapter_response": {}, "timing": result.timing, "thread_id": THREAD_ID, "execution_time": result.seconds,
    }


def _adapter_response(result: NodeResult) -> dict[str, Any]:
    """What the database said, as dbt-duckdb reports it: `_message` and, for a built relation whose
    row count we know, `rows_affected`. Nothing for tests, or for nodes that did not run."""
    if result.resource_type in ("test", "unit_test") or result.status != NodeStatus.SUCCESS:
        return {}
    return {"_message": "OK"} if result.rows is None else {"_message": "OK", "rows_affected": result.rows}


def _compiled_file(project: Project, result: NodeResult) -> str | None:
    """A data test's compiled SQL, from the file it was written to (target/compiled/...)."""
    if not result.compiled_path:
        return None
    try:
        return (project.root / result.compiled_path).read_text(encoding="utf-8")
    except OSError:
        return None


def record_run(engine: Engine, build_id: str, command: str, started_at: datetime,
               results: list[NodeResult], selection: str) -> None:
    """Append this build to `_warehouse_runs` in the database about to be published."""
    engine.execute(f"""create table if not exists main.{RUNS_TABLE} (
        build_id varchar primary key, command varchar, started_at timestamptz, finished_at timestamptz,
        status varchar, selection varchar, models_built integer, seeds_loaded integer, tests_passed integer,
        tests_warned integer, warehouse_version varchar, results json)""")
    count = lambda kind, status: sum(1 for r in results if r.resource_type == kind and r.status == status)  # noqa: E731
    engine.execute(
        f"insert into main.{RUNS_TABLE} values (?, ?, ?, ?, 'published', ?, ?, ?, ?, ?, ?, ?)",
        [build_id, command, started_at, datetime.now(timezone.utc), selection,
         count("model", "success"), count("seed", "success"), count("test", "pass"), count("test", "warn"),
         __version__, mask(json.dumps([{"node": r.unique_id, "status": r.status, "seconds": r.seconds,
                                        "rows": r.rows} for r in results]))],
    )


def store_manifest(engine: Engine, data: dict) -> None:
    """Keep the manifest inside the database being published, so state always matches the data."""
    engine.execute(f"create or replace table main.{MANIFEST_TABLE} as select ?::json as manifest, now() as stored_at",
                   [mask(json.dumps(mask_data(data), default=str))])


def error_record(exc: BaseException) -> dict[str, Any]:
    """What run_results.json says about an error that ended a command: its kind, message and
    location (file, line, column, node) when it is one of ours."""
    from warehouse.core.errors import WarehouseError

    if isinstance(exc, WarehouseError):
        return {"type": type(exc).__name__, "message": exc.message, "hint": exc.hint,
                "location": exc.location.to_json()}
    if isinstance(exc, KeyboardInterrupt):
        return {"type": "KeyboardInterrupt", "message": "interrupted: nothing was published", "location": None}
    return {"type": type(exc).__name__, "message": f"internal error: {type(exc).__name__}: {exc}", "location": None}


def write_error_run(target_path: Path, command: str, exc: BaseException) -> Path:
    """run_results.json for a command that failed before it had a session (e.g. an invalid
    warehouse.yml): no node results, status error, and the error."""
    path = target_path / "run_results.json"
    write_json_atomic(path, {
        "metadata": {**dbt_metadata(RUN_RESULTS_SCHEMA, None), "command": command},
        "status": "error", "elapsed_seconds": 0.0, "elapsed_time": 0.0, "args": {"which": command},
        "results": [], "error": error_record(exc),
    })
    return path
