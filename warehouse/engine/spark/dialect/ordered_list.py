"""list()/array_agg() with ORDER BY: Spark's COLLECT_LIST has no order, and sqlglot drops it.

`list(x ORDER BY y)[1]` becomes `COLLECT_LIST(x)[0]`: it runs, and returns whichever row
Spark collected first (measured: different answers from DuckDB). The common "value of the
first/last row by y" form is rewritten to MIN_BY/MAX_BY, which is what it means. Any other
ordered list is refused: no Spark aggregate keeps an order, so it would be wrong silently.
An unordered list() is transpiled, with a warning: COLLECT_LIST skips NULLs, DuckDB's
list() keeps them.
"""
from __future__ import annotations

from sqlglot import exp

from warehouse.engine.spark.dialect import Action, Finding

RULE = "ordered_list"


def apply(tree: exp.Expr) -> list[Finding]:
    findings = []
    for agg in list(tree.find_all(exp.ArrayAgg)):
        if not isinstance(agg.this, exp.Order):
            findings.append(Finding(RULE, Action.WARNED, f"{agg.sql('duckdb')}: Spark's COLLECT_LIST skips NULL "
                                    "values that DuckDB's list() keeps"))
            continue
        rewritten = _first_by(agg)
        if rewritten is not None:
            before = agg.parent.sql("duckdb")
            agg.parent.replace(rewritten)
            findings.append(Finding(RULE, Action.REWROTE, f"{before} became {rewritten.sql('spark')}"))
            continue
        findings.append(Finding(RULE, Action.REFUSED, f"{agg.sql('duckdb')}: Spark's COLLECT_LIST cannot keep "
                                "an ORDER BY (sqlglot drops it, and the result order is arbitrary); write the "
                                "first/last value as list(x ORDER BY y)[1] (becomes min_by/max_by), or use a window"))
    return findings


def _first_by(agg: exp.ArrayAgg) -> exp.Expr | None:
    """MIN_BY/MAX_BY for `list(x ORDER BY y [DESC])[1]` (one key); None for any other form."""
    bracket = agg.parent
    order: exp.Order = agg.this
    if not isinstance(bracket, exp.Bracket) or bracket.this is not agg or len(bracket.expressions) != 1:
        return None
    index = bracket.expressions[0]
    if not (isinstance(index, exp.Literal) and not index.is_string and int(index.name) == 0):
        return None     # sqlglot stores DuckDB's 1-based [1] as offset 0
    if len(order.expressions) != 1:
        return None
    key = order.expressions[0]
    function = exp.ArgMax if key.args.get("desc") else exp.ArgMin
    return function(this=order.this.copy(), expression=key.this.copy())
