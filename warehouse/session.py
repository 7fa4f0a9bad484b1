"""One command's session: the options it was given, the project it loaded, what it selected and
what happened so far.

`open_session` does everything that needs no database (load, parse, graph, selection), so
`compile`, `ls` and `docs` share it with `build`; the stages (`warehouse.stages`) then fill in
the results.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from warehouse.compile.compiler import Compiler
from warehouse.compile.graph import Graph
from warehouse.compile.parse import parse
from warehouse.compile.selector import Selector
from warehouse.compile.state import modified_nodes, published_manifest
from warehouse.core.log import Reporter
from warehouse.core.results import NodeResult
from warehouse.core.vocab import NodeType
from warehouse.engine.base import Access, Engine
from warehouse.pipeline import test
from warehouse.project.loader import Project, load_project
from warehouse.publish import artifacts, workspace as publish


@dataclass
class Options:
    """The command line as the build needs it, so `open_session` and `execute` never read argparse."""

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
    database: Path | None = None                      # the staging (or development) database the engine opens
    access: Access | None = None                      # what its SQL may reach (warehouse.access.model_access)

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
    compiler.selected = {u for u in selected if project.nodes[u].resource_type != NodeType.TEST} | \
        {u for u in selected if project.nodes[u].resource_type == NodeType.TEST}
    if options.command == "snapshot":       # dbt snapshot: only the snapshots of the selection
        selected = {u for u in selected if project.nodes[u].resource_type == NodeType.SNAPSHOT}
    session = Session(project, graph, compiler, options, reporter, ws, selected, previous_manifest=previous)
    if options.checks and options.command in ("build", "check"):
        from warehouse.gates.check_gate import load_all

        session.suites = load_all(project)
    return session


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


def session_manifest(s: Session, columns: dict | None = None) -> dict:
    """The manifest of what this session compiled and built (also used by `compile`)."""
    extra = {"lineage": getattr(s.analysis, "lineage", None)} if s.analysis is not None else None
    data = artifacts.manifest(s.project, s.graph, s.compiled, s.build_id, columns, extra, started_at=s.started_at,
                              invocation_id=s.compiler.invocation_id)
    if s.previous_manifest and (s.options.select or s.options.exclude):
        # Unselected nodes were carried over as published: keep the checksums they were built from,
        # so a later state:modified still sees the changes this build did not build.
        before = {**s.previous_manifest.get("nodes", {}), **s.previous_manifest.get("sources", {})}
        for uid, node in [*data["nodes"].items(), *data["sources"].items()]:
            if uid not in s.selected:   # a node never built keeps no checksum: it stays new
                node["checksum"] = before.get(uid, {}).get("checksum")
    return data

