"""The pipeline: load -> compile -> run -> test -> check -> publish (with export).

`BUILD_STAGES` reads as the whole build; each stage (`warehouse.stages`) is a function of the
`Session` that returns the node results it produced, which the loop adds to the session. A stage
that leaves a blocking result stops the pipeline before publish, so the published warehouse and
exports stay exactly as they were.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Callable

from warehouse.access import model_access, open_limited
from warehouse.core.errors import DiskFull, WarehouseError, is_disk_full
from warehouse.core.log import Reporter
from warehouse.core.results import NodeResult
from warehouse.core.vocab import Materialization, NodeStatus, NodeType, Outcome
from warehouse.project.loader import Project
from warehouse.publish import artifacts, workspace as publish
from warehouse.publish.lock import BuildLock
from warehouse.session import Options, Session, open_session, session_manifest
from warehouse.stages import (
    built_columns, pause_hook, report_changes, stage_changes, stage_check, stage_compile, stage_export,
    stage_freshness, stage_load, stage_on_run_end, stage_on_run_start, stage_publish, stage_run, stage_test,
)


def report_ignored(project: Project, reporter: Reporter) -> None:
    """Warnings of loading, each unsupported dbt feature once, and the one-line count of them."""
    from warehouse.project.ignored import summary

    for warning in project.config.warnings:
        reporter.event("project_warning", warning, level="warn")
    for item in project.config.ignored:
        reporter.event("ignored", item.render(), level="warn")
    reporter.event("ignored_count", summary(project.config.ignored), count=len(project.config.ignored))


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
    """The stages in order under the lock; after a blocking result only the stages that still have
    something to report run (CONTINUE_AFTER_FAILURE), and artifacts are written however it ends."""
    publishing = s.options.command == "build"
    stages = BUILD_STAGES if publishing else DEV_STAGES[s.options.command]
    s.database = _prepare_database(s, publishing)
    s.access = model_access(s)
    open_limited(s)
    s.reporter.event("started", f"{s.options.command} {s.build_id}: {len(s.selected)} node(s) selected",
                     build_id=s.build_id, command=s.options.command)
    report_ignored(s.project, s.reporter)
    status = Outcome.SUCCESS
    for stage in stages:
        if s.blocking() and stage not in CONTINUE_AFTER_FAILURE:
            break
        pause_hook(s, stage.__name__.removeprefix("stage_"))
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


def _prepare_database(s: Session, publishing: bool) -> Path:
    """The database the stages write: for `build` a fresh staging copy (after finishing any
    interrupted publish, so the copy starts from a consistent warehouse); for seed/run/test the
    development database, made once from the published one so analysts' warehouse is never touched."""
    ws = s.workspace
    if publishing:
        undone = publish.recover(ws)
        if undone:
            s.reporter.event("recovered", f"build {undone} was interrupted while publishing: "
                             "restored the warehouse and exports it was replacing", level="warn")
        ws.engine.check_no_writer(ws.published)
        copied = publish.prepare_staging(ws, ws.published, _replaced(s))
        if copied:
            s.reporter.event("staging_copied", f"could not carry the published catalog over ({copied}): copied the "
                             "whole warehouse instead, so this build's file keeps the free blocks of earlier builds",
                             level="warn", reason=copied)
        return ws.staging_db
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
        rebuilt = kind in (Materialization.VIEW, Materialization.TABLE) or (
            kind == Materialization.INCREMENTAL and full)
        if node.resource_type == NodeType.SEED or (node.resource_type == NodeType.MODEL and rebuilt):
            replaced.add((node.schema, node.identifier))
    return replaced


def _write_artifacts(s: Session, elapsed: float, status: str) -> None:
    """target/manifest.json and run_results.json, with the columns as built while the engine is
    still open (a published build closed it: the columns were read just before)."""
    if s.engine is not None:
        s.columns = built_columns(s)
    if s.columns:           # as built (the publish stage reads them before the engine closes)
        artifacts.write_catalog(s.project, s.build_id, s.columns, started_at=s.started_at,
                                invocation_id=s.compiler.invocation_id)
    if any(r.resource_type == "freshness" for r in s.results):
        artifacts.write_sources(s.project, s.build_id, s.results, elapsed, started_at=s.started_at,
                                invocation_id=s.compiler.invocation_id)
    artifacts.write_manifest(s.project, session_manifest(s, s.columns))
    extra = {"checks": list(s.check_results)} if s.check_results else {}
    if s.options.command == "build":
        extra["changes"] = s.changes
    _write_run_results(s, elapsed, status, extra or None)


def _write_run_results(s: Session, elapsed: float, status: str, extra: dict | None) -> None:
    artifacts.write_run_results(s.project, s.options.command, s.build_id, s.results, elapsed, status, extra,
                                started_at=s.started_at, args=dbt_args(s), compiled=s.compiled,
                                invocation_id=s.compiler.invocation_id)


def dbt_args(s: Session) -> dict[str, Any]:
    """The command line as dbt's run_results `args` (dbt leaves out unset values; so do we)."""
    o = s.options
    return {"select": o.select, "exclude": o.exclude, "selector": o.selector, "full_refresh": o.full_refresh,
            "vars": o.vars or None, "threads": s.project.config.threads, "target": s.project.config.target.name,
            "profiles_dir": str(o.profiles_dir) if o.profiles_dir else None, "project_dir": str(s.project.root),
            "checks": o.checks, "static_check": o.static_check, "allow_breaking": o.allow_breaking}


def _finish(s: Session, blocking: list[NodeResult], publishing: bool) -> Outcome:
    """The closing line and the outcome: a failed seed, model or snapshot is bad input (ERROR),
    any other blocking result a failed gate (FAILED); the CLI maps them to different exit codes."""
    counts: dict[str, int] = {}
    for r in s.results:
        counts[r.status] = counts.get(r.status, 0) + 1
    summary = ", ".join(f"{v} {k}" for k, v in sorted(counts.items()))
    if blocking:
        report_changes(s)      # what it would have changed (a published build said so before "published")
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


__all__ = ["Options", "Session", "open_session", "execute", "BUILD_STAGES"]
