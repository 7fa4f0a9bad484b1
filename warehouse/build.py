"""The pipeline: load -> compile -> run -> test -> check -> publish (with export).

`BUILD_STAGES` reads as the whole build; each stage is a function of the `Session` that
returns the node results it produced, which the loop adds to the session. A stage that leaves
a blocking result stops the pipeline before publish, so the published warehouse and exports
stay exactly as they were.
"""
from __future__ import annotations

import itertools
import os
import re
import secrets
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from warehouse.pipeline import export, external, run, test
from warehouse.publish import artifacts, workspace as publish
from warehouse.compile.compiler import Compiler, parse
from warehouse.engine.base import Access, Engine
from warehouse.engine.factory import open_engine
from warehouse.core.errors import DiskFull, WarehouseError, is_disk_full
from warehouse.core.vocab import NodeStatus, NodeType, Outcome
from warehouse.compile.graph import Graph
from warehouse.publish.lock import BuildLock
from warehouse.core.log import Reporter
from warehouse.project.loader import Project, load_project
from warehouse.core.results import NodeResult
from warehouse.compile.selector import Selector
from warehouse.compile.state import modified_nodes, published_manifest
from warehouse.pipeline.unit_test import run_unit_tests
from warehouse.project.nodes import Node


@dataclass
class Options:
    command: str = "build"
    select: list[str] | None = None
    exclude: list[str] | None = None
    full_refresh: bool = False
    vars: dict[str, Any] = field(default_factory=dict)
    checks: bool = True
    static_check: bool = True
    check_path: str = "auto"
    selector: str | None = None
    profiles_dir: Path | None = None
    target: str | None = None
    threads: int | None = None
    allow_breaking: bool = False    # publish even if an exported or contracted model lost or retyped a column
    pause_at: str | None = None     # test hook: stop before a stage until a file appears


@dataclass
class Session:
    """Everything one command knows: the project, its graph, the selection, and what happened."""

    project: Project
    graph: Graph
    compiler: Compiler
    options: Options
    reporter: Reporter
    workspace: publish.Workspace
    selected: set[str]
    build_id: str = field(default_factory=lambda: new_build_id())
    started_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    engine: Engine | None = None
    compiled: dict[str, str] = field(default_factory=dict)
    compile_timing: dict[str, dict[str, str]] = field(default_factory=dict)   # unique_id -> dbt's compile step
    results: list[NodeResult] = field(default_factory=list)
    check_results: list = field(default_factory=list)
    export_manifest: dict | None = None
    analysis: Any = None
    suites: list = field(default_factory=list)
    columns: dict = field(default_factory=dict)      # unique_id -> [(column, type)] as built
    previous_manifest: dict | None = None             # of the published warehouse, for state:
    published: bool = False                           # the swap happened (later failures must say so)
    changes: list[dict] = field(default_factory=list)  # what this build changes, per model (warehouse.changes)

    def order(self, *types: str) -> list[str]:
        return [u for u in self.graph.topological(self.selected) if self.project.nodes[u].resource_type in types]

    def blocking(self) -> list[NodeResult]:
        return [r for r in self.results if r.blocking]


def new_build_id() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)


def workspace_for(project: Project) -> publish.Workspace:
    return publish.Workspace(published=project.config.database, export_dir=project.config.export_path,
                             state_dir=project.root / ".warehouse", engine_name=project.config.target.type,
                             storage_version=project.config.storage_compatibility_version)


