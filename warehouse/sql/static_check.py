"""Static checks on compiled models, before anything runs.

The engine calls `analyze` after compiling every model and before executing any SQL. Models
arrive in dependency order; each is parsed and qualified by sqlglot (DuckDB dialect) against
a schema holding the relations' columns (seeds, sources, landing tables) and the *output
columns of the models already analysed*, so one model's projections become the next model's
schema without touching the database.

What comes out:
- diagnostics, each located in the model's raw Jinja file rather than in the rendered SQL
  (see `sourcemap`). Errors: unknown_table, unknown_column, ambiguous_column,
  select_star_in_mart, parse_error. Warnings: undocumented_missing (a YAML column the model
  does not produce) and analysis_skipped (valid-looking SQL that sqlglot cannot analyse,
  e.g. DuckDB's PIVOT statement: a gap in the tool is not the user's error);
- each model's output columns, in order;
- each output column's direct parents among upstream nodes' columns (see `lineage`).

Unknown is not wrong: when a model cannot be parsed, or selects `*` from something whose
columns are unknown, its columns stay unknown and the models reading it are checked
leniently (sqlglot leaves their columns unqualified and we stay silent), so one broken model
yields one diagnostic, not a flood.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, astuple, dataclass, field
from pathlib import Path
from typing import Any, Protocol

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, SqlglotError, TokenError
from sqlglot.optimizer.qualify import qualify
from sqlglot.optimizer.resolver import Resolver
from sqlglot.optimizer.scope import Scope, build_scope, find_all_in_scope
from sqlglot.schema import MappingSchema

from warehouse.core.errors import ErrorList
from warehouse.sql.lineage import column_parents
from warehouse.sql.sourcemap import Diagnostic, Reporter, did_you_mean

__all__ = ["Analysis", "Diagnostic", "Relation", "SqlModel", "analyze"]

DIALECT = "duckdb"
# Columns DuckDB provides on every table without declaring them.
PSEUDOCOLUMNS = frozenset({"rowid"})
# Model outputs are registered without types: typing them would cost a full annotation pass.
UNKNOWN_TYPE = "UNKNOWN"


@dataclass(frozen=True)
class Relation:
    """A seed, source or landing table whose columns are known from YAML or loading."""

    name: str
    schema: str
    columns: dict[str, str]  # column -> DuckDB type, in table order
    identifier: str | None = None  # the relation's name in the database, when not `name` (an alias)


@dataclass(frozen=True)
class SqlModel:
    """A compiled model as the engine hands it over."""

    name: str
    schema: str
    path: Path
    raw_sql: str
    compiled_sql: str
    documented_columns: tuple[str, ...]
    layer: str
    static_check: bool = True
    identifier: str | None = None  # the relation's name in the database, when not `name` (an alias)


@dataclass
class Analysis:
    """Everything `analyze` learnt. Models whose columns are unknown are absent from `columns`."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    columns: dict[str, list[str]] = field(default_factory=dict)
    lineage: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    relations: dict[str, list[str]] = field(default_factory=dict)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    def raise_for_errors(self) -> None:
        """Raise every error at once (warnings never raise)."""
        if self.errors:
            raise ErrorList([d.to_error() for d in self.errors])


class ResultStore(Protocol):
    """Where analysed models are remembered between runs (see `warehouse.compile.cache`)."""

    def get(self, key: str) -> Any | None: ...
    def put(self, key: str, value: Any) -> None: ...


