"""Run: execute seeds and models in dependency order with their materializations.

`view`, `table`, `ephemeral` (nothing to run: it is inlined into its dependants) and
`incremental` (append, or delete+insert / merge on `unique_key`). A failed node does not stop the
run: its descendants are skipped and the rest carry on, so one run reports every problem.
"""
from __future__ import annotations

import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from warehouse.compile.compiled_files import write_compiled
from warehouse.compile.compiler import Compiler
from warehouse.core.relation import quote_identifier
from warehouse.core.errors import DatabaseError, Location, ModelError, WarehouseError
from warehouse.core.vocab import Materialization, NodeStatus, NodeType, TimingStep
from warehouse.engine.base import Engine
from warehouse.compile.graph import Graph
from warehouse.pipeline.load import load_seed
from warehouse.project.nodes import Node
from warehouse.project.loader import Project
from warehouse.core.relation import quote_relation
from warehouse.core.yamlio import nearest
from warehouse.core.results import NodeResult
from warehouse.pipeline import contract, external
from warehouse.pipeline.snapshot import run_snapshot
from warehouse.project.python_models import is_python

Report = Callable[[NodeResult], None]


def compile_models(project: Project, compiler: Compiler, selected: list[str], write: bool = True,
                   timing: dict[str, dict[str, str]] | None = None) -> dict[str, str]:
    """Compile every selected model (ephemeral ones too, for reading) and write target/compiled/;
    `timing` receives each node's compile step for run_results.json (dbt's `timing`)."""
    compiled = {}
    for uid in selected:
        node = project.nodes[uid]
        step = NodeResult(uid, node.name, node.resource_type, NodeStatus.SUCCESS)
        with step.step(TimingStep.COMPILE):
            if is_python(node):
                compiled[uid] = node.raw_sql        # Python runs as written: no Jinja
            elif node.resource_type in (NodeType.MODEL, NodeType.SNAPSHOT):
                compiled[uid] = compiler.compile_node(node)
                if write:
                    write_compiled(project, node, compiled[uid])
        if timing is not None:
            timing[uid] = step.timing[0]
    return compiled


Hooks = Callable[[Node, str], None]


def run_nodes(project: Project, graph: Graph, engine: Engine, order: list[str],
              compiled: dict[str, str], full_refresh: bool, report: Report,
              hooks: Hooks | None = None, *, snapshot_time: datetime | None = None,
              before: Callable[[Node], list[NodeResult]] | None = None,
              external_dir: Path | None = None) -> list[NodeResult]:
    """Load seeds and build models in `order`; skip the descendants of anything that failed.

    `before(node)` runs first for each node (`build` runs a model's unit tests there): when one of
    its results blocks, the node is skipped, and so are its descendants. `snapshot_time` stamps
    snapshot versions; external models write their files under `external_dir`."""
    results, broken = [], set()
    for uid in order:
        node = project.nodes[uid]
        if not node.is_executable():
            continue
        first = before(node) if before and not graph.parents[uid] & broken else []
        results += first
        if any(r.blocking for r in first):
            names = ", ".join(r.name for r in first if r.blocking)
            result = NodeResult(uid, node.name, node.resource_type, NodeStatus.SKIPPED,
                                message=f"skipped: unit test {names} failed", materialized=node.materialized)
        elif graph.parents[uid] & broken:
            upstream = sorted(project.nodes[p].name for p in graph.parents[uid] & broken)
            result = NodeResult(uid, node.name, node.resource_type, NodeStatus.SKIPPED,
                                message=f"skipped: upstream {', '.join(upstream)} failed",
                                materialized=node.materialized)
        else:
            result = _run_one(project, engine, node, compiled.get(uid), full_refresh, hooks, snapshot_time,
                              external_dir)
        if result.status != NodeStatus.SUCCESS:
            broken.add(uid)
        results.append(result)
        report(result)
    return results


