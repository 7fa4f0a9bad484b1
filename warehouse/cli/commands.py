"""One function per CLI command. Each returns its Outcome; errors propagate to the CLI edge, which
alone turns both into exit codes (`warehouse.cli.app`)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from argparse import Namespace
from pathlib import Path

from warehouse.build import execute
from warehouse.core.errors import DatabaseError, WarehouseError
from warehouse.core.vocab import ExitCode, NodeStatus, Outcome
from warehouse.session import Options, open_session, workspace_for
from warehouse.core.log import Reporter
from warehouse.core.secrets import mask
from warehouse.project.loader import load_project


def _options(args: Namespace) -> Options:
    return Options(
        command=args.command, select=getattr(args, "select", None), exclude=getattr(args, "exclude", None),
        selector=getattr(args, "selector", None),
        full_refresh=getattr(args, "full_refresh", False), vars=getattr(args, "vars", {}) or {},
        checks=not getattr(args, "no_checks", False), static_check=not getattr(args, "no_static_check", False),
        check_path=getattr(args, "check_path", "auto"), profiles_dir=getattr(args, "profiles_dir", None),
        target=getattr(args, "target_name", None), threads=getattr(args, "threads", None),
        allow_breaking=getattr(args, "allow_breaking", False),
    )


def _load(root: Path, args: Namespace):
    """The project as the command line selects it (profiles folder, target, --vars)."""
    from warehouse.session import project_options

    return load_project(root, **project_options(_options(args)))


def _pipeline(root: Path, args: Namespace, reporter: Reporter) -> Outcome:
    return execute(open_session(root, _options(args), reporter))


cmd_build = cmd_snapshot = cmd_seed = cmd_run = cmd_test = cmd_check = _pipeline


def cmd_freshness(root: Path, args: Namespace, reporter: Reporter) -> Outcome:
    """Freshness of what is published now: loaded_at_field read from the published warehouse."""
    from warehouse.pipeline.freshness import check_freshness
    from warehouse.publish.artifacts import write_sources

    started = time.perf_counter()
    session = open_session(root, _options(args), reporter)
    published = session.workspace.published
    session.engine = session.workspace.engine.open_published(published) if published.exists() else None
    try:
        nodes = [session.project.nodes[u] for u in session.order("seed", "source")]
        results = check_freshness(nodes, session.project.root, session.engine)
    finally:
        if session.engine is not None:
            session.engine.close()
    for result in results:
        reporter.node(result)
    write_sources(session.project, session.build_id, results, time.perf_counter() - started,
                  started_at=session.started_at, invocation_id=session.compiler.invocation_id)
    if not results:
        reporter.event("freshness", "no seed, landing file or source declares freshness")
    return Outcome.FAILED if any(r.status == NodeStatus.FAIL for r in results) else Outcome.SUCCESS


def cmd_compile(root: Path, args: Namespace, reporter: Reporter) -> Outcome:
    """Compile against the published warehouse (read-only) so is_incremental() and schemas are real."""
    from warehouse.publish import artifacts
    from warehouse.pipeline import run
    from warehouse.session import session_manifest
    from warehouse.gates.static_gate import reading_published, static_gate

    session = open_session(root, _options(args), reporter)
    with reading_published(session):
        session.compiled = run.compile_models(session.project, session.compiler, session.order("model"))
        reporter.event("compiled", f"compiled {len(session.compiled)} model(s) into "
                       f"{session.project.config.target_path / 'compiled'}")
        status = Outcome.SUCCESS
        if session.options.static_check:
            session.analysis, results = static_gate(session)
            status = Outcome.ERROR if any(r.status == NodeStatus.ERROR for r in results) else Outcome.SUCCESS
        if getattr(args, "dialect", None):
            _transpile(session, args.dialect, reporter)
        artifacts.write_manifest(session.project, session_manifest(session))
    return status


def _transpile(session, dialect: str, reporter: Reporter) -> None:
    from warehouse.gates.static_gate import sql_models
    from warehouse.sql.transpile import transpile_models

    out = session.project.config.target_path / "transpiled" / dialect
    models = [m for m in sql_models(session) if session.project.by_name(m.name).materialized != "ephemeral"]
    for result in transpile_models(models, dialect):
        path = out / f"{result.model}.sql"
        path.unlink(missing_ok=True)       # never leave an earlier run's SQL for a model that failed now
        if result.sql:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(mask(result.sql), encoding="utf-8")
        for problem in result.problems:
            reporter.event("transpile", f"{result.model}: {problem}", level="warn")
    reporter.event("transpiled", f"wrote {dialect} SQL to {out}")


def cmd_ls(root: Path, args: Namespace, reporter: Reporter) -> Outcome:
    session = open_session(root, _options(args), reporter)
    nodes = [session.project.nodes[u] for u in session.graph.topological(session.selected)]
    if args.resource_type:
        nodes = [n for n in nodes if n.resource_type == args.resource_type]
    for node in nodes:
        if args.output == "json":
            print(json.dumps({"unique_id": node.unique_id, "name": node.name, "resource_type": node.resource_type,
                              "path": str(node.path), "materialized": node.materialized, "tags": node.tags}))
        else:
            print(str(node.path) if args.output == "path" else node.name)
    return Outcome.SUCCESS


def cmd_query(root: Path, args: Namespace, reporter: Reporter) -> Outcome:
    """One read-only statement on the published warehouse, in a sandbox that reaches no file."""
    from warehouse.cli.query import render
    from warehouse.core.errors import Location, PublishError

    ws = workspace_for(_load(root, args))
    database = ws.dev_db if args.dev else ws.published
    if not database.exists():
        raise WarehouseError(f"{database} does not exist yet", hint="run `python3 run.py build` first")
    try:   # read-only, safe against a concurrent publish, and no file access at all
        engine = ws.engine.open_published(database, sandbox=True, readable=(ws.export_dir / ".external",))
    except DatabaseError as exc:
        if "conflicting lock" in exc.detail.lower():
            raise PublishError(f"a process holds {database.name} open read-write: {exc.detail}", Location(database),
                               hint="analysts must open the published warehouse read-only (duckdb -readonly, "
                                    "read_only=True); close that connection, then query again") from None
        raise
    try:
        names, rows = engine.query(engine.single_statement(args.sql))
    except DatabaseError as exc:  # show the database's own message
        raise WarehouseError(f"query failed: {exc.detail}") from None
    finally:
        engine.close()
    render(names, rows, args.format, sys.stdout)
    return Outcome.SUCCESS


def cmd_lineage(root: Path, args: Namespace, reporter: Reporter) -> Outcome:
    from warehouse.sql.lineage import lineage_tree, render_tree, tree_to_json

    args.select, args.exclude = None, None
    args.command = "compile"
    session = open_session(root, _options(args), reporter)
    analysis = _analysis(session)
    tree = lineage_tree(analysis, args.target)
    print(json.dumps(tree_to_json(tree), indent=2) if args.format == "json" else render_tree(tree))
    return Outcome.SUCCESS


def cmd_docs(root: Path, args: Namespace, reporter: Reporter) -> Outcome:
    """Write target/docs/index.html and its assets; reads the published warehouse read-only."""
    from warehouse.docs.site import write_docs_site

    args.select, args.exclude = None, None
    index = write_docs_site(open_session(root, _options(args), reporter))
    reporter.event("docs", f"wrote {index} (open it in a browser: no server needed)", path=str(index))
    return Outcome.SUCCESS


def _analysis(session):
    from warehouse.pipeline import run
    from warehouse.gates.static_gate import reading_published, static_gate

    with reading_published(session):
        session.compiled = run.compile_models(session.project, session.compiler, session.order("model"))
        session.reporter.quiet = True
        analysis, _ = static_gate(session)
    return analysis


def cmd_diff(root: Path, args: Namespace, reporter: Reporter) -> Outcome:
    """The change report between two databases: dev vs published, or --from/--to builds in history."""
    from warehouse.changes.report import render
    from warehouse.gates.change_diff import build_files, diff_files, resolve
    from warehouse.publish.workspace import history

    args.command = "diff"
    session = open_session(root, _options(args), reporter)
    ws = session.workspace
    open_read_only = ws.engine.open_published       # read-only, safe against a concurrent publish
    if args.from_build or args.to_build:
        builds = build_files(history(ws), ws.published, open_read_only)
        old, new = resolve(args.from_build, builds, ws.published), resolve(args.to_build, builds, ws.published)
        title = f"{_label(old, builds)} -> {_label(new, builds)}"
    else:
        old, new, title = ws.published, ws.dev_db, "published warehouse -> development database"
        if not new.exists():
            raise WarehouseError(f"no development database at {new}",
                                 hint="run `python3 run.py run` (or seed/run with --select) first, or use --from/--to")
    for path in (old, new):
        if not path.exists():
            raise WarehouseError(f"{path} does not exist yet", hint="run `python3 run.py build` first")
    engine = open_read_only(new)
    try:
        uids = session.order("seed", "model")
        changes = diff_files(session.project, uids, new, old, engine)
    finally:
        engine.close()
    print(render(changes, args.format, title))
    return Outcome.SUCCESS


def _label(path: Path, builds: dict) -> str:
    names = [b for b, p in builds.items() if p == path]
    return f"build {names[-1]}" if names else str(path)


def cmd_rollback(root: Path, args: Namespace, reporter: Reporter) -> Outcome:
    from warehouse.publish.workspace import rollback

    from warehouse.publish.workspace import exports_of

    ws = workspace_for(_load(root, args))
    restored = rollback(ws)
    held = restored.stem.split(".", 1)[-1] if restored != ws.published else "the last good publish"
    exports = ("and its exports" if exports_of(restored).is_dir() or restored == ws.published
               else "(exports/ left as they were: none were saved with it)")
    reporter.event("rolled_back", f"restored build {held} ({restored.name}) as {ws.published.name} {exports}")
    return Outcome.SUCCESS


def cmd_clean(root: Path, args: Namespace, reporter: Reporter) -> Outcome:
    """Remove target/, dbt's clean-targets and build leftovers; never the published warehouse,
    its history or the exports, even when clean-targets names them. Under the build lock: a
    running build's staging folder is never removed (exit 3 instead)."""
    from warehouse.publish.lock import BuildLock

    project = _load(root, args)
    ws = workspace_for(project)
    keep = {ws.published.resolve(), ws.export_dir.resolve(), project.root.resolve(), ws.state_dir.resolve()}
    targets = [project.config.target_path, *project.config.project_file.clean_targets, ws.staging_dir, ws.dev_db.parent]
    with BuildLock(ws.lock_path, "clean"):
        for path in dict.fromkeys(targets):
            resolved = path.resolve()
            inside = resolved.is_relative_to(project.root)
            if resolved in keep or any(k.is_relative_to(resolved) for k in keep) or not inside:
                reporter.event("clean_refused", f"not removing {path}: it holds published data or is outside "
                               "the project", level="warn")
                continue
            if path.exists():
                shutil.rmtree(path) if path.is_dir() else path.unlink()
                reporter.event("cleaned", f"removed {path}")
    return Outcome.SUCCESS


