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
from sqlglot.errors import ParseError, TokenError
from sqlglot.optimizer.qualify import qualify
from sqlglot.optimizer.scope import Scope, build_scope

from warehouse.core.errors import ErrorList
from warehouse.sql.catalog import Catalog
from warehouse.sql.column_check import check_scope
from warehouse.sql.lineage import column_parents
from warehouse.sql.records import DIALECT, Relation, SqlModel
from warehouse.sql.sourcemap import Diagnostic, Reporter, did_you_mean
from warehouse.sql.star_check import check_select_star

__all__ = ["Analysis", "Diagnostic", "Relation", "SqlModel", "analyze"]

# Model outputs are registered without types: typing them would cost a full annotation pass.
UNKNOWN_TYPE = "UNKNOWN"


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
    catalog = Catalog()
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


def _analyze_model(model: SqlModel, catalog: Catalog) -> _ModelResult:
    """One model's diagnostics, output columns and lineage. Later models are checked against its
    columns only when sqlglot names them as DuckDB will (`exact`): a guessed name would flag good SQL."""
    report = Reporter(model.name, model.path, model.raw_sql, model.compiled_sql)
    result = _ModelResult(report.diagnostics)
    expression = _parse(model, report)
    if expression is None:
        return result
    if model.layer == "marts":
        check_select_star(expression, report)
    names = _OutputNames.read(expression)
    root = _qualify(expression, catalog, report)
    if root is None:
        return result
    for scope in root.traverse():
        check_scope(scope, catalog, report)
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


def _qualify(expression: exp.Query, catalog: Catalog, report: Reporter) -> Scope | None:
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
    """The model's one query, or None (reported): a parse error is the user's, while a statement
    sqlglot parses but cannot analyse (e.g. PIVOT) is only skipped."""
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


def _attribute_to_sole_unknown_source(query: exp.Query, catalog: Catalog) -> None:
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
