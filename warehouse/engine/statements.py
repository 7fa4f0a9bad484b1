"""The SQL an engine issues itself, built as sqlglot expressions and rendered in its dialect.

As in SQLMesh's engine adapters: DDL, incremental statements, the catalog query, loads and
exports are expressions, so a second engine renders the same statements in its own dialect
instead of string-patching DuckDB text. A model's own SQL is never parsed here: it is spliced
into the rendered statement as the user wrote it (`MODEL_SQL` marks the place), so error
positions the database reports still point at the user's lines.
"""
from __future__ import annotations

import re

from pathlib import Path

import sqlglot
from sqlglot import exp

from warehouse.core.relation import needs_quotes

MODEL_SQL = exp.Placeholder(this="model_sql")
_INCOMING = "__incoming"


def identifier(name: str) -> exp.Identifier:
    """An identifier, quoted by the project's one quoting rule (`core.relation`)."""
    return exp.Identifier(this=name, quoted=needs_quotes(name))


def table(schema: str | None, name: str, alias: str | None = None) -> exp.Table:
    return exp.Table(this=identifier(name), db=identifier(schema) if schema else None,
                     alias=exp.TableAlias(this=exp.to_identifier(alias)) if alias else None)


def column(name: str, qualifier: str | None = None) -> exp.Column:
    return exp.Column(this=identifier(name), table=exp.to_identifier(qualifier) if qualifier else None)


def render(expression: exp.Expression, dialect: str, model_sql: str | None = None) -> str:
    """The statement in `dialect`; the model's SQL, if any, on its own lines where MODEL_SQL stands
    (its own lines, so that a trailing `-- comment` in it cannot swallow what follows)."""
    sql = expression.sql(dialect=dialect)
    if model_sql is None:
        return sql
    head, tail = sql.split(MODEL_SQL.sql(dialect=dialect), 1)
    return f"{head.rstrip()}\n{model_sql}" + (f"\n{tail.lstrip()}" if tail.strip() else "")


def create_schema(schema: str) -> exp.Create:
    return exp.Create(this=exp.Table(db=identifier(schema)), kind="SCHEMA", exists=True)


def create_as(kind: str, target: exp.Table, temporary: bool = False) -> exp.Create:
    """CREATE OR REPLACE <kind> target AS <model sql>."""
    properties = exp.Properties(expressions=[exp.TemporaryProperty()]) if temporary else None
    return exp.Create(this=target, kind=kind, replace=True, expression=MODEL_SQL.copy(), properties=properties)


def drop(kind: str, target: exp.Table, if_exists: bool = True) -> exp.Drop:
    return exp.Drop(tables=[target], kind=kind, exists=if_exists, cascade=True)


def count_rows(source: exp.Expression) -> exp.Select:
    return exp.select(exp.Count(this=exp.Star())).from_(source)


def count_of_query() -> exp.Select:
    """SELECT count(*) FROM (<model sql>) AS __failures: how many rows a data test returns."""
    return count_rows(exp.Subquery(this=MODEL_SQL.copy(), alias=exp.TableAlias(this=exp.to_identifier("__failures"))))


def sample_of_query(limit: int) -> exp.Select:
    """SELECT * FROM (<model sql>) AS __failures LIMIT n: a few of a data test's failing rows."""
    source = exp.Subquery(this=MODEL_SQL.copy(), alias=exp.TableAlias(this=exp.to_identifier("__failures")))
    return exp.select(exp.Star()).from_(source).limit(limit)


def incoming() -> exp.Table:
    return table(None, _INCOMING)


def delete_matching(target: exp.Table, unique_key: list[str], predicates: list[str] | None = None) -> exp.Delete:
    """DELETE FROM target AS t WHERE EXISTS (SELECT 1 FROM __incoming AS s WHERE t.k IS NOT DISTINCT FROM s.k ...)
    [AND each of dbt's incremental_predicates]."""
    match = exp.and_(*[exp.NullSafeEQ(this=column(k, "t"), expression=column(k, "s")) for k in unique_key])
    found = exp.select(exp.Literal.number(1)).from_(table(None, _INCOMING, "s")).where(match)
    aliased = target.copy()
    aliased.set("alias", exp.TableAlias(this=exp.to_identifier("t")))
    condition = exp.and_(exp.Exists(this=found), *incremental_predicates(predicates))
    return exp.Delete(this=aliased, where=exp.Where(this=condition))