def cmd_deps(root: Path, args: Namespace, reporter: Reporter) -> Outcome:
    """Install packages.yml's packages into packages-install-path (dbt_packages/)."""
    from warehouse.project.dbt_project import read_project_file
    from warehouse.project.packages import install

    names = install(read_project_file(root.resolve()), say=lambda text: reporter.event("deps", text))
    reporter.event("deps_done", f"installed {len(names)} package(s)")
    return Outcome.SUCCESS


def cmd_debug(root: Path, args: Namespace, reporter: Reporter) -> Outcome:
    """What dbt debug shows: project file, profiles.yml, target, packages, and a database check."""
    from warehouse.engine.factory import open_engine
    from warehouse.project.profiles import find_profiles

    project = _load(root, args)
    config, target = project.config, project.config.target
    profiles = find_profiles(config.root, getattr(args, "profiles_dir", None))
    lines = [f"project file: {config.file}", f"profiles.yml: {profiles or 'none found (built-in default target)'}",
             f"target: {target.name} (profile {target.profile}, type {target.type})",
             f"published warehouse: {config.database}", f"schema: {target.schema}, threads: {config.threads}",
             f"packages: {', '.join(p.name for p in config.packages) or 'none'}"]
    for line in lines:
        reporter.event("debug", line)
    engine = open_engine(target, ":memory:")
    try:
        engine.execute("select 1")
    finally:
        engine.close()
    reporter.event("debug", "connection test: OK (settings, extensions and attachments applied)")
    return Outcome.SUCCESS


