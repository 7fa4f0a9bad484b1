"""Run: execute seeds and models in dependency order with their materializations.

`view`, `table`, `ephemeral` (nothing to run: it is inlined into its dependants) and
`incremental` (append, or delete+insert / merge on `unique_key`). A failed node does not stop the
run: its descendants are skipped and the rest carry on, so one run reports every problem.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

from warehouse.compile.compiler import Compiler, write_compiled
from warehouse.core.relation import quote_identifier
from warehouse.core.errors import DatabaseError, Location, ModelError, WarehouseError
from warehouse.core.vocab import NodeStatus
from warehouse.engine.base import Engine
from warehouse.compile.graph import Graph
from warehouse.pipeline.load import load_seed
from warehouse.project.nodes import Node
from warehouse.project.loader import Project
from warehouse.core.results import NodeResult

Report = Callable[[NodeResult], None]


def compile_models(project: Project, compiler: Compiler, selected: list[str], write: bool = True) -> dict[str, str]:
    """Compile every selected model (ephemeral ones too, for reading) and write target/compiled/."""
    compiled = {}
    for uid in selected:
        node = project.nodes[uid]
        if node.resource_type == "model":
            compiled[uid] = compiler.compile_node(node)
            if write:
                write_compiled(project, node, compiled[uid])
    return compiled


Hooks = Callable[[Node, str], None]


def run_nodes(project: Project, graph: Graph, engine: Engine, order: list[str],
              compiled: dict[str, str], full_refresh: bool, report: Report,
              hooks: Hooks | None = None) -> list[NodeResult]:
    """Load seeds and build models in `order`; skip the descendants of anything that failed."""
    results, broken = [], set()
    for uid in order:
        node = project.nodes[uid]
        if not node.is_executable():
            continue
        if graph.parents[uid] & broken:
            upstream = sorted(project.nodes[p].name for p in graph.parents[uid] & broken)
            result = NodeResult(uid, node.name, node.resource_type, "skipped",
                                message=f"skipped: upstream {', '.join(upstream)} failed",
                                materialized=node.materialized)
        else:
            result = _run_one(project, engine, node, compiled.get(uid), full_refresh, hooks)
        if result.status != "success":
            broken.add(uid)
        results.append(result)
        report(result)
    return results


def _run_one(project: Project, engine: Engine, node: Node, sql: str | None, full_refresh: bool,
             hooks: Hooks | None = None) -> NodeResult:
    started = time.perf_counter()
    result = NodeResult(node.unique_id, node.name, node.resource_type, "success", materialized=node.materialized)
    try:
        if hooks is not None:
            hooks(node, "pre_hook")
        if node.resource_type == "seed":
            result.rows = load_seed(engine, node, project.root)
        else:
            result.rows, result.details = materialize(engine, node, sql or "", full_refresh)
        _persist_docs(engine, node)
        if hooks is not None:
            hooks(node, "post_hook")
    except DatabaseError as exc:
        error = ModelError(exc.message, exc.location if str(exc.location) else Location(node.path, node=node.name),
                           hint=f"compiled SQL: {_compiled_path(project, node)}")
        result.status, result.message, result.location = NodeStatus.ERROR, error.render(), error.location.to_json()
    except WarehouseError as exc:
        result.status, result.message, result.location = NodeStatus.ERROR, exc.render(), exc.location.to_json()
    result.seconds = round(time.perf_counter() - started, 4)
    return result


def materialize(engine: Engine, node: Node, sql: str, full_refresh: bool) -> tuple[int | None, dict]:
    """Create the node's relation; return (row count, details) — views report no row count."""
    engine.ensure_schema(node.schema)
    kind = node.materialized
    where = Location(node.path, node=node.name)
    if kind == "view":
        engine.create_view(node.schema, node.identifier, sql, where=where)
        return None, {}
    exists = engine.relation_type(node.schema, node.identifier) == "table"
    if kind == "incremental" and exists and not (full_refresh or node.config.get("full_refresh")):
        keys = _unique_key(node)
        strategy = node.config.get("incremental_strategy") or ("delete+insert" if keys else "append")
        known = ("append", "delete+insert", "merge") if engine.capabilities.merge else ("append", "delete+insert")
        if strategy not in known:
            raise ModelError(f"unknown incremental_strategy '{strategy}'", node.location,
                             hint=f"use {', '.join(known[:-1])} or {known[-1]}")
        if strategy in ("delete+insert", "merge") and not keys:
            raise ModelError(f"incremental_strategy {strategy} needs a unique_key", node.location)
        sql = _on_schema_change(engine, node, sql)
        predicates = node.config.get("incremental_predicates")
        extra = {"predicates": [predicates] if isinstance(predicates, str) else list(predicates)} if predicates else {}
        inserted = engine.incremental(node.schema, node.identifier, sql, strategy,
                                      keys if strategy != "append" else None, where=where, **extra)
        return engine.row_count(node.schema, node.identifier), {"strategy": strategy, "rows_inserted": inserted}
    engine.create_table(node.schema, node.identifier, sql, where=where)
    return engine.row_count(node.schema, node.identifier), {"strategy": "full" if kind == "incremental" else None}


