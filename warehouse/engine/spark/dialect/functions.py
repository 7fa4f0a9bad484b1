"""Functions: DuckDB functions sqlglot copies unchanged are mapped, or refused if Spark lacks them.

sqlglot passes a function it does not know through verbatim (`list_position(...)` stays
`LIST_POSITION(...)`, which Spark cannot resolve). Known ones are rewritten here to the
Spark function with DuckDB's meaning; every remaining unknown name is looked up in the
running Spark session's own function registry (built-ins and registered UDFs), so a model
calling a function Spark lacks is refused before anything runs, by name.
"""
from __future__ import annotations

from typing import Callable

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from warehouse.engine.spark.dialect import Action, Finding

RULE = "functions"


def _list_position(args: list[exp.Expr]) -> exp.Expr:
    # DuckDB: NULL when absent; Spark's ARRAY_POSITION: 0.
    found = exp.Anonymous(this="ARRAY_POSITION", expressions=args)
    return exp.Nullif(this=found, expression=exp.Literal.number(0))


# DuckDB name -> builder of the Spark expression (arguments already in the tree).
MAPPED: dict[str, Callable[[list[exp.Expr]], exp.Expr]] = {
    "list_position": _list_position,
    "list_indexof": _list_position,
    "array_position": _list_position,
}


def apply(tree: exp.Expr) -> list[Finding]:
    findings = []
    for call in list(tree.find_all(exp.Anonymous)):
        build = MAPPED.get(call.name.lower())
        if build is not None:
            replacement = build([a.copy() for a in call.expressions])
            findings.append(Finding(RULE, Action.REWROTE, f"{call.name}() became {replacement.sql('spark')}"))
            call.replace(replacement)
    return findings


def check_exists(spark_sql: str, exists: Callable[[str], bool]) -> list[Finding]:
    """Refuse every function in `spark_sql` unknown to sqlglot's Spark dialect and to the session."""
    try:
        trees = sqlglot.parse(spark_sql, dialect="spark")
    except SqlglotError as error:
        return [Finding("sqlglot", Action.REFUSED, f"the generated Spark SQL does not parse: {error}")]
    names = sorted({call.name.lower() for tree in trees if tree for call in tree.find_all(exp.Anonymous)})
    return [Finding(RULE, Action.REFUSED, f"function {name}() does not exist in Spark (nor as a registered UDF)")
            for name in names if not exists(name)]
