"""Relations: each `schema.name` a model reads becomes the name the engine registered it under.

The Spark engine keeps every relation of a build as a temporary view of its own session (so a
build and a reader in one process never see each other's tables), named by the engine. This
rule renames table references through the engine's `resolve(schema, name)`; an unqualified
name is DuckDB's `main` schema unless a CTE of that name is in the statement. The original
name stays as the alias, so columns qualified by it (`stg_x.col`) still resolve. Table
functions are left to sqlglot (`read_parquet('x')` becomes Spark's parquet.`x`).
"""
from __future__ import annotations

from typing import Callable

from sqlglot import exp

from warehouse.engine.spark.dialect import Finding

RULE = "relations"
DEFAULT_SCHEMA = "main"
Resolve = Callable[..., str | None]     # (schema, name[, catalog]) -> registered name or None


def apply(tree: exp.Expr, resolve: Resolve) -> list[Finding]:
    ctes = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
    findings = []
    for table in list(tree.find_all(exp.Table)):
        if isinstance(table.this, exp.Func):     # read_parquet('x'): sqlglot writes parquet.`x`
            continue
        if not table.name:
            continue
        if not table.db and table.name.lower() in ctes:
            continue
        schema = table.db or DEFAULT_SCHEMA
        catalog = table.catalog or None          # an attached warehouse (the change report's)
        registered = resolve(schema, table.name, catalog) if catalog else resolve(schema, table.name)
        if registered is None:
            continue
        alias = table.alias or table.name
        table.set("db", None)
        table.set("catalog", None)
        table.set("this", exp.to_identifier(registered, quoted=True))
        table.set("alias", exp.TableAlias(this=exp.to_identifier(alias)))
    return findings

