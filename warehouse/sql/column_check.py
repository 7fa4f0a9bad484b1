"""unknown_table, unknown_column and ambiguous_column: every table and column a scope names
exists in what it selects from (or in an outer scope, for a correlated subquery)."""
from __future__ import annotations

from sqlglot import exp
from sqlglot.errors import SqlglotError
from sqlglot.optimizer.resolver import Resolver
from sqlglot.optimizer.scope import Scope, find_all_in_scope

from warehouse.sql.catalog import Catalog
from warehouse.sql.sourcemap import Reporter, did_you_mean
from warehouse.sql.star_check import branches

# Columns DuckDB provides on every table without declaring them.
PSEUDOCOLUMNS = frozenset({"rowid"})


def check_scope(scope: Scope, catalog: Catalog, report: Reporter) -> None:
    """Report the tables and columns one scope names that do not exist, staying silent wherever a
    source's columns are unknown (one broken model gives one diagnostic, not a flood)."""
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
    first = next(branches(query), None)
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


def _report_unknown_table(table: exp.Table, catalog: Catalog, report: Reporter) -> None:
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
