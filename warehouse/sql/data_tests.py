"""dbt's four built-in generic tests as sqlglot expressions: each query returns the rows that
break its rule.

Built as expressions rather than text so that a column named `order`, `Order ID` or `it's "x"`
is quoted by the dialect's own rules wherever it appears, and an engine with another dialect
transpiles a tree whose meaning is fixed. What arrives as SQL text (the tested relation as
Jinja rendered it, a `where:` filter, relationships' `to:`, unquoted accepted values) is parsed
here, so a mistake in it is reported with the test before anything runs.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from warehouse.core.relation import needs_quotes
from warehouse.sql.records import DIALECT

BUILTIN = ("not_null", "unique", "accepted_values", "relationships")


class DataTestSqlError(ValueError):
    """Text given to a generic test (a `where:`, a `to:`, a value) that is not valid SQL."""


@dataclass(frozen=True)
class GenericTest:
    """One built-in test as declared: the relation it reads (SQL text), its column and arguments."""

    name: str                      # one of BUILTIN
    relation: str                  # the tested relation as rendered: a name, an ephemeral CTE, a file
    column: str
    quote: bool = False            # the column's `quote: true`: quoted whatever its spelling
    where: str | None = None       # config `where:`, a condition on the tested relation's rows
    values: tuple[Any, ...] = ()   # accepted_values
    quote_values: bool = True      # accepted_values' `quote:` (false: the values are SQL expressions)
    to: str | None = None          # relationships: the parent relation as rendered
    field: str | None = None       # relationships: the parent's column


def generic_test_sql(test: GenericTest, dialect: str = DIALECT) -> str:
    """The query returning the failing rows of one built-in generic test, in `dialect`."""
    return _BUILDERS[test.name](test).sql(dialect=dialect, pretty=True)


def column(name: str, qualifier: str | None = None, quote: bool = False) -> exp.Column:
    """A column quoted by the project's one rule (`core.relation`), or always when `quote`."""
    return exp.column(exp.Identifier(this=name, quoted=quote or needs_quotes(name)),
                      table=exp.to_identifier(qualifier) if qualifier else None)


def _tested(test: GenericTest, alias: str | None = None) -> exp.Expression:
    """The tested relation, filtered by `where:` into a subquery as dbt does."""
    source = _relation(test.relation, "the tested relation")
    if test.where:
        source = exp.select("*").from_(source).where(_parse(test.where, "where", exp.condition)).subquery(
            alias or "dbt_subquery")
    elif alias:
        source = exp.alias_(source, alias, table=True)
    return source


def _not_null(test: GenericTest) -> exp.Select:
    return exp.select("*").from_(_tested(test)).where(exp.Is(this=column(test.column, quote=test.quote),
                                                                  expression=exp.Null()))


def _unique(test: GenericTest) -> exp.Select:
    col = column(test.column, quote=test.quote)
    return (exp.select(exp.alias_(col.copy(), "unique_field"), exp.alias_(exp.Count(this=exp.Star()), "n_records"))
            .from_(_tested(test)).where(exp.not_(exp.Is(this=col.copy(), expression=exp.Null())))
            .group_by(col.copy()).having(exp.GT(this=exp.Count(this=exp.Star()), expression=exp.Literal.number(1))))


def _accepted_values(test: GenericTest) -> exp.Select:
    col = column(test.column, quote=test.quote)
    listed = [exp.Literal.string(str(v)) if test.quote_values else _parse(str(v), "values", sqlglot.parse_one)
              for v in test.values]
    outside = exp.not_(exp.In(this=col.copy(), expressions=listed))
    return (exp.select(exp.alias_(col.copy(), "value_field"), exp.alias_(exp.Count(this=exp.Star()), "n_records"))
            .from_(_tested(test))
            .where(exp.and_(exp.not_(exp.Is(this=col.copy(), expression=exp.Null())), outside))
            .group_by(col.copy()))


def _relationships(test: GenericTest) -> exp.Select:
    child = column(test.column, "child", quote=test.quote)
    parent = column(str(test.field), "parent")
    to = _relation(str(test.to), "to")
    return (exp.select(exp.alias_(child.copy(), "from_field")).from_(_tested(test, "child"))
            .join(exp.alias_(to, "parent", table=True), on=exp.EQ(this=child.copy(), expression=parent.copy()),
                  join_type="left")
            .where(exp.and_(exp.not_(exp.Is(this=child.copy(), expression=exp.Null())),
                            exp.Is(this=parent.copy(), expression=exp.Null()))))


_BUILDERS = {"not_null": _not_null, "unique": _unique, "accepted_values": _accepted_values,
             "relationships": _relationships}


def _relation(text: str, what: str) -> exp.Expression:
    """A relation as Jinja rendered it (`schema.name`, `"odd schema"."X"`, `'data/x.parquet'`,
    `read_csv(...)`, an ephemeral CTE's name) as the expression a FROM clause holds."""
    query = _parse(f"select * from {text}", what, sqlglot.parse_one)
    source = query.args.get("from_")
    if not isinstance(query, exp.Select) or source is None or query.args.get("joins") or query.args.get("where"):
        raise DataTestSqlError(f"{what}: '{text}' is not one relation")
    return source.this


def _parse(text: str, what: str, parse: Any) -> exp.Expression:
    try:
        return parse(text, dialect=DIALECT)
    except SqlglotError as error:
        raise DataTestSqlError(f"{what}: '{text}' is not valid SQL ({str(error).splitlines()[0]})") from None
