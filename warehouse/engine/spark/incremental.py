"""Incremental strategies on Spark, as one rewrite of the table into a new folder of this build.

Tables are Parquet folders that are never changed once a manifest names them (write-audit-
publish: readers of the published manifest keep reading the old folder). So append,
delete+insert and merge do not modify rows in place: each computes the table's complete new
contents from the current folder and the incoming rows, and `_write_table` writes them to a
new folder of this build; only the build's manifest points at it, and only a publish makes
it visible. A build that fails anywhere leaves the published folder and manifest untouched.

The rows are DuckDB's for the same statements (`warehouse.engine.statements`), which is dbt's:
- append: every current row, then every incoming row.
- delete+insert: current rows are dropped when an incoming row has the same key (NULL equals
  NULL) and every `incremental_predicates` holds for the current row (`DBT_INTERNAL_DEST`);
  then every incoming row is added.
- merge: a current row that matches an incoming row on the key and the predicates (both
  aliases may appear, as in dbt's `ON` clause) takes the incoming values of the update columns
  (all by default; dbt's `merge_update_columns` / `merge_exclude_columns`); incoming rows that
  match no current row are added. A current row matched by two incoming rows is an error, as
  DuckDB's MERGE refuses it.
The SQL is built as sqlglot expressions read as DuckDB SQL (the predicates are model SQL) and
transpiled by the engine like any model.
"""
from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from sqlglot import exp

from warehouse.core.errors import DatabaseError, Location
from warehouse.engine.statements import column, incremental_predicates

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

HIT = "__wh_hit"


def apply(engine: Any, schema: str, name: str, incoming: "DataFrame", strategy: str,
          unique_key: list[str] | None, predicates: list[str] | None, update_columns: list[str] | None,
          where: Location | None) -> None:
    """Write the table's new contents (by `strategy`) to a new folder and make it the table."""
    existing = engine.columns(schema, name)
    known = {c.lower() for c, _ in existing}
    extra = [c for c in incoming.columns if c.lower() not in known]
    if extra:
        raise DatabaseError("BinderException", f"table {schema}.{name} has no column(s) {', '.join(extra)}", where)
    given = {c.lower() for c in incoming.columns}
    missing = [c for c, _ in existing if c.lower() not in given]
    if strategy == "merge" and missing:     # DuckDB's MERGE (and dbt's) sets every column of the table
        raise DatabaseError("BinderException", f"the query for {schema}.{name} has no column(s) {', '.join(missing)}, "
                            "which a merge sets (on_schema_change: sync_all_columns drops them)", where)
    view = f"__wh_incoming_{secrets.token_hex(4)}"
    engine._register(engine._key(schema, name))
    with engine._guard(where):
        current = engine.spark.table(f"`{engine._view(engine._key(schema, name))}`")
        aligned(incoming, [(f.name, f.dataType) for f in current.schema.fields]).createOrReplaceTempView(view)
    try:
        target = exp.Table(this=exp.to_identifier(name), db=exp.to_identifier(schema),
                           alias=exp.TableAlias(this=exp.to_identifier("t")))
        source = exp.Table(this=exp.to_identifier(view), alias=exp.TableAlias(this=exp.to_identifier("s")))
        names = [c for c, _ in existing]
        if strategy == "merge":
            wanted = {c.lower() for c in (update_columns or names)}
            update = [c for c in names if c.lower() in wanted and c.lower() in given]
            _refuse_double_matches(engine, target, source, unique_key or [], predicates, where)
            tree = merged(target, source, names, unique_key or [], update, predicates)
        elif unique_key:
            tree = deleted_then_inserted(target, source, names, unique_key, predicates)
        else:
            tree = exp.union(exp.select(exp.Star()).from_(target.copy()),
                             exp.select(exp.Star()).from_(source.copy()), distinct=False)
        frame = engine._df([tree], where)
        engine._write_table(schema, name, frame, where)
    finally:
        engine.spark.catalog.dropTempView(view)