def analyze(models: list[SqlModel], relations: list[Relation], cache: ResultStore | None = None) -> Analysis:
    """Check `models` (in dependency order) against `relations` and each other.

    With a `cache`, a model whose inputs are unchanged is not analysed again. Its key holds
    everything the analysis reads: the model (compiled SQL, raw SQL, documented columns, ...)
    and the catalog as it stands when the model's turn comes (every relation and every model
    output added before it, every declared name), as a running checksum."""
    catalog = _Catalog()
    analysis = Analysis(relations={r.name: list(r.columns) for r in relations})
    for relation in relations:
        catalog.add(relation.schema, relation.name, relation.columns, relation.identifier)
    for model in models:  # known to exist before their columns are: self-references, cycles
        catalog.declare(model.schema, model.name, model.identifier)
    state = _digest(sqlglot.__version__, [(r.schema, r.name, r.identifier, list(r.columns.items())) for r in relations],
                    [(m.schema, m.name, m.identifier) for m in models])
    for model in models:
        key = _digest(state, astuple(model)) if cache is not None else ""
        cached = cache.get(key) if cache is not None else None
        result = _ModelResult.from_json(cached) if cached is not None else _analyze_model(model, catalog)
        if cache is not None and cached is None:
            cache.put(key, {"model": model.name, **result.to_json()})
        if result.columns is not None and result.exact:
            state = _digest(state, model.schema, model.name, result.columns)
        if model.static_check:
            analysis.diagnostics.extend(result.diagnostics)
        analysis.lineage[model.name] = result.lineage
        if result.columns is not None:
            analysis.columns[model.name] = result.columns
            if result.exact:
                catalog.add(model.schema, model.name, dict.fromkeys(result.columns, UNKNOWN_TYPE), model.identifier)
    return analysis


class _Catalog:
    """Every node a model may select from: its columns for sqlglot, its name for lineage.

    Lives for one `analyze` call; it grows as models are analysed.
    """

    def __init__(self) -> None:
        self._schema = MappingSchema(dialect=DIALECT)
        self._pending: list[tuple[str, str, dict[str, str]]] = []
        self._by_key: dict[tuple[str, str], str] = {}
        self._by_name: dict[str, list[str]] = {}
        self._spelling: dict[str, dict[str, str]] = {}

    def declare(self, schema: str, name: str, identifier: str | None = None) -> None:
        relation = identifier or name
        key = (schema.lower(), relation.lower())
        if key not in self._by_key:
            self._by_key[key] = name
            self._by_name.setdefault(relation.lower(), []).append(name)

    def add(self, schema: str, name: str, columns: dict[str, str], identifier: str | None = None) -> None:
        self.declare(schema, name, identifier)
        if columns:
            self._pending.append((schema, identifier or name, columns))
            self._spelling[name] = {c.lower(): c for c in columns}

    @property
    def schema(self) -> MappingSchema:
        """sqlglot's schema, filled only when a model is really analysed: with every model's
        result cached, building it would cost more than everything else."""
        for schema, name, columns in self._pending:
            self._schema.add_table(exp.table_(name, db=schema, quoted=True), columns)
        self._pending.clear()
        return self._schema

    def node_for(self, table: exp.Table) -> str | None:
        """The node a table reference means; a bare name counts when it is unambiguous."""
        if table.db:
            return self._by_key.get((table.db.lower(), table.name.lower()))
        matches = self._by_name.get(table.name.lower(), [])
        return matches[0] if len(matches) == 1 else None

    def spell(self, parent: str) -> str:
        """`node.column` with the column spelt as the node declares it."""
        node, _, column = parent.partition(".")
        return f"{node}.{self._spelling.get(node, {}).get(column.lower(), column)}"

    def table_names(self) -> list[str]:
        return [f"{schema}.{relation}" for (schema, relation) in self._by_key]


@dataclass
class _ModelResult:
    diagnostics: list[Diagnostic]
    columns: list[str] | None = None  # None: unknown
    exact: bool = False  # whether DuckDB will name the columns exactly so
    lineage: dict[str, list[str]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"diagnostics": [{**asdict(d), "path": str(d.path)} for d in self.diagnostics],
                "columns": self.columns, "exact": self.exact, "lineage": self.lineage}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> _ModelResult:
        diagnostics = [Diagnostic(**{**d, "path": Path(d["path"])}) for d in data["diagnostics"]]
        return cls(diagnostics, data["columns"], data["exact"], data["lineage"])


def _digest(*parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, default=str, separators=(",", ":")).encode()).hexdigest()