def _run_one(project: Project, engine: Engine, node: Node, sql: str | None, full_refresh: bool,
             hooks: Hooks | None = None, snapshot_time: datetime | None = None,
             external_dir: Path | None = None) -> NodeResult:
    """Build one node; its failure is a result (status error, with the location the error names)
    rather than an exception, so the other branches of the graph still build and report."""
    started = time.perf_counter()
    result = NodeResult(node.unique_id, node.name, node.resource_type, NodeStatus.SUCCESS,
                        materialized=node.materialized)
    with result.step(TimingStep.EXECUTE):
        try:
            if hooks is not None:
                hooks(node, "pre_hook")
            if node.resource_type == NodeType.SEED:
                result.rows = load_seed(engine, node, project.root)
            elif node.resource_type == NodeType.SNAPSHOT:
                when = (snapshot_time or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(tzinfo=None)
                result.rows, result.details = run_snapshot(engine, node, (sql or "").strip().rstrip(";"), when)
            elif is_python(node):
                result.rows, result.details = _run_python(engine, node, sql or ""), {"language": "python"}
            else:
                result.rows, result.details = materialize(engine, node, sql or "", full_refresh, external_dir)
                _latest_version_pointer(engine, node)
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


def materialize(engine: Engine, node: Node, sql: str, full_refresh: bool,
                external_dir: Path | None = None) -> tuple[int | None, dict]:
    """Create the node's relation; return (row count, details) — views report no row count."""
    engine.ensure_schema(node.schema)
    kind = node.materialized
    where = Location(node.path, node=node.name)
    declared = contract.check_contract(engine, node, sql) if contract.is_enforced(node) else None
    if kind == Materialization.VIEW:
        engine.create_view(node.schema, node.identifier, sql, where=where)
        return None, {}
    if kind == Materialization.EXTERNAL:
        if external_dir is None:
            raise ModelError(f"external model {node.name} can only be built by build or run", node.location)
        return external.write_external(engine, node, sql, external_dir)
    exists = engine.relation_type(node.schema, node.identifier) == "table"
    if kind == Materialization.INCREMENTAL and exists and not (full_refresh or node.config.get("full_refresh")):
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
        if strategy == "merge":
            update = _merge_update_columns(engine, node)
            extra.update({"update_columns": update} if update is not None else {})
        inserted = engine.incremental(node.schema, node.identifier, sql, strategy,
                                      keys if strategy != "append" else None, where=where, **extra)
        return engine.row_count(node.schema, node.identifier), {"strategy": strategy, "rows_inserted": inserted}
    if declared is not None:
        contract.create_contracted_table(engine, node, sql, declared)
    else:
        engine.create_table(node.schema, node.identifier, sql, where=where)
    strategy = "full" if kind == Materialization.INCREMENTAL else None
    return engine.row_count(node.schema, node.identifier), {"strategy": strategy}


def _run_python(engine: Engine, node: Node, source: str) -> int:
    """A dbt-duckdb Python model, run by the engine on its own connection (imported only now)."""
    from warehouse.engine.python_model import run_python_model

    calls = node.config["__python"]
    refs = {(name, pin): relation for name, pin, relation in calls["refs"]}
    sources = {(src, table): relation for src, table, relation in calls["sources"]}
    config = {k: v for k, v in node.config.items() if not k.startswith("__")}
    run_python_model(engine, node.path, source, quote_relation(node.schema, node.identifier), refs, sources,
                     config, node.name)
    return engine.row_count(node.schema, node.identifier)


def _latest_version_pointer(engine: Engine, node: Node) -> None:
    """The latest version of a versioned model is also a view under the model's own name
    (dbt 1.12's latest_version_pointer; on unless `latest_version_pointer: {enabled: false}`)."""
    info = node.config.get("__version")
    pointer = node.config.get("latest_version_pointer") or {}
    ephemeral = node.materialized == Materialization.EPHEMERAL
    if not info or not info["latest"] or ephemeral or pointer.get("enabled") is False:
        return
    alias = pointer.get("alias") or info["model"]
    engine.create_view(node.schema, alias, f"select * from {quote_relation(node.schema, node.identifier)}")


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


def _merge_update_columns(engine: Engine, node: Node) -> list[str] | None:
    """dbt's `merge_update_columns` (only these are updated on a match) or `merge_exclude_columns`
    (all but these); None when neither is set. Setting both is an error, as in dbt; so is a
    column the table does not have (dbt would fail later, in the warehouse)."""
    only, excluded = node.config.get("merge_update_columns"), node.config.get("merge_exclude_columns")
    if only is None and excluded is None:
        return None
    if only is not None and excluded is not None:
        raise ModelError(f"model {node.name} cannot specify merge_update_columns and merge_exclude_columns",
                         node.location, hint="keep one of them")
    names = [c for c, _ in engine.columns(node.schema, node.identifier)]
    listed = [only] if isinstance(only, str) else [excluded] if isinstance(excluded, str) else list(only or excluded)
    for name in listed:
        if str(name).lower() not in {c.lower() for c in names}:
            hint = nearest(str(name), names)
            raise ModelError(f"{'merge_update_columns' if only is not None else 'merge_exclude_columns'} of "
                             f"{node.name} names '{name}', which {node.schema}.{node.identifier} does not have",
                             node.location, hint=f"did you mean '{hint}'?" if hint else f"columns: {', '.join(names)}")
    chosen = {str(c).lower() for c in listed}
    return [c for c in names if (c.lower() in chosen) == (only is not None)]


def _persist_docs(engine: Engine, node: Node) -> None:
    """dbt's `persist_docs: {relation: true, columns: true}`: descriptions become comments."""
    wanted = node.config.get("persist_docs") or {}
    if not isinstance(wanted, dict) or not (wanted.get("relation") or wanted.get("columns")):
        return
    kind = "view" if node.materialized == Materialization.VIEW else "table"
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
