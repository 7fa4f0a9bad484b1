"""The build's stages, each a function of the `Session` returning the node results it produced.

`warehouse.build` lists them in run order (BUILD_STAGES) and decides what runs after a failure;
a stage only does its own step, delegating the work to `pipeline`, `gates` and `publish`.
"""
from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any, Callable

from warehouse.access import export_access, open_limited
from warehouse.core.results import NodeResult
from warehouse.core.vocab import Materialization, NodeStatus, NodeType
from warehouse.pipeline import export, external, run, test
from warehouse.pipeline.unit_test import run_unit_tests
from warehouse.project.nodes import Node
from warehouse.publish import artifacts, workspace as publish
from warehouse.session import Session, session_manifest


def _node_hooks(s: Session) -> Callable[[Any, str], None]:
    from warehouse.pipeline.hooks import run_node_hooks

    return lambda node, which: run_node_hooks(s.compiler, s.engine, node, which)


def stage_on_run_start(s: Session) -> list[NodeResult]:
    """The projects' on-run-start hooks (packages first, then the root project)."""
    from warehouse.pipeline.hooks import run_project_hooks

    s.compiler.engine = s.engine
    results = run_project_hooks(s.compiler, s.engine, "on-run-start")
    for result in results:
        s.reporter.node(result)
    return results


def stage_on_run_end(s: Session) -> list[NodeResult]:
    """The projects' on-run-end hooks, with dbt's `results` and `schemas` in their context."""
    from warehouse.pipeline.hooks import run_project_hooks

    built = [s.project.nodes[r.unique_id] for r in s.results if r.unique_id in s.project.nodes]
    schemas = sorted({n.schema for n in built if n.resource_type in (NodeType.MODEL, NodeType.SEED)})
    context = {"results": [r.to_json() for r in s.results], "schemas": schemas,
               "database_schemas": [(s.project.config.target.database, x) for x in schemas]}
    results = run_project_hooks(s.compiler, s.engine, "on-run-end", context)
    for result in results:
        s.reporter.node(result)
    return results


def stage_load(s: Session) -> list[NodeResult]:
    """Load seeds and landing files into the staging database."""
    return run.run_nodes(s.project, s.graph, s.engine, s.order(NodeType.SEED), {}, s.options.full_refresh,
                               s.reporter.node, _node_hooks(s))


def stage_compile(s: Session) -> list[NodeResult]:
    """Render the selected models to SQL (target/compiled/) and run the static checks on them."""
    s.compiler.engine = s.engine
    s.compiler.relation_exists = lambda n: s.engine.relation_type(n.schema, n.identifier) == "table"
    s.compiled = run.compile_models(s.project, s.compiler, s.order(NodeType.MODEL, NodeType.SNAPSHOT),
                                    timing=s.compile_timing)
    results: list[NodeResult] = []
    if s.options.static_check:
        from warehouse.gates.static_gate import static_gate

        s.analysis, results = static_gate(s)
    from warehouse.gates.transpile_gate import transpile_gate

    results += transpile_gate(s)
    if s.suites:
        from warehouse.gates.check_gate import selected_suites, validate

        validate(s, selected_suites(s, s.suites))
    return results


def stage_run(s: Session) -> list[NodeResult]:
    """Build the selected models in dependency order (after dropping models deleted from the project)."""
    _drop_removed(s)
    before = _unit_tests_first(s) if s.options.command == "build" else None
    results = run.run_nodes(s.project, s.graph, s.engine, s.order(NodeType.MODEL, NodeType.SNAPSHOT), s.compiled,
                            s.options.full_refresh, s.reporter.node, _node_hooks(s),
                            snapshot_time=s.compiler.run_started_at, before=before, external_dir=_external_dir(s))
    for result in results:          # dbt's timing: compile (done before anything ran), then execute
        if result.timing and result.unique_id in s.compile_timing:
            result.timing.insert(0, s.compile_timing[result.unique_id])
    return results