def _analyze_model(model: SqlModel, catalog: _Catalog) -> _ModelResult:
    report = Reporter(model.name, model.path, model.raw_sql, model.compiled_sql)
    result = _ModelResult(report.diagnostics)
    expression = _parse(model, report)
    if expression is None:
        return result
    if model.layer == "marts":
        _check_select_star(expression, report)
    names = _OutputNames.read(expression)
    root = _qualify(expression, catalog, report)
    if root is None:
        return result
    for scope in root.traverse():
        _check_scope(scope, catalog, report)
    for column in report.flagged:  # sqlglot's lineage stumbles on them: they add nothing
        column.replace(exp.null())
    result.lineage = {names.spell(c): [catalog.spell(parent) for parent in p]
                      for c, p in column_parents(root, catalog).items()}
    query = root.expression
    if names.known and not any(select.is_star for select in query.selects):
        result.columns = [names.spell(c) for c in query.named_selects]
        result.exact = names.exact
        _check_documented(model, result.columns, report)
    return result


def _qualify(expression: exp.Query, catalog: _Catalog, report: Reporter) -> Scope | None:
    """The qualified query's root scope, or None (reported) when sqlglot cannot qualify it."""
    _attribute_to_sole_unknown_source(expression, catalog)
    try:
        qualified = qualify(
            expression,
            dialect=DIALECT,
            schema=catalog.schema,
            validate_qualify_columns=False,  # we validate ourselves, reporting every problem
            allow_partial_qualification=True,
            identify=False,
        )
        root = build_scope(qualified)
    except Exception as error:  # noqa: BLE001 - a sqlglot gap must not stop the build
        report.skipped(error)
        return None
    if root is None:
        report.skipped("not a query sqlglot can scope")
    return root


def _parse(model: SqlModel, report: Reporter) -> exp.Query | None:
    try:
        statements = [s for s in sqlglot.parse(model.compiled_sql, dialect=DIALECT) if s]
    except ParseError as error:
        report.parse_error(error)
        return None
    except TokenError as error:
        report.add("parse_error", f"cannot tokenize the SQL: {error}", offset=error.end)
        return None
    if len(statements) != 1:
        report.add("parse_error", f"expected one SELECT statement, found {len(statements)}")
        return None
    if not isinstance(statements[0], exp.Query):
        report.skipped(f"{statements[0].key.upper()} is not a query sqlglot can analyse")
        return None
    return statements[0]


def _attribute_to_sole_unknown_source(query: exp.Query, catalog: _Catalog) -> None:
    """Qualify columns of a SELECT whose only source is a table of unknown columns.

    sqlglot refuses to qualify a correlated subquery over an unknown table (the column might
    come from outside), which is exactly dbt's incremental filter,
    `where ts > (select max(ts) from {{ this }})`. SQL resolves a name in the innermost scope
    first, so the sole source is the database's answer too whenever it has the column.
    """
    ctes = {cte.alias_or_name.lower() for cte in query.find_all(exp.CTE)}
    for select in query.find_all(exp.Select):
        source = select.args.get("from_")
        table = source.this if source else None
        if select.args.get("joins") or not isinstance(table, exp.Table) or not isinstance(table.this, exp.Identifier):
            continue
        if table.name.lower() in ctes or catalog.schema.find(table, raise_on_missing=False) is not None:
            continue
        alias = table.alias_or_name
        for node in select.walk(prune=lambda n: n is not select and isinstance(n, (exp.Query, exp.Lambda))):
            if isinstance(node, exp.Column) and not node.table and not isinstance(node.this, exp.Star):
                node.set("table", exp.to_identifier(alias))


@dataclass(frozen=True)
class _OutputNames:
    """The model's output names as written (sqlglot lowercases them; DuckDB keeps case)."""

    spelling: dict[str, str]
    known: bool  # False when a star or COLUMNS(...) depends on something unknown
    exact: bool  # False when DuckDB names an unaliased expression its own way

    @classmethod
    def read(cls, query: exp.Query) -> _OutputNames:
        selects = query.selects
        exact = all(isinstance(s, (exp.Alias, exp.Column, exp.Star)) for s in selects)
        dynamic = any(s.find(exp.Columns) for s in selects)
        names = [s.alias_or_name for s in selects if s.alias_or_name]
        return cls({n.lower(): n for n in names}, not dynamic, exact)

    def spell(self, name: str) -> str:
        return self.spelling.get(name, name)


