"""The static gate of a build: sqlglot's analysis of the compiled models before any SQL runs.

Glue between the engine's nodes and `warehouse.sql.static_check`, which knows nothing of
projects: it gets plain `SqlModel`/`Relation` records and returns diagnostics and lineage.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

from warehouse.core.errors import DatabaseError, WarehouseError
from warehouse.core.results import NodeResult
from warehouse.project.python_models import is_python
from warehouse.project.snapshots import snapshot_columns
from warehouse.core.vocab import Materialization, NodeStatus, NodeType, Severity
from warehouse.sql.static_check import Relation, SqlModel, analyze


@contextmanager
def reading_published(s: Any) -> Iterator[Any]:
    """For commands that compile and analyse without building (compile, lineage, docs): the
    published warehouse, opened read-only and safely against a concurrent publish, answers
    is_incremental() and gives the columns of seeds and unselected models."""
    published = s.workspace.published
    try:
        # sandboxed: compile executes nothing, and Jinja's run_query() must not write or read files
        s.engine = s.workspace.engine.open_published(published, sandbox=True,
                                                     readable=(s.workspace.export_dir / ".external",))
    except DatabaseError as error:      # e.g. a writer holding the file
        raise WarehouseError(f"cannot open {published} read-only: {error.detail}",
                             hint="open the published warehouse read-only everywhere (duckdb -readonly)") from None
    s.compiler.relation_exists = lambda n: s.engine.relation_type(n.schema, n.identifier) == "table"
    s.compiler.engine = s.engine
    try:
        yield s.engine
    finally:
        s.engine.close()
        s.engine = None
        s.compiler.engine = None


def sql_models(s: Any) -> list[SqlModel]:
    """The compiled models, in dependency order, as the analyser wants them."""
    models = []
    for uid in s.order(NodeType.MODEL):
        node = s.project.nodes[uid]
        if uid not in s.compiled or is_python(node):     # Python models are opaque to sqlglot
            continue
        models.append(SqlModel(
            name=node.name, schema=node.schema, path=node.path, raw_sql=node.raw_sql,
            compiled_sql=s.compiled[uid], documented_columns=tuple(node.columns), layer=node.layer,
            static_check=bool(node.config.get("static_check", True)),
            identifier=node.identifier if node.identifier != node.name else None,
        ))
    return models


def relations(s: Any) -> list[Relation]:
    """Seeds, landing tables and sources with their columns, read from the database being built;
    unselected upstream models are known the same way."""
    found = []
    catalog = s.engine.catalog() if s.engine else {}
    for uid, node in s.project.nodes.items():
        if node.resource_type in (NodeType.SEED, NodeType.SOURCE) or is_python(node) or (
                node.resource_type == NodeType.MODEL and uid not in s.compiled):
            if node.materialized == Materialization.EPHEMERAL:
                continue
            columns = catalog.get((node.schema, node.identifier), [])
            if not columns and node.columns:
                columns = [(c.name, c.data_type or "VARCHAR") for c in node.columns.values()]
            if not columns and node.resource_type == NodeType.SEED:
                # a seed or landing file not loaded yet (new since the last publish): its header
                columns = file_columns(node, s.project.root)
            if columns:
                found.append(Relation(name=node.name, schema=node.schema, columns=dict(columns),
                                      identifier=node.identifier if node.identifier != node.name else None))
        elif node.resource_type == NodeType.SNAPSHOT:
            found.append(Relation(name=node.name, schema=node.schema, columns=dict(
                catalog.get((node.schema, node.identifier)) or snapshot_columns(node)),
                identifier=node.identifier if node.identifier != node.name else None))
    return found


# How severe each kind of finding is, unless the project says otherwise under
# `vars: warehouse: static-check:` — dbt projects select * from marts idiomatically, so that is a warning.
DEFAULT_LEVELS = {"select_star_in_mart": "warn"}


def file_columns(node: Any, root: Any) -> list[tuple[str, str]]:
    """(column, declared type or VARCHAR) from a seed file's header; [] if it cannot be read."""
    import os
    import stat

    from warehouse.core.fileio import read_header

    path = node.path if node.path.is_absolute() else root / node.path
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):    # never open a FIFO or follow a link
            return []
    except OSError:
        return []
    types = {name: col.data_type for name, col in node.columns.items() if col.data_type}
    types.update(node.config.get("column_types") or {})
    names = read_header(path, str(node.config.get("delimiter") or ","))
    return [(name, types.get(name, "VARCHAR")) for name in names]


def static_gate(s: Any) -> tuple[Any, list[NodeResult]]:
    from warehouse.compile.cache import ResultCache, cache_dir

    cache = ResultCache(cache_dir(s.project.config.target_path) / "static_check.json")
    analysis = analyze(sql_models(s), relations(s), cache)
    cache.save()
    results = []
    by_model: dict[str, list] = {}
    levels = {**DEFAULT_LEVELS, **(getattr(s.project.config, "static_check_levels", None) or {})}
    for diagnostic in analysis.diagnostics:
        level = levels.get(diagnostic.kind)
        if level == "off":
            continue
        if level in ("error", "warn"):
            diagnostic.severity = level
        by_model.setdefault(diagnostic.model, []).append(diagnostic)
    _drop_inlined_duplicates(s, by_model)
    for name, diagnostics in sorted(by_model.items()):
        node = s.project.by_name(name, (NodeType.MODEL,))
        errors = [d for d in diagnostics if d.severity == Severity.ERROR]
        text = "\n".join(_render(d) for d in diagnostics)
        result = NodeResult(node.unique_id, name, NodeType.MODEL, NodeStatus.ERROR if errors else NodeStatus.WARN,
                            message=text, materialized=node.materialized,
                            details={"stage": "static_check", "diagnostics": [vars(d) for d in diagnostics]},
                            location=_location(diagnostics[0]))
        results.append(result)
        s.reporter.node(result)
    return analysis, results


def _drop_inlined_duplicates(s: Any, by_model: dict[str, list]) -> None:
    """An ephemeral model is analysed on its own (so its problems point at its own file) and again
    inlined as a CTE in each model that reads it: drop those echoes from the readers."""
    for name in list(by_model):
        node = s.project.by_name(name, (NodeType.MODEL,))
        upstream = {s.project.nodes[u].name for u in s.graph.ancestors(node.unique_id)
                    if s.project.nodes[u].materialized == Materialization.EPHEMERAL}
        echoes = {(d.kind, d.message) for e in upstream for d in by_model.get(e, [])}
        kept = [d for d in by_model[name] if (d.kind, d.message) not in echoes]
        if kept:
            by_model[name] = kept
        else:
            del by_model[name]


def _location(d: Any) -> dict:
    return {"file": str(d.path) if d.path else None, "line": d.line, "column": d.column, "node": d.model}


def _render(d: Any) -> str:
    where = f"{d.path}:{d.line}" + (f":{d.column}" if d.column else "") if d.line else str(d.path)
    text = f"{where}: static check ({d.kind}): {d.message}"
    return text + (f"\n  hint: {d.hint}" if d.hint else "")
