"""Building blocks of the check gate's SQL path, as sqlglot expressions.

Expectations are evaluated in the engine with SQL built here, never with string formatting:
every piece is a sqlglot node, rendered once in DuckDB's dialect (`render`). That text is what
every engine accepts: DuckDB runs it, the Spark engine transpiles it like model SQL. The
functions used (REGEXP_MATCHES, LIKE, LENGTH, TRY_STRPTIME, MEDIAN, STDDEV_SAMP, windows, FILTER)
all have Spark spellings in sqlglot.

Predicates returned here are never NULL: pandas' comparisons, which GX uses, are plain
true/false, while SQL's three-valued logic would silently drop rows from a NOT.
"""
from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import Decimal

from sqlglot import exp

DIALECT = "duckdb"
FLOAT_TYPES = frozenset({"FLOAT", "DOUBLE", "REAL", "FLOAT4", "FLOAT8"})
TEXT_TYPES = frozenset({"VARCHAR", "TEXT", "STRING", "CHAR", "BPCHAR"})


def render(node: exp.Expression) -> str:
    """The SQL text of `node`, in the dialect every engine reads."""
    return node.sql(dialect=DIALECT)


def relation(text: str) -> exp.Expression:
    """A relation as the gate names it (a quoted table, or a suite's query as an aliased
    subquery): kept verbatim, since it was quoted where it was made."""
    return exp.Var(this=text)


def col(name: str) -> exp.Column:
    """A suite's column, always quoted so any name (spaces, quotes, keywords) works."""
    return exp.column(str(name), quoted=True)


def lit(value) -> exp.Expression:
    """A literal for a suite value. Strings stay untyped, so the engine casts them to the
    column's type ('2024-01-01' against a DATE column), as GX's comparisons do."""
    if value is None:
        return exp.null()
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, float) and not math.isfinite(value):
        return exp.cast(exp.Literal.string(str(value)), "DOUBLE")
    if isinstance(value, (int, float, Decimal)):
        return exp.Literal.number(value)
    return exp.Literal.string(str(value))


def false() -> exp.Expression:
    return exp.Boolean(this=False)


def true() -> exp.Expression:
    return exp.Boolean(this=True)


def sure(predicate: exp.Expression) -> exp.Expression:
    """`predicate`, with NULL read as false."""
    return exp.Coalesce(this=exp.paren(predicate.copy(), copy=False), expressions=[false()])


def not_(predicate: exp.Expression) -> exp.Expression:
    return exp.Not(this=exp.paren(predicate.copy(), copy=False))


def all_of(parts: Iterable[exp.Expression]) -> exp.Expression:
    parts = list(parts)
    return exp.and_(*parts) if parts else true()


def any_of(parts: Iterable[exp.Expression]) -> exp.Expression:
    parts = list(parts)
    return exp.or_(*parts) if parts else false()


def is_missing(name: str, type_: str | None) -> exp.Expression:
    """True where pandas sees a missing value: NULL, and NaN in float columns (the engine keeps
    NaN apart from NULL; pandas, and so GX, treats both as missing)."""
    null = exp.Is(this=col(name), expression=exp.null())
    if str(type_ or "").upper() in FLOAT_TYPES:
        return exp.paren(exp.or_(null, exp.IsNan(this=col(name))))
    return null


def as_text(name: str) -> exp.Expression:
    """The column as text, which is what GX's pandas string functions look at."""
    return exp.cast(col(name), "VARCHAR")


def in_set(value: exp.Expression, values) -> exp.Expression:
    """`value IN (...)`, never NULL; NULL members never match (as in pandas isin)."""
    literals = [lit(v) for v in values or [] if v is not None]
    return sure(value.isin(*literals)) if literals else false()


def between(value: exp.Expression, low, high, strict_min=False, strict_max=False) -> exp.Expression:
    """low <= value <= high (strict bounds exclude), a missing bound not checked; never NULL."""
    parts = []
    if low is not None:
        parts.append((exp.GT if strict_min else exp.GTE)(this=value.copy(), expression=lit(low)))
    if high is not None:
        parts.append((exp.LT if strict_max else exp.LTE)(this=value.copy(), expression=lit(high)))
    return sure(all_of(parts)) if parts else true()