def cmd_run_operation(root: Path, args: Namespace, reporter: Reporter) -> Outcome:
    """Run a root-project or package macro against the development database (never the published one)."""
    from warehouse.compile.compiler import RenderState
    from warehouse.engine.factory import open_engine
    from warehouse.project.nodes import Node, node_id

    session = open_session(root, _options(args), reporter)
    ws = session.workspace
    ws.dev_db.parent.mkdir(parents=True, exist_ok=True)
    session.engine = session.compiler.engine = open_engine(session.project.config.target, ws.dev_db)
    try:
        node = Node(unique_id=node_id("operation", session.project.config.name, args.macro), name=args.macro,
                    resource_type="operation",
                    path=session.project.config.file, fqn=(args.macro,), package_name=session.project.config.name)
        ctx = session.compiler.context(RenderState(node), final=True)
        macro = _find_macro(ctx, args.macro)
        output = macro(**args.args)
        if str(output).strip():
            reporter.event("operation", str(output).strip())
    finally:
        session.engine.close()
    reporter.event("operation_done", f"ran {args.macro} on the development database {ws.dev_db}")
    return Outcome.SUCCESS


def _find_macro(ctx: dict, name: str):
    package, _, macro = name.rpartition(".")
    found = getattr(ctx.get(package), macro, None) if package else ctx.get(name)
    if not callable(found):
        raise WarehouseError(f"no macro named '{name}'", hint="run-operation takes a macro of the project or "
                             "`package.macro`")
    return found


def cmd_selftest(root: Path, args: Namespace, reporter: Reporter) -> ExitCode:
    """pytest's exit code, mapped so that it cannot be mistaken for one of ours (`PYTEST_EXIT`)."""
    from warehouse.cli.app import pytest_exit_code

    return pytest_exit_code(subprocess.call([sys.executable, "-m", "pytest", str(root / "tests"), *args.pytest_args],
                                            cwd=root))
