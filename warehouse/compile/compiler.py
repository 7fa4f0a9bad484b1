"""Compile: render each model's Jinja into the SQL that will run.

Two passes, as in dbt. `parse` (compile/parse.py) renders every model once to learn its `ref()`/`source()`
dependencies and `config()` calls; `compile_node` renders it again with real relation
names, `this` and `is_incremental()`, and inlines ephemeral models as CTEs. Compiled SQL
is written to `target/compiled/` (compile/compiled_files.py) so users can read exactly what ran.
"""
from __future__ import annotations

import sys
import traceback
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterator

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from warehouse.compile import context as context_module
from warehouse.compile.cache import JinjaBytecodeCache
from warehouse.compile.dbt_context import ExternalRelation, Relation
from warehouse.compile.ephemeral import cte_name, with_ctes
from warehouse.compile.macros import macro_file_source, macro_return, support_return
from warehouse.core.errors import CompileError, Location, ProjectError, WarehouseError
from warehouse.core.vocab import Materialization, NodeType
from warehouse.core.yamlio import nearest, read_utf8
from warehouse.project.configs import ConfigResolver
from warehouse.project.dbt_project import env_var
from warehouse.project.loader import Project
from warehouse.project.nodes import Node
from warehouse.project.snapshots import BLOCK_SEPARATOR, block_source
from warehouse.project.versions import resolve as resolve_version


@dataclass
class RenderState:
    """What one rendering of one node learned: its dependencies, config() calls, ephemeral refs."""

    node: Node
    refs: list[str] = field(default_factory=list)
    config: dict[str, Any] = field(default_factory=dict)
    ephemerals: list[str] = field(default_factory=list)
    sql: str = ""