def _external_dir(s: Session) -> Path:
    """Where external models write: a folder of this build's own under the export folder (its files
    are never overwritten), a folder beside the development database otherwise."""
    if s.options.command == "build":
        return s.workspace.export_dir / ".external" / s.build_id
    return s.workspace.dev_db.parent / "external"


def _unit_tests_first(s: Session) -> Callable[[Node], list[NodeResult]]:
    """In `build`, a model's selected unit tests run just before it (in memory); a failure skips it."""
    by_model: dict[str, list[Node]] = {}
    for uid in s.order(NodeType.UNIT_TEST):
        node = s.project.nodes[uid]
        by_model.setdefault(node.test_metadata["model"], []).append(node)
    return lambda model: run_unit_tests(s.project, s.compiler, s.engine, by_model.get(model.unique_id, []),
                                        s.reporter.node)


def _drop_removed(s: Session) -> None:
    """The staging database starts as a copy of the published one: a model or seed deleted from
    the project since then would linger there. Drop it (full builds only)."""
    if not s.previous_manifest or s.options.select or s.options.exclude:
        return
    for uid, node in s.previous_manifest.get("nodes", {}).items():
        kind = node.get("resource_type")
        if uid in s.project.nodes or kind not in (NodeType.MODEL, NodeType.SEED) or not node.get("relation"):
            continue
        schema, name = node["relation"].split(".", 1)
        if s.engine.relation_type(schema, name):
            s.engine.drop_relation(schema, name)
            s.reporter.event("dropped", f"dropped {schema}.{name}: {node['name']} is no longer in the project")


def stage_test(s: Session) -> list[NodeResult]:
    """Run data tests on what was built."""
    ran = {r.unique_id for r in s.results}    # build ran most unit tests before their models
    results = run_unit_tests(s.project, s.compiler, s.engine,
                             [s.project.nodes[u] for u in s.order(NodeType.UNIT_TEST) if u not in ran], s.reporter.node)
    failed = {r.unique_id for r in s.results + results if r.status in (NodeStatus.ERROR, NodeStatus.SKIPPED)}
    return results + test.run_tests(s.project, s.compiler, s.engine, s.order(NodeType.TEST), failed, s.reporter.node)


def stage_check(s: Session) -> list[NodeResult]:
    """Run the expectation suites of data_checks/ (Great Expectations) as a gate."""
    if not s.options.checks:
        return []
    from warehouse.gates.check_gate import check_gate

    return check_gate(s)


def stage_freshness(s: Session) -> list[NodeResult]:
    """Error-level staleness of seeds, landing files and sources blocks publishing."""
    from warehouse.pipeline.freshness import check_freshness

    nodes = [s.project.nodes[u] for u in s.order(NodeType.SEED, NodeType.SOURCE)]
    results = check_freshness(nodes, s.project.root, s.engine)
    for result in results:
        s.reporter.node(result)
    return results


def stage_changes(s: Session) -> list[NodeResult]:
    """Compare every built model with its published version; gates on change may block publishing.

    Model SQL must never reach the published file, and DuckDB keeps a file attached before the
    limits are set reachable, read-write after a DETACH. So the comparison runs on a connection of
    the engine's own (the published file attached read-only, then the same limits), on which no
    project SQL runs, and the limited connection is reopened for what follows (on-run-end hooks).
    This replaced a copy of the published file per build (bench/bench_change_gate_access.py)."""
    from warehouse.gates.change_gate import PUBLISHED_CATALOG, change_gate

    published = s.workspace.published
    if s.engine is None or s.access is None or not hasattr(s.engine, "restrict") or not published.exists():
        return change_gate(s)
    open_limited(s, attach=((published, PUBLISHED_CATALOG),))
    try:
        return change_gate(s, attached=True)
    finally:
        open_limited(s)


