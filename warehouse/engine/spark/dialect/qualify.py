"""QUALIFY: rewritten into a filtering subquery that returns exactly the original columns.

sqlglot's own rewrite (`eliminate_qualify`) turns `SELECT *, rank() OVER (...) AS rk ...
QUALIFY rk = 1` into `SELECT *, rk FROM (SELECT *, ... AS rk ...) WHERE rk = 1`: the outer
star already holds `rk`, so the result has `rk` twice (measured on Spark 4.3). Here the
original select list stays inside, each window function used only by QUALIFY becomes a
helper column, and the outer query drops the helpers with `* EXCEPT`, so the output
columns are the model's own, in its order.
"""
from __future__ import annotations

from sqlglot import exp

from warehouse.engine.spark.dialect import Action, Finding

RULE = "qualify"


def apply(tree: exp.Expr) -> list[Finding]:
    """Rewrite every QUALIFY in `tree` (innermost first); one finding per rewrite."""
    findings = []
    for select in reversed(list(tree.find_all(exp.Select))):
        qualify = select.args.get("qualify")
        if qualify is None:
            continue
        _rewrite(select, qualify.this.copy())
        findings.append(Finding(RULE, Action.REWROTE, "QUALIFY became a filtering subquery (same columns)"))
    return findings


def _rewrite(select: exp.Select, condition: exp.Expr) -> None:
    """Turn `select` itself (it may be the root) into the outer query; its body moves inside.
    A WITH clause stays outside, so the filtering subquery can still read its CTEs."""
    inner = select.copy()
    inner.set("qualify", None)
    inner.set("with_", None)
    helpers = []
    for index, window in enumerate(list(condition.find_all(exp.Window))):
        name = f"__qualify_{index}"
        helpers.append(name)
        inner.append("expressions", exp.alias_(window.copy(), name))
        window.replace(exp.column(name))
    star = exp.Star(except_=[exp.column(h) for h in helpers]) if helpers else exp.Star()
    for key in list(select.args):
        if key != "with_":
            select.set(key, None)
    select.set("expressions", [star])
    select.set("from_", exp.From(this=inner.subquery("__qualified")))
    select.set("where", exp.Where(this=condition))