_DEST = re.compile(r"\bDBT_INTERNAL_DEST\b", re.IGNORECASE)
_SOURCE = re.compile(r"\bDBT_INTERNAL_SOURCE\b", re.IGNORECASE)


def incremental_predicates(predicates: list[str] | None) -> list[exp.Expression]:
    """dbt's `incremental_predicates` (SQL naming DBT_INTERNAL_DEST / DBT_INTERNAL_SOURCE) as
    conditions on our aliases t (the table) and s (the incoming rows)."""
    return [sqlglot.parse_one(_SOURCE.sub("s", _DEST.sub("t", str(p))), dialect="duckdb") for p in predicates or []]


def insert_by_name(target: exp.Table) -> exp.Insert:
    return exp.Insert(this=target, by_name=True, expression=exp.select(exp.Star()).from_(incoming()))


def merge(target: exp.Table, unique_key: list[str], columns: list[str],
          predicates: list[str] | None = None, update_columns: list[str] | None = None) -> exp.Merge:
    """MERGE INTO target USING __incoming ON keys [and incremental_predicates]: update matched rows
    (only `update_columns`, dbt's merge_update_columns / merge_exclude_columns, when given),
    insert the others by name."""
    aliased = target.copy()
    aliased.set("alias", exp.TableAlias(this=exp.to_identifier("t")))
    on = exp.and_(*[exp.NullSafeEQ(this=column(k, "t"), expression=column(k, "s")) for k in unique_key],
                  *incremental_predicates(predicates))
    wanted = {c.lower() for c in (update_columns if update_columns is not None else columns)}
    updated = [c for c in columns if c not in unique_key and c.lower() in wanted]
    update = exp.When(matched=True, then=exp.Update(expressions=[
        exp.EQ(this=column(c), expression=column(c, "s")) for c in updated]))
    insert = exp.When(matched=False, then=exp.Insert(
        this=exp.Tuple(expressions=[column(c) for c in columns]),
        expression=exp.Tuple(expressions=[column(c, "s") for c in columns])))
    whens = [update, insert] if updated else [insert]
    return exp.Merge(this=aliased, using=table(None, _INCOMING, "s"), on=on, whens=exp.Whens(expressions=whens))


def select_star(source: exp.Expression, casts: dict[str, str]) -> exp.Select:
    """SELECT * [REPLACE (CAST(c AS type) AS c, ...)] FROM source."""
    select = exp.select(exp.Star()).from_(source)
    if casts:
        replaced = [exp.alias_(exp.Cast(this=column(c), to=exp.DataType.build(t, udt=True)), identifier(c))
                    for c, t in casts.items()]
        select.set("expressions", [exp.Star(replace=replaced)])
    return select


def table_function(name: str, path: Path | str, **options: exp.Expression) -> exp.Anonymous:
    """read_csv('file', key = value, ...) and friends."""
    args = [exp.Literal.string(str(path))]
    args += [exp.EQ(this=exp.var(k), expression=v) for k, v in options.items()]
    return exp.Anonymous(this=name, expressions=args)


def literal(value: object) -> exp.Expression:
    return exp.convert(value)


def struct_of_strings(pairs: list[tuple[str, str]]) -> exp.Struct:
    """{'col': 'TYPE', ...}: read_csv's `columns` option."""
    return exp.Struct(expressions=[exp.PropertyEQ(this=exp.Literal.string(k), expression=exp.Literal.string(v))
                                   for k, v in pairs])


def copy_to(source: exp.Table, path: Path, options: list[tuple[str, exp.Expression]]) -> exp.Copy:
    """COPY (SELECT * FROM source) TO 'path' (options)."""
    params = [exp.CopyParameter(this=exp.var(k), expression=v) for k, v in options]
    query = exp.Subquery(this=exp.select(exp.Star()).from_(source))
    return exp.Copy(this=query, kind=False, files=[exp.Literal.string(str(path))], params=params)


def attach_read_only(path: Path | str, alias: str) -> exp.Attach:
    """ATTACH '<path>' AS alias (READ_ONLY)."""
    return exp.Attach(this=exp.alias_(exp.Literal.string(str(path)), exp.to_identifier(alias)),
                      exists=False, expressions=[exp.AttachOption(this=exp.var("READ_ONLY"))])


def detach(alias: str) -> exp.Detach:
    return exp.Detach(this=exp.to_identifier(alias), exists=True)