def open_session(root: Path, options: Options, reporter: Reporter) -> Session:
    """Load and parse the project, build its graph and resolve the selection."""
    project = load_project(root, **project_options(options))
    ws = workspace_for(project)
    compiler = Compiler(project, vars=options.vars, full_refresh=options.full_refresh, command=options.command,
                        on_log=lambda message: reporter.event("log", message))
    parse(project, compiler)
    test.parse_tests(project, compiler)
    graph = Graph.from_project(project)
    state = None
    previous = published_manifest(ws.published)
    if previous is not None:
        state = lambda method: modified_nodes(project, compiler, previous, method)  # noqa: E731
    selected = Selector(project, graph, state).select(_selection(project, options), options.exclude)
    compiler.selected = {u for u in selected if project.nodes[u].resource_type != "test"} | \
        {u for u in selected if project.nodes[u].resource_type == "test"}
    if options.command == "snapshot":       # dbt snapshot: only the snapshots of the selection
        selected = {u for u in selected if project.nodes[u].resource_type == "snapshot"}
    session = Session(project, graph, compiler, options, reporter, ws, selected, previous_manifest=previous)
    if options.checks and options.command in ("build", "check"):
        from warehouse.gates.check_gate import load_all

        session.suites = load_all(project)
    return session


# -- stages ------------------------------------------------------------------------------------

def report_ignored(project: Project, reporter: Reporter) -> None:
    """Warnings of loading, each unsupported dbt feature once, and the one-line count of them."""
    from warehouse.project.ignored import summary

    for warning in project.config.warnings:
        reporter.event("project_warning", warning, level="warn")
    for item in project.config.ignored:
        reporter.event("ignored", item.render(), level="warn")
    reporter.event("ignored_count", summary(project.config.ignored), count=len(project.config.ignored))


def _selection(project: Project, options: Options) -> list[str] | None:
    """--select, plus --selector (dbt's selectors.yml), else the selector marked `default: true`."""
    from warehouse.compile.selectors_yml import default_selector

    chosen = list(options.select or [])
    if options.selector:
        chosen.append(f"selector:{options.selector}")
    elif not chosen and options.command not in ("compile", "docs", "lineage"):
        default = default_selector(project.root)
        if default:
            chosen.append(f"selector:{default}")
    return chosen or None


def project_options(options: Options) -> dict[str, Any]:
    """What load_project needs from the command line: profiles folder, target, --vars, --threads."""
    return {"profiles_dir": options.profiles_dir, "target": options.target, "cli_vars": options.vars,
            "threads": options.threads}


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
    schemas = sorted({n.schema for n in built if n.resource_type in ("model", "seed")})
    context = {"results": [r.to_json() for r in s.results], "schemas": schemas,
               "database_schemas": [(s.project.config.target.database, x) for x in schemas]}
    results = run_project_hooks(s.compiler, s.engine, "on-run-end", context)
    for result in results:
        s.reporter.node(result)
    return results


def stage_load(s: Session) -> list[NodeResult]:
    """Load seeds and landing files into the staging database."""
    return run.run_nodes(s.project, s.graph, s.engine, s.order("seed"), {}, s.options.full_refresh,
                               s.reporter.node, _node_hooks(s))


