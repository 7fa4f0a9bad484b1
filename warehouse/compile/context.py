"""dbt's Jinja context for one render: what a model, test, hook or macro can call.

Built per render because `this`, `model`, `ref()` bookkeeping and `execute` belong to one
node and one pass. Macros are namespaced as in dbt: the root project's macros by bare name,
each installed package's as `<package>.<macro>` (and by bare name inside that package),
dbt's own cross-database macros as `dbt.<macro>` and by bare name. `adapter.dispatch` follows
the project's `dispatch:` search order, then the root project, then the macro's package.
"""
from __future__ import annotations

import collections
import uuid
from typing import TYPE_CHECKING, Any, Callable

import jinja2

from warehouse.compile import crossdb
from warehouse.compile.dbt_context import (
    Column, Exceptions, Flags, Namespace, Relation, Table, pure_functions,
)
from warehouse.core.errors import CompileError
from warehouse.core.yamlio import nearest
from warehouse.project.nodes import NODE_CONFIG_KEYS

if TYPE_CHECKING:
    from warehouse.compile.compiler import Compiler, RenderState

SQL_DIALECT_PREFIX = "duckdb"   # models are DuckDB SQL whatever the engine (others transpile)
INTERNAL = "dbt"


class Config:
    """`config`: callable to set configs (`config(materialized='table')`), `.get` / `.require` to read."""

    def __init__(self, state: "RenderState"):
        self._state = state

    def __call__(self, *args: Any, **kwargs: Any) -> str:
        if args and isinstance(args[0], dict):
            kwargs = {**args[0], **kwargs}
        for key in kwargs:          # a typo is refused, as in YAML; other custom keys are kept (dbt)
            name = str(key).replace("-", "_")
            hint = None if name in NODE_CONFIG_KEYS else nearest(name, NODE_CONFIG_KEYS, cutoff=0.8)
            if hint:
                raise CompileError(f"unknown config key '{key}' in config()", hint=f"did you mean '{hint}'?")
        self._state.config.update(kwargs)
        return ""

    def _merged(self) -> dict[str, Any]:
        return {**self._state.node.config, **self._state.config}

    def get(self, key: str, default: Any = None, validator: Any = None) -> Any:
        return self._merged().get(key, default)

    def require(self, key: str, validator: Any = None) -> Any:
        merged = self._merged()
        if key not in merged:
            raise CompileError(f"config '{key}' is required for {self._state.node.name}")
        return merged[key]

    def set(self, key: str, value: Any) -> str:
        self._state.config[key] = value
        return ""

    def persist_relation_docs(self) -> bool:
        return bool((self._merged().get("persist_docs") or {}).get("relation"))

    def persist_column_docs(self) -> bool:
        return bool((self._merged().get("persist_docs") or {}).get("columns"))


class Adapter:
    """`adapter`: dispatch, quoting, and catalog calls through the engine (only when executing)."""

    def __init__(self, compiler: "Compiler", macros: Callable[[str], dict[str, Any]], executing: bool):
        self._compiler = compiler
        self._macros = macros
        self._executing = executing

    # -- dispatch --------------------------------------------------------------------------
    def dispatch(self, macro_name: str, macro_namespace: str | None = None, packages: Any = None) -> Callable:
        if "." in macro_name:
            namespace, _, name = macro_name.partition(".")
            raise CompileError(f"adapter.dispatch got '{macro_name}': '.' is not part of a macro name",
                               hint=f"adapter.dispatch('{name}', macro_namespace='{namespace}')")
        root = self._compiler.project.config.name
        order = self._compiler.dispatch_order(macro_namespace) if macro_namespace else [root, INTERNAL]
        tried = []
        for package in order:
            members = self._macros(package)
            for prefix in (SQL_DIALECT_PREFIX, "default"):
                candidate = f"{prefix}__{macro_name}"
                tried.append(f"{package}.{candidate}")
                if candidate in members:
                    return members[candidate]
            if package == INTERNAL and macro_name in crossdb.MACROS:
                return crossdb.MACROS[macro_name]
        raise CompileError(f"adapter.dispatch found no implementation of '{macro_name}'",
                           hint="looked for " + ", ".join(tried))

    # -- names -----------------------------------------------------------------------------
    @staticmethod
    def quote(identifier: str) -> str:
        return '"' + str(identifier).replace('"', '""') + '"'

    @staticmethod
    def quote_as_configured(identifier: str, quote_key: str = "identifier") -> str:
        return str(identifier)

    @staticmethod
    def type() -> str:
        return SQL_DIALECT_PREFIX

    # -- catalog (needs the engine) --------------------------------------------------------
    def _engine(self) -> Any:
        return self._compiler.engine if self._executing else None

    def get_relation(self, database: str | None = None, schema: str | None = None,
                     identifier: str | None = None) -> Relation | None:
        engine = self._engine()
        if engine is None or schema is None or identifier is None:
            return None
        kind = engine.relation_type(schema, identifier)
        return Relation(database, schema, identifier, kind) if kind else None

    def load_relation(self, relation: Relation) -> Relation | None:
        return self.get_relation(relation.database, relation.schema, relation.identifier)

    def get_columns_in_relation(self, relation: Any) -> list[Column]:
        engine = self._engine()
        if engine is None or not isinstance(relation, Relation) or relation.schema is None:
            return []
        return [Column(name, str(dtype)) for name, dtype in engine.columns(relation.schema, relation.identifier)]

    def check_schema_exists(self, database: str | None, schema: str) -> bool:
        engine = self._engine()
        return bool(engine and schema in self.list_schemas(database))

    def list_schemas(self, database: str | None = None) -> list[str]:
        engine = self._engine()
        if engine is None:
            return []
        return sorted({s for (s, _name) in engine.catalog()})

    def list_relations_without_caching(self, schema_relation: Relation) -> list[Relation]:
        engine = self._engine()
        if engine is None:
            return []
        return [Relation(schema_relation.database, s, n, engine.relation_type(s, n))
                for (s, n) in engine.catalog() if s == schema_relation.schema]

    def drop_relation(self, relation: Relation) -> str:
        engine = self._engine()
        if engine is not None and relation.schema and relation.identifier:
            engine.drop_relation(relation.schema, relation.identifier)
        return ""

    def create_schema(self, relation: Relation) -> str:
        engine = self._engine()
        if engine is not None and relation.schema:
            engine.ensure_schema(relation.schema)
        return ""

    def drop_schema(self, relation: Relation) -> str:
        engine = self._engine()
        if engine is not None and relation.schema:
            engine.execute(f"drop schema if exists {Adapter.quote(relation.schema)} cascade")
        return ""

    def already_exists(self, schema: str, name: str) -> bool:
        return self.get_relation(None, schema, name) is not None

    def expand_target_column_types(self, *args: Any, **kwargs: Any) -> str:
        return ""

    def get_missing_columns(self, from_relation: Relation, to_relation: Relation) -> list[Column]:
        present = {c.name.lower() for c in self.get_columns_in_relation(to_relation)}
        return [c for c in self.get_columns_in_relation(from_relation) if c.name.lower() not in present]

    def commit(self) -> str:
        return ""


