"""Unordered numbering: `ROW_NUMBER() OVER ()` numbered in scan order, as DuckDB numbers it.

DuckDB accepts a ranking window without ORDER BY and numbers the rows in the order it reads
them; the check layer relies on that to keep table order (examples of duplicate values, the
increasing/decreasing expectations). Spark refuses it ("requires window to be ordered") at
run time, after the transpile gate passed. The rewrite orders such a window by
`monotonically_increasing_id()`, which grows with the scan order within and across a
relation's partitions, the nearest Spark has to DuckDB's reading order.
"""
from __future__ import annotations

from sqlglot import exp

from warehouse.engine.spark.dialect import Action, Finding

RULE = "windows"
# rank, dense_rank, percent_rank and cume_dist without ORDER BY treat every row as a peer: no
# scan order to keep, so they are left alone (Spark refuses them; DuckDB gives all rows 1).
RANKING = {"row_number", "ntile"}


def apply(tree: exp.Expr) -> list[Finding]:
    """Order every unordered ranking window by the scan order; one finding per statement."""
    rewrote = 0
    for window in tree.find_all(exp.Window):
        if window.args.get("order") is not None or not _is_ranking(window.this):
            continue
        window.set("order", exp.Order(expressions=[exp.Ordered(
            this=exp.Anonymous(this="monotonically_increasing_id", expressions=[]))]))
        rewrote += 1
    if not rewrote:
        return []
    return [Finding(RULE, Action.REWROTE, f"{rewrote} unordered ranking window(s) numbered in scan order")]


def _is_ranking(function: exp.Expr) -> bool:
    name = function.sql_name().lower() if not isinstance(function, exp.Anonymous) else str(function.this).lower()
    return name in RANKING