def _check_select_star(query: exp.Query, report: Reporter) -> None:
    """Marts are contracts: their columns must be listed, not inherited from upstream. dbt's
    idiomatic `select * from final` lists them in the CTE `final`, so a star over a CTE whose
    own columns are listed is fine."""
    listed = _ctes_with_listed_columns(query)
    for select in _branches(query):
        sources = [t for t in select.find_all(exp.Table) if t.find_ancestor(exp.Select) is select]
        for projection in select.expressions:
            star = projection if isinstance(projection, exp.Star) else projection.this
            if isinstance(star, exp.Star) and _star_over_listed_cte(projection, sources, listed):
                continue
            if isinstance(star, exp.Star):
                report.add(
                    "select_star_in_mart",
                    "SELECT * in a mart: its columns would change whenever an upstream model's do",
                    hint="list the columns the mart exposes",
                    node=star,
                    token="*",
                )


def _ctes_with_listed_columns(query: exp.Expr) -> set[str]:
    """Names of the query's CTEs whose output columns are all listed (no star of their own)."""
    listed = set()
    for cte in query.find_all(exp.CTE):
        body = cte.this
        if isinstance(body, exp.Query) and not any(
                isinstance(p, exp.Star) or isinstance(getattr(p, "this", None), exp.Star)
                for branch in _branches(body) for p in branch.expressions):
            listed.add(cte.alias_or_name.lower())
    return listed


def _star_over_listed_cte(projection: exp.Expr, sources: list[exp.Table], listed: set[str]) -> bool:
    """`*` over one listed CTE, or `t.*` where t is a listed CTE (or its alias)."""
    qualifier = projection.table if isinstance(projection, exp.Column) else ""
    if qualifier:
        return any((t.alias_or_name.lower() == qualifier.lower()) and t.name.lower() in listed for t in sources)
    return len(sources) == 1 and sources[0].name.lower() in listed


def _branches(query: exp.Expr):
    """The SELECTs whose projections are the query's output (every branch of a UNION)."""
    if isinstance(query, exp.SetOperation):
        yield from _branches(query.this)
        yield from _branches(query.expression)
    elif isinstance(query, exp.Subquery):
        yield from _branches(query.unnest())
    elif isinstance(query, exp.Select):
        yield query


def _check_scope(scope: Scope, catalog: _Catalog, report: Reporter) -> None:
    resolver = Resolver(scope, catalog.schema)
    for source in scope.sources.values():
        if isinstance(source, exp.Table) and isinstance(source.this, exp.Identifier):
            if catalog.node_for(source) is None and not _is_file(source):
                _report_unknown_table(source, catalog, report)
    outputs = _set_operation_outputs(scope)
    for column in [*scope.columns, *_having_and_qualify_columns(scope)]:
        if column.name in PSEUDOCOLUMNS:
            continue
        if outputs and column.name.lower() in outputs and column.find_ancestor(exp.Order) is not None:
            continue    # ORDER BY after a UNION names the union's output columns, not a table's
        if column.table:
            _check_qualified(column, scope, resolver, report)
        else:
            _check_unqualified(column, scope, resolver, report)


def _set_operation_outputs(scope: Scope) -> set[str]:
    """The output names of a UNION/EXCEPT/INTERSECT (its first branch's), lower-cased; else empty."""
    query = scope.expression
    if not isinstance(query, exp.SetOperation):
        return set()
    first = next(_branches(query), None)
    return {name.lower() for name in first.named_selects} if first is not None else set()


def _having_and_qualify_columns(scope: Scope) -> list[exp.Column]:
    """Unqualified HAVING/QUALIFY columns that are not output aliases.

    sqlglot's `Scope.columns` leaves all of them out, since any could be an alias reference.
    """
    query = scope.expression
    if not isinstance(query, exp.Select):
        return []
    aliases = set(query.named_selects)
    clauses = [query.args.get(k) for k in ("having", "qualify") if query.args.get(k)]
    return [
        column
        for clause in clauses
        for column in find_all_in_scope(clause, exp.Column)
        if not column.table and column.name not in aliases and not isinstance(column.this, exp.Star)
    ]