@dataclass
class Compiler:
    """Renders models, tests, hooks and macros of one project (and its installed packages)."""

    project: Project
    vars: dict[str, Any] = field(default_factory=dict)
    relation_exists: Callable[[Node], bool] = lambda node: False
    full_refresh: bool = False
    run_started_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    engine: Any = None                       # the engine interface: run_query()/adapter.* when executing
    selected: set[str] = field(default_factory=set)
    command: str = "build"
    on_log: Callable[[str], None] = lambda message: print(message, file=sys.stderr, flush=True)
    invocation_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    overrides: dict[str, Any] = field(default_factory=dict)   # names replaced in every context (unit tests)

    def __post_init__(self) -> None:
        # Sandboxed: `compile` executes nothing, so a template must not reach Python internals
        # ({{ cycler.__init__.__globals__.os.system('id') }} ran a command before).
        self.env = SandboxedEnvironment(
            loader=jinja2.FunctionLoader(self._load_source), undefined=jinja2.StrictUndefined,
            extensions=["jinja2.ext.do", "jinja2.ext.loopcontrols"], keep_trailing_newline=True,
            # Every template is rendered twice (parse, then compile): Jinja's default cache of 400
            # templates evicted each one before its second render in larger projects.
            cache_size=-1, bytecode_cache=JinjaBytecodeCache(self.project.config.target_path),
        )
        if self.vars:
            self.project.config.cli_vars = {**self.project.config.cli_vars, **self.vars}
        self.resolver = ConfigResolver(self.project.config)
        self.packages = [p.name for p in self.project.config.packages]
        files = {self.project.config.name: self.project.macro_files, **self.project.package_macros}
        self._macro_files = {p for paths in files.values() for p in paths}
        self._macro_templates = {package: [self._template(p) for p in paths] for package, paths in files.items()}
        # Names defined in macro files, known once, so asking "is there a test_x macro?" renders nothing.
        # Read from the syntax tree: evaluating the files could call ref() or var() at top level.
        names = {package: frozenset(self._names_in(paths)) for package, paths in files.items()}
        self.root_macro_names = names[self.project.config.name]
        self.macro_names = frozenset().union(*names.values())
        self._var_functions: dict[str, Callable[..., Any]] = {}
        self._graph: dict[str, Any] | None = None
        self._selected_sorted: tuple[tuple[int, int], list[str]] | None = None

    def _names_in(self, paths: list[Path]) -> list[str]:
        return [macro.name for path in paths
                for macro in self.env.parse(self._load_source(self._name(path))[0]).find_all(jinja2.nodes.Macro)]

    def _name(self, path: Path) -> str:
        return str(path.relative_to(self.project.root)) if path.is_relative_to(self.project.root) else str(path)

    # -- templates ---------------------------------------------------------------------------
    def _load_source(self, name: str) -> tuple[str, str, Callable[[], bool]]:
        file, _, block = name.partition(BLOCK_SEPARATOR)
        path = self.project.root / file
        text = read_utf8(path, file)
        if block:       # one {% snapshot %} block of a file holding several
            return block_source(text, block), str(self.project.root / name), lambda: True
        if path in self._macro_files:
            text = macro_file_source(text)
        return text, str(path), lambda: True

    def _template(self, path: Path) -> jinja2.Template:
        rel = Path(self._name(path)) if path.is_absolute() else path
        try:
            return self.env.get_template(str(rel))
        except jinja2.TemplateSyntaxError as exc:
            raise CompileError(f"Jinja syntax error: {exc.message}", Location(rel, exc.lineno)) from None

    # -- context -------------------------------------------------------------------------------
    def context(self, state: RenderState, final: bool) -> dict[str, Any]:
        """dbt's Jinja context for one render (see `warehouse.compile.context`); a unit test's
        overrides replace names in it."""
        ctx = context_module.build(self, state, final)
        ctx.update(self.overrides)
        return ctx

    def make_macros(self, package: str, scope: Any) -> dict[str, Any]:
        """The macros of one package's files, evaluated against `scope` (so they see ref(), this...)."""
        macros: dict[str, Any] = {}
        for template in self._macro_templates.get(package, []):
            module = template.make_module(vars=scope, shared=True)
            for key in dir(module):
                value = getattr(module, key)
                if isinstance(value, jinja2.runtime.Macro):
                    support_return(value)
                    macros[key] = value
        return macros

    def macro(self, name: str, state: RenderState, package: str | None = None) -> Callable[..., Any] | None:
        """A root-project or package macro by bare name (root first, then packages), or of one
        `package`, e.g. a generic test's `test_x`."""
        if name not in self.macro_names:
            return None
        ctx = self.context(state, final=True)
        if package is not None:
            return getattr(ctx.get(package), name, None) if name in (ctx.get(package) or ()) else None
        if name in ctx and isinstance(ctx[name], jinja2.runtime.Macro):
            return ctx[name]
        for package in self.packages:
            namespace = ctx.get(package)
            if namespace is not None and name in namespace:
                return getattr(namespace, name)
        return None

    def render_expression(self, expression: str, state: RenderState, final: bool) -> str:
        """Render one Jinja expression written in YAML, e.g. relationships' `to: ref('dim_x')`."""
        return self.env.from_string("{{ " + expression + " }}").render(self.context(state, final))

    def render_text(self, text: str, state: RenderState, final: bool = True) -> str:
        """Render a Jinja string (a hook, a sql_header) in a node's context."""
        return self.env.from_string(text).render(self.context(state, final))

    def dispatch_order(self, namespace: str) -> list[str]:
        for entry in self.project.config.project_file.dispatch:
            if entry["macro_namespace"] == namespace:
                return list(entry["search_order"])
        return [self.project.config.name, namespace]

    # -- what the context's functions do -------------------------------------------------------
    def ref(self, state: RenderState, args: tuple, kwargs: dict, final: bool) -> Relation:
        """`ref('model')` or `ref('package', 'model')`: the relation, recorded as a dependency."""
        if not args or len(args) > 2:
            raise CompileError("ref() takes a model name, or a package name and a model name")
        package, name = (None, args[0]) if len(args) == 1 else args
        version = kwargs.get("v", kwargs.get("version"))
        target = resolve_version(self.project, str(name), version) if package is None else None   # latest, or pinned
        if target is None and version is not None:
            raise CompileError(f"ref('{name}', v={version!r}) names no version of a model",
                               hint=f"declare version {version} under versions: of model {name}")
        if target is None:
            target = self.project.by_name(str(name), (NodeType.MODEL, NodeType.SEED, NodeType.SNAPSHOT),
                                          package=package)
        if target is None:
            disabled = next((n for n in self.project.disabled.values() if n.name == name), None)
            if disabled is not None:
                raise CompileError(f"ref('{name}') names {disabled.resource_type} {name}, which is disabled",
                                   hint=f"enable {name} (enabled: true) or remove this ref()")
            names = [n.name for n in self.project.of_type(NodeType.MODEL, NodeType.SEED, NodeType.SNAPSHOT)]
            hint = nearest(str(name), names)
            shown = f"'{package}', '{name}'" if package else f"'{name}'"
            raise CompileError(f"ref({shown}) names no model or seed" + (f" of package {package}" if package else ""),
                               hint=f"did you mean ref('{hint}')?" if hint else None)
        state.refs.append(target.unique_id)
        if final and target.materialized == Materialization.EPHEMERAL:
            state.ephemerals.append(target.unique_id)
            return Relation(None, None, cte_name(target), "cte")
        return self.relation_of(target)

    def relation_of(self, node: Node) -> Relation:
        """The relation as dbt's Jinja sees it; its `type` is what the database holds, which for
        incremental models, seeds and snapshots is a table, and for external models a view."""
        kind = {"view": "view", "table": "table", "incremental": "table", "seed": "table", "snapshot": "table",
                "external": "view"}.get(node.materialized)
        return Relation(node.database or self.project.config.target.database, node.schema, node.identifier, kind)

    def this(self, node: Node) -> Relation | str:
        return self.relation_of(node) if node.resource_type != NodeType.TEST else ""

    def source(self, state: RenderState, source_name: str, table: str) -> Relation:
        node = self.project.source(source_name, table)
        landing = self.project.by_name(table, (NodeType.SEED,))
        if node is None and landing is not None and landing.source_name == source_name:
            node = landing
        if node is not None and node.resource_type == NodeType.SOURCE and source_name == "landing" and \
                (landing is None or landing.source_name != "landing"):
            folders = ", ".join(str(p.relative_to(self.project.root)) if p.is_relative_to(self.project.root)
                                else str(p) for p in self.project.config.landing_paths)
            raise CompileError(f"source('landing', '{table}'): there is no landing file {table}.csv, "
                               f"{table}.parquet or {table}.xlsx in {folders}",
                               hint="a landing table is loaded from the file dropped into the landing folder: "
                                    "that file is missing")
        if node is None:
            known = [f"{n.source_name}.{n.name}" for n in self.project.nodes.values() if n.source_name]
            hint = nearest(f"{source_name}.{table}", known)
            raise CompileError(f"source('{source_name}', '{table}') is not declared",
                               hint=f"did you mean {hint}?" if hint
                               else "declare it under sources: in a properties YAML")
        state.refs.append(node.unique_id)
        external = node.config.get("external_location")
        if external:
            return ExternalRelation(None, node.schema, node.identifier, "external", text=str(external))
        return self.relation_of(node)

    def var_function(self, package: str) -> Callable[..., Any]:
        found = self._var_functions.get(package)
        if found is None:
            found = self._var_functions[package] = _compile_errors(self.resolver.var_function(package))
        return found

    @staticmethod
    def env_var(name: str, default: Any = None) -> Any:
        return _env_var(name, default)

    def model_context(self, node: Node) -> dict[str, Any]:
        """`model` (and the `node` argument of generate_*_name): the node as dbt's Jinja sees it."""
        return {
            "name": node.name, "unique_id": node.unique_id, "resource_type": node.resource_type,
            "package_name": node.package_name or self.project.config.name, "config": node.config,
            "alias": node.identifier, "schema": node.schema,
            "database": node.database or self.project.config.target.database,
            "fqn": [node.package_name or self.project.config.name, *node.fqn], "path": str(node.path),
            "original_file_path": str(node.path), "tags": node.tags, "description": node.description,
            "raw_code": node.raw_sql, "raw_sql": node.raw_sql,
            "columns": {c: {"name": c, "description": col.description,
            "data_type": col.data_type, "meta": col.meta} for c, col in node.columns.items()},
            "depends_on": {"nodes": list(node.depends_on), "macros": []}, "meta": node.config.get("meta") or {},
        }

    def selected_resources(self) -> list[str]:
        """dbt's `selected_resources`, sorted once per selection rather than once per render."""
        key = (id(self.selected), len(self.selected))
        if self._selected_sorted is None or self._selected_sorted[0] != key:
            self._selected_sorted = (key, sorted(self.selected))
        return self._selected_sorted[1]

    def graph_context(self) -> dict[str, Any]:
        if self._graph is None:
            nodes = {uid: self.model_context(n) for uid, n in self.project.nodes.items()
                     if n.resource_type != NodeType.SOURCE}
            sources = {uid: {**self.model_context(n), "source_name": n.source_name, "identifier": n.identifier}
                       for uid, n in self.project.nodes.items() if n.resource_type == NodeType.SOURCE}
            self._graph = {"nodes": nodes, "sources": sources, "exposures": {}, "metrics": {}, "groups": {},
                           "semantic_models": {}, "saved_queries": {}, "unit_tests": {}}
        return self._graph

    def doc(self, name: str, package: str | None = None) -> str:
        if name not in self.project.docs:
            raise CompileError(f"doc('{name}'): no {{% docs {name} %}} block in the docs paths")
        return self.project.docs[name]

    def log(self, message: Any, info: bool = False) -> str:
        if info:
            self.on_log(str(message))
        return ""

    @staticmethod
    def print(message: Any) -> str:
        print(message, flush=True)
        return ""

    def warn(self, message: str) -> None:
        self.on_log(f"warning: {message}")

    return_function = staticmethod(lambda value: macro_return(value))

    def is_incremental(self, node: Node) -> bool:
        return node.materialized == Materialization.INCREMENTAL and not self.full_refresh and self.relation_exists(node)

    # -- rendering -----------------------------------------------------------------------------
    def render(self, node: Node, final: bool, template_path: Path | None = None) -> RenderState:
        """Render a node's SQL file; every failure becomes a CompileError naming file and line."""
        state = RenderState(node)
        path = template_path or node.path
        template = self._template(path)
        try:
            state.sql = template.render(self.context(state, final))
        except WarehouseError as exc:
            exc.location = Location(path, _template_line(exc, path), node=node.name)
            raise type(exc)(exc.message, exc.location, exc.hint) from None
        except jinja2.TemplateError as exc:
            where = Location(path, _template_line(exc, path), node=node.name)
            raise CompileError(f"Jinja error: {exc}", where) from None
        except Exception as exc:  # noqa: BLE001 - any error in user Jinja is the user's to fix
            raise CompileError(f"{type(exc).__name__} while rendering: {exc}",
                               Location(path, _template_line(exc, path), node=node.name)) from None
        return state

    def render_node(self, node: Node, final: bool) -> RenderState:
        """Render a model or snapshot: a snapshot is one block of its file, or YAML's `relation:`."""
        if node.resource_type != NodeType.SNAPSHOT:
            return self.render(node, final)
        if node.config.get("__relation"):
            state = RenderState(node)
            try:
                state.sql = "select * from " + str(self.render_expression(node.config["__relation"], state, final))
            except WarehouseError as exc:
                raise type(exc)(exc.message, Location(node.path, node.config.get("__line"), node=node.name),
                                exc.hint) from None
            return state
        return self.render(node, final, Path(node.config["__block"]))

    def compile_node(self, node: Node) -> str:
        """The SQL that runs for `node`, with ephemeral upstream models inlined as CTEs."""
        state = self.render_node(node, final=True)
        return with_ctes(state.sql, self._ephemeral_ctes(state.ephemerals, set()))

    def ephemeral_ctes(self, unique_ids: list[str]) -> list[tuple[str, str]]:
        """The CTEs that inline these ephemeral models (and the ephemeral models they read)."""
        return self._ephemeral_ctes(unique_ids, set())

    def _ephemeral_ctes(self, unique_ids: list[str], seen: set[str]) -> list[tuple[str, str]]:
        """Depth first, each model after the ephemeral models it reads; with a stack of its own,
        not Python's, so a chain of 1,500 ephemeral models is no RecursionError."""
        ctes: list[tuple[str, str]] = []
        stack: list[tuple[Iterator[str], tuple[str, str] | None]] = [(iter(dict.fromkeys(unique_ids)), None)]
        while stack:
            upstream, cte = stack[-1]
            uid = next((u for u in upstream if u not in seen), None)
            if uid is None:
                stack.pop()
                if cte is not None:
                    ctes.append(cte)
                continue
            seen.add(uid)
            node = self.project.nodes[uid]
            state = self.render(node, final=True)
            stack.append((iter(dict.fromkeys(state.ephemerals)), (cte_name(node), state.sql.strip().rstrip(";"))))
        return ctes


def _template_line(exc: BaseException, path: Path) -> int | None:
    """The line in the user's template where rendering failed, from the traceback."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return exc.lineno
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith(str(path)):
            line = frame.lineno
    return line


def _env_var(name: str, default: Any = None) -> Any:
    """dbt's env_var() in a template: the project file's reading of it, its error a compile error."""
    return _compile_errors(env_var)(name, default)


def _compile_errors(function: Callable[..., Any]) -> Callable[..., Any]:
    """var() raises ProjectError from the resolver; in a template it is a compile error."""
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except ProjectError as exc:
            raise CompileError(exc.message, hint=exc.hint) from None
    return call