def build(compiler: "Compiler", state: "RenderState", final: bool) -> dict[str, Any]:
    """The context of one render of `state.node` (first pass: final=False, execute stays false)."""
    node = state.node
    project = compiler.project
    executing = final and compiler.engine is not None
    root = project.config.name
    package = node.package_name or root
    ctx: dict[str, Any] = dict(compiler.env.globals)
    ctx.update(pure_functions())
    ctx.update(crossdb.MACROS)
    namespaces: dict[str, dict[str, Any]] = {}

    def macros_of(name: str) -> dict[str, Any]:
        if name == INTERNAL:
            return dict(crossdb.MACROS)
        return namespaces.get(name, {})

    ctx.update(_statements(compiler, executing))
    ctx.update(
        ref=lambda *args, **kwargs: compiler.ref(state, args, kwargs, final),
        source=lambda src, table: compiler.source(state, src, table),
        config=Config(state), var=compiler.var_function(package), env_var=compiler.env_var,
        this=compiler.this(node), is_incremental=lambda: final and compiler.is_incremental(node),
        target=project.config.target.context(), run_started_at=compiler.run_started_at,
        invocation_id=compiler.invocation_id, project_name=root, model=compiler.model_context(node),
        execute=executing, log=compiler.log, print=compiler.print, exceptions=Exceptions(compiler.warn),
        graph=compiler.graph_context(), selected_resources=compiler.selected_resources(),
        flags=Flags({"full_refresh": compiler.full_refresh, "which": compiler.command,
                     **project.config.project_file.flags}),
        doc=compiler.doc, adapter=Adapter(compiler, macros_of, executing),
        database=project.config.target.database, schema=project.config.target.schema,
    )
    ctx[INTERNAL] = Namespace(INTERNAL, crossdb.MACROS)
    ctx["return"] = compiler.return_function
    # Root macros first, bare; then each package as a namespace (its own macros bare inside it).
    namespaces[root] = compiler.make_macros(root, ctx)
    ctx.update(namespaces[root])
    for other in compiler.packages:
        scope = collections.ChainMap({}, ctx)
        namespaces[other] = compiler.make_macros(other, scope)
        scope.maps[0].update(namespaces[other])
        ctx[other] = Namespace(other, namespaces[other])
    ctx[root] = Namespace(root, namespaces[root])
    if package != root:
        ctx.update(namespaces.get(package, {}))
        ctx.update({k: v for k, v in namespaces[root].items() if k.startswith("generate_")})
    return ctx


def _statements(compiler: "Compiler", executing: bool) -> dict[str, Any]:
    """dbt's `run_query`, `{% call statement(name) %}` and `load_result`, sharing one render's
    stored results. They run SQL only when executing: the first pass renders without a database."""
    results: dict[str, dict[str, Any]] = {}

    def run_sql(sql: str) -> Table | None:
        if not executing:
            return None
        names, rows = compiler.engine.query(str(sql))
        return Table(list(names), [tuple(r) for r in rows])

    def statement(name: str | None = None, fetch_result: bool = False, auto_begin: bool = True,
                  language: str = "sql", caller: Any = None) -> str:
        sql = caller() if caller is not None else ""
        table = run_sql(sql)
        if name and table is not None:
            results[name] = {"data": [tuple(r) for r in table.rows] if fetch_result else [],
                             "table": table if fetch_result else None,
                             "response": {"_message": "OK", "rows_affected": len(table)}}
        return ""

    return {"run_query": run_sql, "statement": statement, "load_result": lambda name: results.get(name)}


def new_invocation_id() -> str:
    return str(uuid.uuid4())


__all__ = ["build", "Adapter", "Config", "new_invocation_id", "jinja2"]