def _is_file(table: exp.Table) -> bool:
    """`FROM 'data/x.parquet'`: DuckDB reads a file (dbt-duckdb's external sources); its columns
    are unknown here, so it is not an unknown table but a source of unknown columns."""
    name = table.name
    return not table.db and ("/" in name or "\\" in name or "." in name or "://" in name)


def _report_unknown_table(table: exp.Table, catalog: _Catalog, report: Reporter) -> None:
    name = ".".join(part.name for part in table.parts)
    report.add(
        "unknown_table",
        f"unknown table '{name}': not a relation or model of this project",
        hint=did_you_mean(name, catalog.table_names()),
        node=table.this,
    )


def _check_qualified(column: exp.Column, scope: Scope, resolver: Resolver, report: Reporter) -> None:
    source = column.table
    if source not in _in_from(scope):
        outer = _outer_scopes(scope)
        if resolver.has_unknown_sources or any(source in _in_from(s) for s in outer):
            return  # a struct field of an unknown column, or a correlated reference
        report.add(
            "unknown_table",
            f"'{source}.{column.name}' refers to '{source}', which is not in the FROM clause",
            hint=did_you_mean(source, _in_from(scope)),
            node=column.args["table"],
        )
        return
    columns = _source_columns(resolver, source)
    if columns is not None and column.name not in columns:
        _report_unknown_column(column, f"'{source}'", columns, report)


def _check_unqualified(column: exp.Column, scope: Scope, resolver: Resolver, report: Reporter) -> None:
    chain = [scope, *_outer_scopes(scope)]
    resolvers = [resolver, *(Resolver(s, resolver.schema) for s in chain[1:])]
    if any(r.has_unknown_sources for r in resolvers):
        return  # it may come from the unknown source: stay silent rather than guess
    holders = [name for name in _in_from(scope) if column.name in (_source_columns(resolver, name) or ())]
    if len(holders) > 1:
        report.add(
            "ambiguous_column",
            f"column '{column.name}' is ambiguous: it is in {', '.join(repr(h) for h in holders)}",
            hint=f"qualify it, e.g. {holders[0]}.{column.name}",
            node=column.this,
        )
        return
    candidates = sorted({c for r in resolvers for c in r.all_columns})
    _report_unknown_column(column, "any table of the FROM clause", candidates, report)


def _report_unknown_column(column: exp.Column, where: str, candidates, report: Reporter) -> None:
    message = f"column '{column.name}' is not in {where}"
    report.add("unknown_column", message, hint=did_you_mean(column.name, candidates), node=column.this)
    report.flagged.append(column)


def _in_from(scope: Scope) -> list[str]:
    """Names of the sources a scope selects from (`scope.sources` also has every CTE in reach)."""
    return [*scope.selected_sources, *scope.lateral_sources]


def _outer_scopes(scope: Scope) -> list[Scope]:
    """The scopes a correlated subquery may reach into, innermost first."""
    outer = []
    while scope.can_be_correlated and scope.parent:
        scope = scope.parent
        outer.append(scope)
    return outer


def _source_columns(resolver: Resolver, source: str) -> set[str] | None:
    """A source's columns, or None when they are unknown (unknown table, unexpanded star)."""
    try:
        columns = resolver.get_source_columns(source)
    except SqlglotError:
        return None
    if not columns or "*" in columns:
        return None
    return set(columns)


def _check_documented(model: SqlModel, columns: list[str], report: Reporter) -> None:
    produced = {c.lower() for c in columns}
    for documented in model.documented_columns:
        if documented.lower() not in produced:
            report.add(
                "undocumented_missing",
                f"column '{documented}' is documented in YAML but {model.name} does not produce it",
                hint=did_you_mean(documented, columns) or "remove it from the YAML or add it to the SQL",
                severity="warn",
            )