ON_SCHEMA_CHANGE = ("ignore", "fail", "append_new_columns", "sync_all_columns")


def _on_schema_change(engine: Engine, node: Node, sql: str) -> str:
    """dbt's on_schema_change for an incremental run whose query's columns differ from the table's:
    ignore (keep the table's columns), fail, append_new_columns, or sync_all_columns."""
    mode = str(node.config.get("on_schema_change") or "ignore")
    if mode not in ON_SCHEMA_CHANGE:
        raise ModelError(f"on_schema_change '{mode}' of {node.name} is not one of {', '.join(ON_SCHEMA_CHANGE)}",
                         node.location)
    probe = f"__schema_probe_{node.identifier}"
    engine.create_view(node.schema, probe, sql)
    try:
        incoming = engine.columns(node.schema, probe)
    finally:
        engine.drop_relation(node.schema, probe)
    existing = engine.columns(node.schema, node.identifier)
    have = {c.lower() for c, _ in existing}
    new = [(c, t) for c, t in incoming if c.lower() not in have]
    gone = [c for c, _ in existing if c.lower() not in {i.lower() for i, _ in incoming}]
    if not new and not gone:
        return sql
    if mode == "fail":
        raise ModelError(f"the columns of {node.name} changed (new: {', '.join(c for c, _ in new) or 'none'}; "
                         f"removed: {', '.join(gone) or 'none'}) and on_schema_change is fail", node.location,
                         hint="rebuild it with --full-refresh, or set on_schema_change")
    table = f"{quote_identifier(node.schema)}.{quote_identifier(node.identifier)}"
    if mode in ("append_new_columns", "sync_all_columns"):
        for column, kind in new:
            engine.execute(f"alter table {table} add column {quote_identifier(column)} {kind}")
    if mode == "sync_all_columns":
        for column in gone:
            engine.execute(f"alter table {table} drop column {quote_identifier(column)}")
    if mode == "ignore":       # only the table's columns are written
        keep = ", ".join(quote_identifier(c) for c, _ in incoming if c.lower() in have)
        return f"select {keep} from (\n{sql}\n) as __incoming_columns"
    return sql


def _persist_docs(engine: Engine, node: Node) -> None:
    """dbt's `persist_docs: {relation: true, columns: true}`: descriptions become comments."""
    wanted = node.config.get("persist_docs") or {}
    if not isinstance(wanted, dict) or not (wanted.get("relation") or wanted.get("columns")):
        return
    kind = "view" if node.materialized == "view" else "table"
    columns = {c.name: c.description for c in node.columns.values() if c.description} if wanted.get("columns") else {}
    engine.persist_docs(node.schema, node.identifier, kind, node.description if wanted.get("relation") else None,
                        columns)


def _unique_key(node: Node) -> list[str]:
    key = node.config.get("unique_key")
    if not key:
        return []
    return [key] if isinstance(key, str) else list(key)


def _compiled_path(project: Project, node: Node) -> Path:
    return (project.config.target_path / "compiled" / node.path).relative_to(project.root)
