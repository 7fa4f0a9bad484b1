"""Compile: render each model's Jinja into the SQL that will run.

Two passes, as in dbt. `parse` renders every model once to learn its `ref()`/`source()`
dependencies and `config()` calls; `compile_node` renders it again with real relation
names, `this` and `is_incremental()`, and inlines ephemeral models as CTEs. Compiled SQL
is written to `target/compiled/` so users can read exactly what ran.
"""
from __future__ import annotations

import os
import re
import traceback
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import jinja2

from warehouse.compile.cache import JinjaBytecodeCache
from warehouse.core.errors import CompileError, Location, WarehouseError
from warehouse.project.nodes import Node
from warehouse.project.loader import Project
from warehouse.core.relation import quote_relation
from warehouse.core.yamlio import nearest

_TEST_BLOCK = re.compile(r"{%(-?)\s*test\s+(\w+)\s*\(")
_END_TEST = re.compile(r"{%(-?)\s*endtest\s*(-?)%}")


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
    """Renders models, tests and macros of one project. `vars` overrides the project's vars."""

    project: Project
    vars: dict[str, Any] = field(default_factory=dict)
    relation_exists: Callable[[Node], bool] = lambda node: False
    full_refresh: bool = False
    run_started_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))

    def __post_init__(self) -> None:
        self.env = jinja2.Environment(
            loader=jinja2.FunctionLoader(self._load_source), undefined=jinja2.StrictUndefined,
            extensions=["jinja2.ext.do", "jinja2.ext.loopcontrols"], keep_trailing_newline=True,
            # Every template is rendered twice (parse, then compile): Jinja's default cache of 400
            # templates evicted each one before its second render in larger projects.
            cache_size=-1, bytecode_cache=JinjaBytecodeCache(self.project.config.target_path),
        )
        self._macro_templates = [self._template(p) for p in self.project.macro_files]
        # Names defined in macros/, known once, so asking "is there a test_x macro?" renders nothing.
        # Read from the syntax tree: evaluating the files could call ref() or var() at top level.
        self.macro_names = frozenset(
            macro.name for path in self.project.macro_files
            for macro in self.env.parse(self._load_source(str(path.relative_to(self.project.root)))[0])
            .find_all(jinja2.nodes.Macro))

    # -- templates ---------------------------------------------------------------------------
    def _load_source(self, name: str) -> tuple[str, str, Callable[[], bool]]:
        path = self.project.root / name
        text = path.read_text(encoding="utf-8")
        if path in self.project.macro_files:
            text = _END_TEST.sub(r"{%\1 endmacro \2%}", _TEST_BLOCK.sub(r"{%\1 macro test_\2(", text))
        return text, str(path), lambda: True

    def _template(self, path: Path) -> jinja2.Template:
        rel = path.relative_to(self.project.root) if path.is_absolute() else path
        try:
            return self.env.get_template(str(rel))
        except jinja2.TemplateSyntaxError as exc:
            raise CompileError(f"Jinja syntax error: {exc.message}", Location(rel, exc.lineno)) from None

    # -- context -------------------------------------------------------------------------------
    def context(self, state: RenderState, final: bool) -> dict[str, Any]:
        """The names a model's Jinja can use; macros share it so they can call ref() too."""
        node = state.node
        ctx: dict[str, Any] = dict(self.env.globals)
        ctx.update(
            ref=lambda name, *rest: self._ref(state, name, final),
            source=lambda src, table: self._source(state, src, table),
            config=lambda *args, **kwargs: self._config(state, args, kwargs),
            var=self._var, env_var=_env_var,
            this=quote_relation(node.schema, node.identifier) if node.resource_type != "test" else "",
            is_incremental=lambda: final and self._is_incremental(node),
            target={"name": "default", "schema": "main", "type": "duckdb", "threads": self.project.config.threads},
            run_started_at=self.run_started_at, project_name=self.project.config.name,
            model={"name": node.name, "unique_id": node.unique_id, "config": node.config},
            log=lambda *a, **k: "", exceptions={"raise_compiler_error": _raise_compiler_error},
            modules={"datetime": __import__("datetime"), "re": re},
        )
        ctx["return"] = _macro_return
        for template in self._macro_templates:
            module = template.make_module(vars=ctx, shared=True)
            macros = {k: getattr(module, k) for k in dir(module) if isinstance(getattr(module, k), jinja2.runtime.Macro)}
            for macro in macros.values():
                _support_return(macro)
            ctx.update(macros)
        return ctx

    def macro(self, name: str, state: RenderState) -> Callable[..., Any] | None:
        return self.context(state, final=True).get(name) if name in self.macro_names else None

    def render_expression(self, expression: str, state: RenderState, final: bool) -> str:
        """Render one Jinja expression written in YAML, e.g. relationships' `to: ref('dim_x')`."""
        return self.env.from_string("{{ " + expression + " }}").render(self.context(state, final))

    def _ref(self, state: RenderState, name: str, final: bool) -> str:
        target = self.project.by_name(name, ("model", "seed"))
        if target is None:
            names = [n.name for n in self.project.of_type("model", "seed")]
            hint = nearest(name, names)
            raise CompileError(f"ref('{name}') names no model or seed",
                               hint=f"did you mean ref('{hint}')?" if hint else None)
        state.refs.append(target.unique_id)
        if final and target.materialized == "ephemeral":
            state.ephemerals.append(target.unique_id)
            return _cte_name(target)
        return quote_relation(target.schema, target.identifier)

    def _source(self, state: RenderState, source_name: str, table: str) -> str:
        node = self.project.nodes.get(f"source.{source_name}.{table}")
        landing = self.project.by_name(table, ("seed",))
        if node is None and landing is not None and landing.source_name == source_name:
            node = landing
        if node is None:
            known = [f"{n.source_name}.{n.name}" for n in self.project.nodes.values() if n.source_name]
            hint = nearest(f"{source_name}.{table}", known)
            raise CompileError(f"source('{source_name}', '{table}') is not declared",
                               hint=f"did you mean {hint}?" if hint else "declare it under sources: in a properties YAML")
        state.refs.append(node.unique_id)
        return quote_relation(node.schema, node.identifier)

    def _config(self, state: RenderState, args: tuple, kwargs: dict) -> str:
        if args and isinstance(args[0], dict):
            kwargs = {**args[0], **kwargs}
        state.config.update(kwargs)
        return ""

    def _var(self, name: str, default: Any = jinja2.Undefined) -> Any:
        merged = {**self.project.config.vars, **self.vars}
        if name in merged:
            return merged[name]
        if default is not jinja2.Undefined:
            return default
        raise CompileError(f"var('{name}') is not defined",
                           hint="set it under vars: in warehouse.yml or pass --vars '{\"%s\": ...}'" % name)

    def _is_incremental(self, node: Node) -> bool:
        return node.materialized == "incremental" and not self.full_refresh and self.relation_exists(node)

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
            raise CompileError(f"Jinja error: {exc}", Location(path, _template_line(exc, path), node=node.name)) from None
        except Exception as exc:  # noqa: BLE001 - any error in user Jinja is the user's to fix
            raise CompileError(f"{type(exc).__name__} while rendering: {exc}",
                               Location(path, _template_line(exc, path), node=node.name)) from None
        return state

    def compile_node(self, node: Node) -> str:
        """The SQL that runs for `node`, with ephemeral upstream models inlined as CTEs."""
        state = self.render(node, final=True)
        return with_ctes(state.sql, self._ephemeral_ctes(state.ephemerals, set()))

    def _ephemeral_ctes(self, unique_ids: list[str], seen: set[str]) -> list[tuple[str, str]]:
        ctes: list[tuple[str, str]] = []
        for uid in dict.fromkeys(unique_ids):
            if uid in seen:
                continue
            seen.add(uid)
            node = self.project.nodes[uid]
            state = self.render(node, final=True)
            ctes += self._ephemeral_ctes(state.ephemerals, seen)
            ctes.append((_cte_name(node), state.sql.strip().rstrip(";")))
        return ctes