def aligned(incoming: "DataFrame", existing: list[tuple[str, Any]]) -> "DataFrame":
    """The incoming rows with exactly the table's columns, in its order and types (a column the
    query lacks is NULL, as an INSERT BY NAME leaves it)."""
    from pyspark.sql import functions as F

    by_lower = {c.lower(): c for c in incoming.columns}
    picked = []
    for name, kind in existing:
        value = incoming[by_lower[name.lower()]] if name.lower() in by_lower else F.lit(None)
        picked.append(value.cast(kind).alias(name))
    return incoming.select(*picked)


def _bare(table: exp.Table) -> exp.Table:
    bare = table.copy()
    bare.set("alias", None)
    return bare


def _key_match(keys: list[str]) -> list[exp.Expr]:
    return [exp.NullSafeEQ(this=column(k, "t"), expression=column(k, "s")) for k in keys]


def _marked(source: exp.Table, projection: list[exp.Expr], distinct: bool = False) -> exp.Subquery:
    """(SELECT <projection>, TRUE AS __wh_hit FROM incoming) AS s: a joined row says it matched."""
    inner = exp.select(*projection, exp.alias_(exp.true(), HIT)).from_(_bare(source))
    if distinct:
        inner = inner.distinct()
    return inner.subquery("s")


def deleted_then_inserted(target: exp.Table, source: exp.Table, names: list[str], keys: list[str],
                          predicates: list[str] | None) -> exp.Expr:
    """Current rows no incoming key (and predicate) deletes, then every incoming row.
    The predicates see only DBT_INTERNAL_DEST here, as in DuckDB's DELETE ... WHERE."""
    hit = exp.and_(column(HIT, "s"), *incremental_predicates(predicates))
    kept = (exp.select(*[column(c, "t") for c in names]).from_(target.copy())
            .join(_marked(source, [column(k) for k in keys], distinct=True), on=exp.and_(*_key_match(keys)),
                  join_type="left")
            .where(exp.not_(exp.func("coalesce", exp.paren(hit), exp.false()))))
    return exp.union(kept, exp.select(*[column(c, "s") for c in names]).from_(source.copy()), distinct=False)


def merged(target: exp.Table, source: exp.Table, names: list[str], keys: list[str], update: list[str],
           predicates: list[str] | None) -> exp.Expr:
    """MERGE INTO t USING s ON keys AND predicates: matched rows updated, unmatched incoming rows added."""
    on = exp.and_(*_key_match(keys), *incremental_predicates(predicates))
    values = [exp.alias_(exp.If(this=column(HIT, "s"), true=column(c, "s"), false=column(c, "t")), c)
              if c in update else column(c, "t") for c in names]
    current = (exp.select(*values).from_(target.copy())
               .join(_marked(source, [exp.Star()]), on=on.copy(), join_type="left"))
    matched = exp.select(exp.Literal.number(1)).from_(target.copy()).where(on.copy())
    added = exp.select(*[column(c, "s") for c in names]).from_(source.copy()).where(
        exp.not_(exp.Exists(this=matched)))
    return exp.union(current, added, distinct=False)


def _refuse_double_matches(engine: Any, target: exp.Table, source: exp.Table, keys: list[str],
                           predicates: list[str] | None, where: Location | None) -> None:
    """DuckDB's MERGE refuses to update one row twice; so does this (checked only when the incoming
    rows repeat a key, the only way it can happen)."""
    repeated = (exp.select(*[column(k) for k in keys]).from_(_bare(source))
                .group_by(*[column(k) for k in keys]).having("count(*) > 1").limit(1))
    if not engine._df([repeated], where).take(1):
        return
    on = exp.and_(*_key_match(keys), *incremental_predicates(predicates))
    joined = exp.select(exp.Count(this=exp.Star())).from_(target.copy()).join(source.copy(), on=on, join_type="left")
    # a LEFT JOIN has more rows than the table exactly when some row matched twice
    if engine._df([joined], where).collect()[0][0] > engine.row_count(target.db, target.name, where):
        raise DatabaseError("InvalidInputException",
                            "MERGE INTO command cannot affect the same target row more than once: a row of "
                            f"{target.db}.{target.name} matched more than one incoming row; ensure the incoming rows "
                            "are deduplicated on the unique_key", where)