def stage_export(s: Session) -> list[NodeResult]:
    """Write Parquet exports into the staging folder (moved into place on publish).

    Models and hooks cannot write that folder (`access.model_access`): the exports run on a
    connection of the engine's own, opened here after the last project SQL (on-run-end hooks)
    with the staging folder writable, and publish uses it too. It cannot be the change gate's
    connection (which has the published file attached): on-run-end hooks run in between."""
    if s.engine is not None and s.access is not None and hasattr(s.engine, "restrict"):
        open_limited(s, access=export_access(s))
    s.export_manifest = export.stage_exports(s.engine, s.project, s.workspace.export_stage, s.build_id)
    for uid in _built_externals(s):     # their files, published at `location` with the exports
        external.stage_copy(s.project.nodes[uid], _external_dir(s), s.workspace.export_stage)
        s.export_manifest["exports"].append(external.export_entry(s.engine, s.project.nodes[uid]))
    external.prune_builds(s.workspace.export_dir / ".external", s.project.config.keep_published + 1, s.build_id)
    return []


def _built_externals(s: Session) -> list[str]:
    built = {r.unique_id for r in s.results if r.status == NodeStatus.SUCCESS}
    return [u for u in s.order(NodeType.MODEL) if u in built and external.is_external(s.project.nodes[u])]


def stage_publish(s: Session) -> list[NodeResult]:
    """Record the run, close the staging database and swap it (and the exports) into place."""
    artifacts.record_run(s.engine, s.build_id, s.options.command, s.started_at, s.results,
                         " ".join(s.options.select or []) or "all")
    from warehouse.changes import history

    history.store(s.engine, s.build_id, s.changes)
    s.columns = built_columns(s)
    artifacts.store_manifest(s.engine, session_manifest(s, s.columns))
    s.engine.close()
    s.engine = None
    manifest = s.export_manifest or {"exports": []}
    ws = s.workspace
    # Stale exports (of models removed since) are journaled too, so an interrupted publish puts them back.
    written = [e["file"] for e in manifest["exports"]]
    publish.begin(ws, s.build_id, written + export.stale_exports(ws.export_dir, manifest))
    try:
        pause_hook(s, "publish_database")
        publish.publish_database(ws)
        pause_hook(s, "publish_exports")
        export.publish_exports(ws.export_stage, ws.export_dir, manifest)
    except BaseException:
        publish.recover(ws)     # half published (disk full, a crash in export): put the old state back now
        raise
    s.published = True
    publish.commit(ws, s.project.config.keep_published)
    report_changes(s)
    s.reporter.event("published", f"published {ws.published.name} and {len(manifest['exports'])} export(s) "
                     f"(build {s.build_id})", build_id=s.build_id, database=str(ws.published))
    return []


def built_columns(s: Session) -> dict[str, list[tuple[str, str]]]:
    catalog = s.engine.catalog()
    return {uid: catalog.get((node.schema, node.identifier), [])
            for uid, node in s.project.nodes.items()
            if node.resource_type in (NodeType.MODEL, NodeType.SEED, NodeType.SOURCE, NodeType.SNAPSHOT)
            and node.materialized != Materialization.EPHEMERAL}


def report_changes(s: Session) -> None:
    """One line per model this build changes (or would have changed, had it published)."""
    from warehouse.changes.report import changed_only

    changed = changed_only(s.changes)
    for change in changed:
        s.reporter.event("changed", change["summary"], model=change["name"], status=change["status"])
    if s.changes and not changed:
        s.reporter.event("changed", f"no changes to the {len(s.changes)} model(s) and seed(s) built")


def pause_hook(s: Session, stage: str) -> None:
    """For crash tests: with WAREHOUSE_PAUSE_AT=<stage>, announce and wait until released."""
    if os.environ.get("WAREHOUSE_PAUSE_AT") != stage:
        return
    flag = s.workspace.state_dir / f"paused-at-{stage}"
    flag.write_text(str(os.getpid()))
    release = s.workspace.state_dir / "release"
    while not release.exists():
        time.sleep(0.05)
    release.unlink(missing_ok=True)
    flag.unlink(missing_ok=True)