def stage_compile(s: Session) -> list[NodeResult]:
    """Render the selected models to SQL (target/compiled/) and run the static checks on them."""
    s.compiler.engine = s.engine
    s.compiler.relation_exists = lambda n: s.engine.relation_type(n.schema, n.identifier) == "table"
    s.compiled = run.compile_models(s.project, s.compiler, s.order("model", "snapshot"), timing=s.compile_timing)
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
    results = run.run_nodes(s.project, s.graph, s.engine, s.order("model", "snapshot"), s.compiled,
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
    for uid in s.order("unit_test"):
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
        if uid in s.project.nodes or node.get("resource_type") not in ("model", "seed") or not node.get("relation"):
            continue
        schema, name = node["relation"].split(".", 1)
        if s.engine.relation_type(schema, name):
            s.engine.drop_relation(schema, name)
            s.reporter.event("dropped", f"dropped {schema}.{name}: {node['name']} is no longer in the project")


def stage_test(s: Session) -> list[NodeResult]:
    """Run data tests on what was built."""
    ran = {r.unique_id for r in s.results}    # build ran most unit tests before their models
    results = run_unit_tests(s.project, s.compiler, s.engine,
                             [s.project.nodes[u] for u in s.order("unit_test") if u not in ran], s.reporter.node)
    failed = {r.unique_id for r in s.results + results if r.status in (NodeStatus.ERROR, NodeStatus.SKIPPED)}
    return results + test.run_tests(s.project, s.compiler, s.engine, s.order("test"), failed, s.reporter.node)


def stage_check(s: Session) -> list[NodeResult]:
    """Run the expectation suites of data_checks/ (Great Expectations) as a gate."""
    if not s.options.checks:
        return []
    from warehouse.gates.check_gate import check_gate

    return check_gate(s)


def stage_freshness(s: Session) -> list[NodeResult]:
    """Error-level staleness of seeds, landing files and sources blocks publishing."""
    from warehouse.pipeline.freshness import check_freshness

    nodes = [s.project.nodes[u] for u in s.order("seed", "source")]
    results = check_freshness(nodes, s.project.root, s.engine)
    for result in results:
        s.reporter.node(result)
    return results


def stage_changes(s: Session) -> list[NodeResult]:
    """Compare every built model with its published version; gates on change may block publishing."""
    from warehouse.gates.change_gate import change_gate

    return change_gate(s)


def stage_export(s: Session) -> list[NodeResult]:
    """Write Parquet exports into the staging folder (moved into place on publish)."""
    s.export_manifest = export.stage_exports(s.engine, s.project, s.workspace.export_stage, s.build_id)
    for uid in _built_externals(s):     # their files, published at `location` with the exports
        external.stage_copy(s.project.nodes[uid], _external_dir(s), s.workspace.export_stage)
        s.export_manifest["exports"].append(external.export_entry(s.engine, s.project.nodes[uid]))
    external.prune_builds(s.workspace.export_dir / ".external", s.project.config.keep_published + 1, s.build_id)
    return []


def _built_externals(s: Session) -> list[str]:
    built = {r.unique_id for r in s.results if r.status == NodeStatus.SUCCESS}
    return [u for u in s.order("model") if u in built and external.is_external(s.project.nodes[u])]


def stage_publish(s: Session) -> list[NodeResult]:
    """Record the run, close the staging database and swap it (and the exports) into place."""
    artifacts.record_run(s.engine, s.build_id, s.options.command, s.started_at, s.results,
                         " ".join(s.options.select or []) or "all")
    from warehouse.changes import history

    history.store(s.engine, s.build_id, s.changes)
    s.columns = _built_columns(s)
    artifacts.store_manifest(s.engine, session_manifest(s, s.columns))
    s.engine.close()
    s.engine = None
    manifest = s.export_manifest or {"exports": []}
    ws = s.workspace
    # Stale exports (of models removed since) are journaled too, so an interrupted publish puts them back.
    written = [e["file"] for e in manifest["exports"]]
    publish.begin(ws, s.build_id, written + export.stale_exports(ws.export_dir, manifest))
    try:
        _pause_hook(s, "publish_database")
        publish.publish_database(ws)
        _pause_hook(s, "publish_exports")
        export.publish_exports(ws.export_stage, ws.export_dir, manifest)
    except BaseException:
        publish.recover(ws)     # half published (disk full, a crash in export): put the old state back now
        raise
    s.published = True
    publish.commit(ws, s.project.config.keep_published)
    _report_changes(s)
    s.reporter.event("published", f"published {ws.published.name} and {len(manifest['exports'])} export(s) "
                     f"(build {s.build_id})", build_id=s.build_id, database=str(ws.published))
    return []


# Each stage returns the node results it produced; `_execute_locked` adds them to the session.
Stage = Callable[[Session], list[NodeResult]]
BUILD_STAGES: tuple[Stage, ...] = (
    stage_on_run_start, stage_load, stage_compile, stage_run, stage_test, stage_check, stage_freshness,
    stage_changes, stage_on_run_end, stage_export, stage_publish,
)
# After a failed model the remaining models and tests still run, so one build reports every
# problem; a failed load or static check stops at once (nothing downstream could be trusted).
# on-run-end hooks run whatever happened, as dbt's do (their effects publish only with the build).
CONTINUE_AFTER_FAILURE = (stage_test, stage_check, stage_freshness, stage_changes, stage_on_run_end)
DEV_STAGES = {
    "seed": (stage_on_run_start, stage_load, stage_on_run_end),
    "run": (stage_on_run_start, stage_compile, stage_run, stage_on_run_end),
    "snapshot": (stage_on_run_start, stage_compile, stage_run, stage_on_run_end),   # only snapshots selected
    "test": (stage_on_run_start, stage_test, stage_on_run_end),
    "check": (stage_check,),
    "freshness": (stage_freshness,),
}


def execute(s: Session) -> Outcome:
    """Run `build` (publishing) or seed/run/test (on the development database, never published).

    target/run_results.json is written on every way out: with the node results when the stages
    ran to the end, and with status error, the message and its location when something raised
    (Ctrl-C included), so a scheduler never reads the previous build's "success"."""
    started = time.perf_counter()
    try:
        with BuildLock(s.workspace.lock_path, s.build_id) as lock:
            if lock.took_over:
                s.reporter.event("stale_lock", f"took over a stale build lock left by pid {lock.took_over.get('pid')}",
                                 level="warn", holder=lock.took_over)
            try:
                return _execute_locked(s, started)
            finally:
                if s.engine is not None:
                    s.engine.close()
                    s.engine = None
    except BaseException as exc:
        _write_error_artifacts(s, time.perf_counter() - started, exc)
        raise


def _write_error_artifacts(s: Session, elapsed: float, exc: BaseException) -> None:
    """run_results.json for a command that raised: what ran so far, status error, and why."""
    try:
        _write_run_results(s, elapsed, "error", {"error": artifacts.error_record(exc)})
    except OSError:
        return              # the disk itself failed: the CLI reports the original error
    exc.run_results_written = True  # type: ignore[attr-defined]


def _execute_locked(s: Session, started: float) -> Outcome:
    publishing = s.options.command == "build"
    stages = BUILD_STAGES if publishing else DEV_STAGES[s.options.command]
    database = _prepare_database(s, publishing)
    s.engine = open_engine(s.project.config.target, database,
                           storage_version=s.project.config.storage_compatibility_version, access=model_access(s))
    s.compiler.engine = s.engine
    s.reporter.event("started", f"{s.options.command} {s.build_id}: {len(s.selected)} node(s) selected",
                     build_id=s.build_id, command=s.options.command)
    report_ignored(s.project, s.reporter)
    status = Outcome.SUCCESS
    for stage in stages:
        if s.blocking() and stage not in CONTINUE_AFTER_FAILURE:
            break
        _pause_hook(s, stage.__name__.removeprefix("stage_"))
        s.results += _in_stage(s, stage.__name__.removeprefix("stage_"), stage)
    blocking = s.blocking()
    if blocking:
        status = Outcome.ERROR if any(r.status == NodeStatus.ERROR for r in blocking) else Outcome.FAILED
    _in_stage(s, "writing target/ artifacts", lambda s: _write_artifacts(s, time.perf_counter() - started, status))
    return _finish(s, blocking, publishing)


def _in_stage(s: Session, name: str, step: Callable[[Session], Any]) -> Any:
    """Run one stage (returning what it returns); a full disk becomes DiskFull naming the stage
    and path (exit 5)."""
    try:
        return step(s)
    except (OSError, WarehouseError) as exc:
        if not is_disk_full(exc):
            raise
        path = getattr(exc, "filename", None) or (str(exc.location.file) if isinstance(exc, WarehouseError)
                                                   and exc.location.file else None)
        raise DiskFull(name, path, s.published, getattr(exc, "strerror", None) or str(exc).splitlines()[0]) from None


def model_access(s: Session) -> Access | None:
    """Least access for the SQL of models and tests: read the seed and landing folders (also the
    seed folders of installed packages) and the declared locations of external sources; write
    only the export staging folder (the engine's own Parquet exports) and the external models'
    folders besides the staging database. None (no restriction, said as a warning) when the
    project has Python models: DuckDB's replacement scans, which they use, need external access."""
    config = s.project.config
    python = [n.name for n in s.project.nodes.values() if str(n.path or "").endswith(".py")]
    if python:
        s.reporter.event("least_access_off", f"Python models ({', '.join(sorted(python)[:3])}) need DuckDB's "
                         "external access: model SQL of this project runs without the file limits "
                         "(docs/operations.md, security model)", level="warn")
        return None
    read = [*config.seed_paths, *config.landing_paths]
    for node in s.project.nodes.values():
        if node.resource_type == "seed" and node.path is not None:
            read.append((node.path if node.path.is_absolute() else s.project.root / node.path).parent)
        elif node.resource_type == "source" and node.config.get("external_location"):
            folder = _location_folder(str(node.config["external_location"]))
            if folder is not None:
                read.append(folder)
    external = (s.workspace.export_dir / ".external", s.workspace.dev_db.parent / "external")
    if s.options.command == "build" and s.workspace.published.exists():
        # the change gate compares with the published warehouse: it reads a copy in the staging
        # folder, never the published file (which model SQL could otherwise attach and write)
        import shutil

        copy = s.workspace.staging_dir / "published-copy" / s.workspace.published.name
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(s.workspace.published, copy)
        s.published_copy = copy
        read.append(copy.parent)
    return Access(read=tuple(dict.fromkeys(read)), write=(s.workspace.export_stage, *external))


def _location_folder(location: str) -> Path | None:
    """The folder an external source reads: its path (or a call's first quoted path) up to the
    first part with a glob character. None for a URL (remote reads need an extension anyway)."""
    quoted = re.search(r"\(\s*'([^']*)'", location)
    path = quoted.group(1) if quoted else location
    if "://" in path or not path:
        return None
    parts = Path(path).parts
    fixed = [p for p in itertools.takewhile(lambda p: not any(c in p for c in "*?[{"), parts)]
    return Path(*fixed) if len(fixed) < len(parts) else Path(path).parent


def _prepare_database(s: Session, publishing: bool) -> Path:
    ws = s.workspace
    if publishing:
        undone = publish.recover(ws)
        if undone:
            s.reporter.event("recovered", f"build {undone} was interrupted while publishing: "
                             "restored the warehouse and exports it was replacing", level="warn")
        ws.engine.check_no_writer(ws.published)
        return publish.prepare_staging(ws, ws.published, _replaced(s))
    if not ws.dev_db.exists():
        ws.dev_db.parent.mkdir(parents=True, exist_ok=True)
        ws.engine.prepare_staging(ws.published, ws.dev_db, storage_version=ws.storage_version)
    return ws.dev_db


def _replaced(s: Session) -> set[tuple[str, str]]:
    """Relations this build creates anew, whose published data need not be carried into staging:
    selected seeds, views and tables (and incremental models when fully refreshed)."""
    replaced = {("main", artifacts.MANIFEST_TABLE)}
    for uid in s.selected:
        node = s.project.nodes[uid]
        kind = node.materialized
        full = s.options.full_refresh or bool(node.config.get("full_refresh"))
        if node.resource_type == "seed" or (node.resource_type == "model" and (
                kind in ("view", "table") or (kind == "incremental" and full))):
            replaced.add((node.schema, node.identifier))
    return replaced


def _built_columns(s: Session) -> dict[str, list[tuple[str, str]]]:
    catalog = s.engine.catalog()
    return {uid: catalog.get((node.schema, node.identifier), [])
            for uid, node in s.project.nodes.items()
            if node.resource_type in ("model", "seed", "source", "snapshot") and node.materialized != "ephemeral"}


def _write_artifacts(s: Session, elapsed: float, status: str) -> None:
    if s.engine is not None:
        s.columns = _built_columns(s)
    artifacts.write_manifest(s.project, session_manifest(s, s.columns))
    extra = {"checks": list(s.check_results)} if s.check_results else {}
    if s.options.command == "build":
        extra["changes"] = s.changes
    _write_run_results(s, elapsed, status, extra or None)


def _write_run_results(s: Session, elapsed: float, status: str, extra: dict | None) -> None:
    artifacts.write_run_results(s.project, s.options.command, s.build_id, s.results, elapsed, status, extra,
                                started_at=s.started_at, args=dbt_args(s), compiled=s.compiled)


def dbt_args(s: Session) -> dict[str, Any]:
    """The command line as dbt's run_results `args` (dbt leaves out unset values; so do we)."""
    o = s.options
    return {"select": o.select, "exclude": o.exclude, "selector": o.selector, "full_refresh": o.full_refresh,
            "vars": o.vars or None, "threads": s.project.config.threads, "target": s.project.config.target.name,
            "profiles_dir": str(o.profiles_dir) if o.profiles_dir else None, "project_dir": str(s.project.root),
            "checks": o.checks, "static_check": o.static_check, "allow_breaking": o.allow_breaking}


def session_manifest(s: Session, columns: dict | None = None) -> dict:
    """The manifest of what this session compiled and built (also used by `compile`)."""
    extra = {"lineage": getattr(s.analysis, "lineage", None)} if s.analysis is not None else None
    data = artifacts.manifest(s.project, s.graph, s.compiled, s.build_id, columns, extra, started_at=s.started_at)
    if s.previous_manifest and (s.options.select or s.options.exclude):
        # Unselected nodes were carried over as published: keep the checksums they were built from,
        # so a later state:modified still sees the changes this build did not build.
        before = s.previous_manifest.get("nodes", {})
        for uid, node in data["nodes"].items():
            if uid not in s.selected:   # a node never built keeps no checksum: it stays new
                node["checksum"] = before.get(uid, {}).get("checksum")
    return data


def _finish(s: Session, blocking: list[NodeResult], publishing: bool) -> Outcome:
    counts: dict[str, int] = {}
    for r in s.results:
        counts[r.status] = counts.get(r.status, 0) + 1
    summary = ", ".join(f"{v} {k}" for k, v in sorted(counts.items()))
    if blocking:
        _report_changes(s)      # what it would have changed (a published build said so before "published")
    if not blocking:
        where = "published" if publishing else f"development database {s.workspace.dev_db}"
        s.reporter.event("finished", f"done: {summary}; {where}", status="success")
        return Outcome.SUCCESS
    names = ", ".join(r.name for r in blocking[:10]) + (" ..." if len(blocking) > 10 else "")
    bad_input = any(r.status == NodeStatus.ERROR
                    and r.resource_type in (NodeType.SEED, NodeType.MODEL, NodeType.SNAPSHOT)
                    for r in blocking)
    message = f"{'build' if publishing else s.options.command} failed: {summary}. Blocking: {names}."
    if publishing:
        message += " Nothing was published; the warehouse and exports are unchanged."
    s.reporter.error(message, status="error" if bad_input else "fail")
    return Outcome.ERROR if bad_input else Outcome.FAILED


def _report_changes(s: Session) -> None:
    """One line per model this build changes (or would have changed, had it published)."""
    from warehouse.changes.report import changed_only

    changed = changed_only(s.changes)
    for change in changed:
        s.reporter.event("changed", change["summary"], model=change["name"], status=change["status"])
    if s.changes and not changed:
        s.reporter.event("changed", f"no changes to the {len(s.changes)} model(s) and seed(s) built")


def _pause_hook(s: Session, stage: str) -> None:
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


__all__ = ["Options", "Session", "open_session", "execute", "BUILD_STAGES"]