def regex_match(name: str, pattern: str) -> exp.Expression:
    """The text of the value contains a match of `pattern` anywhere (pandas str.contains)."""
    return sure(exp.RegexpLike(this=as_text(name), expression=lit(pattern)))


def like_match(name: str, pattern: str, escape: str | None = None) -> exp.Expression:
    """SQL LIKE, as GX's SQL backends evaluate its like-pattern expectations."""
    node: exp.Expression = exp.Like(this=as_text(name), expression=lit(pattern))
    if escape:
        node = exp.Escape(this=node, expression=lit(escape))
    return sure(node)


def text_length(name: str) -> exp.Expression:
    """Characters in the value's text form (pandas astype(str).str.len())."""
    return exp.Length(this=as_text(name))


def parses_as(name: str, fmt: str) -> exp.Expression:
    """The text parses with the strftime format `fmt` (Python's strptime directives). The
    engine's parser skips whitespace around the value; Python's does not, so that is refused
    unless the format itself starts or ends with whitespace."""
    parsed = exp.StrToTime(this=col(name), format=lit(fmt), safe=True)
    parses = exp.Not(this=exp.Is(this=parsed, expression=exp.null()))
    edges = [] if fmt[:1].isspace() else [r"^\s"]
    edges += [] if fmt[-1:].isspace() else [r"\s$"]
    if not edges:
        return parses
    return all_of([parses, not_(regex_match(name, "|".join(edges)))])


def equal_or_both_null(value: exp.Expression, other: exp.Expression) -> exp.Expression:
    return exp.NullSafeEQ(this=value, expression=other)


def distinct(value: exp.Expression, other: exp.Expression) -> exp.Expression:
    """`value IS DISTINCT FROM other`: two missing values count as equal."""
    return exp.NullSafeNEQ(this=value, expression=other)


def count_all() -> exp.Expression:
    return exp.Count(this=exp.Star())


def count_if(predicate: exp.Expression) -> exp.Expression:
    """count(*) FILTER (WHERE predicate)."""
    return exp.Filter(this=count_all(), expression=exp.Where(this=predicate.copy()))


def select(*columns: exp.Expression, source: exp.Expression, where: exp.Expression | None = None,
           group_by: Iterable[exp.Expression] = (), having: exp.Expression | None = None,
           order_by: Iterable[exp.Expression] = (), limit: int | None = None) -> exp.Select:
    """SELECT ... FROM source [WHERE] [GROUP BY] [HAVING] [ORDER BY] [LIMIT]."""
    query = exp.select(*columns).from_(source)
    if where is not None:
        query = query.where(where)
    group_by = list(group_by)
    if group_by:
        query = query.group_by(*group_by)
    if having is not None:
        query = query.having(having)
    order_by = list(order_by)
    if order_by:
        query = query.order_by(*order_by)
    if limit is not None:
        query = query.limit(limit)
    return query


def subquery(query: exp.Select, alias: str) -> exp.Expression:
    return query.subquery(alias)


def row_number(order_by: Iterable[exp.Expression] = ()) -> exp.Expression:
    """ROW_NUMBER() OVER (ORDER BY ...); with no order, the relation's own row order."""
    order = list(order_by)
    return exp.Window(this=exp.RowNumber(),
                      order=exp.Order(expressions=[exp.Ordered(this=o) for o in order]) if order else None)


def previous(value: exp.Expression, partition: exp.Expression, order: exp.Expression) -> exp.Expression:
    """LAG(value) OVER (PARTITION BY partition ORDER BY order)."""
    return exp.Window(this=exp.Lag(this=value), partition_by=[partition],
                      order=exp.Order(expressions=[exp.Ordered(this=order)]))


def count_over(partition: list[exp.Expression]) -> exp.Expression:
    """COUNT(*) OVER (PARTITION BY ...)."""
    return exp.Window(this=count_all(), partition_by=partition)