def parse(project: Project, compiler: Compiler) -> None:
    """First pass: record every model's dependencies and merge its config() calls."""
    for node in project.of_type("model"):
        state = compiler.render(node, final=False)
        node.config.update(state.config)
        node.depends_on = list(dict.fromkeys(state.refs))
    for node in project.of_type("test"):
        if node.test_metadata and node.test_metadata.get("kind") == "singular":
            state = compiler.render(node, final=False)
            node.config.update(state.config)
            node.depends_on = list(dict.fromkeys(state.refs))


def with_ctes(sql: str, ctes: list[tuple[str, str]]) -> str:
    """Prepend CTEs to a query, merging with its own WITH clause when it has one."""
    if not ctes:
        return sql
    body = ",\n".join(f"{name} as (\n{query}\n)" for name, query in ctes)
    stripped = _strip_leading_comments(sql)
    match = re.match(r"with\s+(?!recursive\b)", stripped, re.IGNORECASE)
    if match:
        return f"with {body},\n{stripped[match.end():]}"
    return f"with {body}\nselect * from (\n{sql.strip().rstrip(';')}\n) as __model"


def write_compiled(project: Project, node: Node, sql: str) -> Path:
    """Write compiled SQL under target/compiled/, mirroring the source path."""
    out = project.config.target_path / "compiled" / (node.path if node.path else Path(node.name + ".sql"))
    if out.suffix != ".sql":
        out = out.with_name(f"{node.name}.sql")
    if out.is_file() and out.read_text(encoding="utf-8") == sql:
        return out          # unchanged: reading is cheaper than rewriting, and keeps its time stamp
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(sql, encoding="utf-8")
    return out


def _strip_leading_comments(sql: str) -> str:
    return re.sub(r"^(\s*(--[^\n]*\n|/\*.*?\*/))*\s*", "", sql, flags=re.DOTALL)


def _cte_name(node: Node) -> str:
    return f"__ephemeral_{node.name}"


def _template_line(exc: BaseException, path: Path) -> int | None:
    """The line in the user's template where rendering failed, from the traceback."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return exc.lineno
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith(str(path)):
            line = frame.lineno
    return line


class _MacroReturn(Exception):
    """dbt's `{{ return(value) }}`: leave the macro with a value instead of rendered text."""

    def __init__(self, value: Any):
        self.value = value


def _macro_return(value: Any) -> None:
    raise _MacroReturn(value)


def _support_return(macro: jinja2.runtime.Macro) -> None:
    """Let `return()` end this macro with a value. The Macro object itself is patched (not a
    wrapper put in its place) because macros of the same file call each other directly."""
    body = macro._func

    def call(*args: Any) -> Any:
        try:
            return body(*args)
        except _MacroReturn as returned:
            return returned.value

    macro._func = call


def _env_var(name: str, default: Any = None) -> Any:
    if name in os.environ:
        return os.environ[name]
    if default is not None:
        return default
    raise CompileError(f"env_var('{name}') is not set and has no default")


def _raise_compiler_error(message: str) -> None:
    raise CompileError(message)
