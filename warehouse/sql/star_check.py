"""select_star_in_mart: a mart lists its columns rather than inheriting them from upstream."""
from __future__ import annotations

from sqlglot import exp

from warehouse.sql.sourcemap import Reporter


def check_select_star(query: exp.Query, report: Reporter) -> None:
    """Marts are contracts: their columns must be listed, not inherited from upstream. dbt's
    idiomatic `select * from final` lists them in the CTE `final`, so a star over a CTE whose
    own columns are listed is fine."""
    listed = _ctes_with_listed_columns(query)
    for select in branches(query):
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
                for branch in branches(body) for p in branch.expressions):
            listed.add(cte.alias_or_name.lower())
    return listed


def _star_over_listed_cte(projection: exp.Expr, sources: list[exp.Table], listed: set[str]) -> bool:
    """`*` over one listed CTE, or `t.*` where t is a listed CTE (or its alias)."""
    qualifier = projection.table if isinstance(projection, exp.Column) else ""
    if qualifier:
        return any((t.alias_or_name.lower() == qualifier.lower()) and t.name.lower() in listed for t in sources)
    return len(sources) == 1 and sources[0].name.lower() in listed


def branches(query: exp.Expr):
    """The SELECTs whose projections are the query's output (every branch of a UNION)."""
    if isinstance(query, exp.SetOperation):
        yield from branches(query.this)
        yield from branches(query.expression)
    elif isinstance(query, exp.Subquery):
        yield from branches(query.unnest())
    elif isinstance(query, exp.Select):
        yield query
