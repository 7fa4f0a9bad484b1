"""The DDL and DML the pipeline hands a Spark engine, carried out on Parquet.

The pipeline's own bookkeeping (`_warehouse_runs`, `_warehouse_checks`, the stored manifest) is
DuckDB SQL with `?` parameters: CREATE TABLE, INSERT ... VALUES, CREATE ... AS. Spark's session
catalog cannot insert into a published folder without changing it, so each statement is read
with sqlglot and done the copy-on-write way through the engine's own table methods.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Sequence

import sqlglot
from sqlglot import exp
from sqlglot.tokens import TokenType

from warehouse.core.errors import DatabaseError, Location
from warehouse.engine.spark.dialect import SparkSqlError, parse_duckdb, types


def parse_or_raise(sql: str, where: Location | None) -> list[exp.Expr]:
    try:
        return parse_duckdb(sql)
    except SparkSqlError as error:
        raise DatabaseError("ParserException", str(error), where) from None


def bind(sql: str, params: Sequence[Any] | None) -> str:
    """`?` placeholders replaced by literals, in order, before parsing (Spark SQL has no positional
    parameters here, and sqlglot cannot parse some DuckDB forms such as `?::json`)."""
    if not params:
        return sql
    # `?::json` is one token (QDCOLON) to DuckDB's tokenizer: its first character is the placeholder.
    marks = [t.start for t in sqlglot.Dialect.get_or_raise("duckdb").tokenize(sql)
             if (t.token_type == TokenType.PLACEHOLDER and t.text == "?") or t.token_type == TokenType.QDCOLON]
    if len(marks) != len(params):
        raise DatabaseError("InvalidInputException", f"{len(params)} parameter(s) for {len(marks)} placeholder(s)")
    for start, value in reversed(list(zip(marks, params))):
        sql = sql[:start] + literal(value).sql("duckdb") + sql[start + 1:]
    return sql


def literal(value: Any) -> exp.Expr:
    if value is None:
        return exp.null()
    if isinstance(value, bool):
        return exp.true() if value else exp.false()
    if isinstance(value, (int, float)):
        return exp.Literal.number(value)
    if isinstance(value, datetime):
        return exp.cast(exp.Literal.string(value.astimezone(timezone.utc).replace(tzinfo=None).isoformat(sep=" ")
                                           if value.tzinfo else value.isoformat(sep=" ")), "TIMESTAMP")
    return exp.Literal.string(str(value))


def run_statement(engine: Any, statement: exp.Expr, where: Location | None) -> None:  # engine: SparkEngine
    """DDL and DML the pipeline issues, carried out on Parquet; anything else runs as is."""
    if isinstance(statement, (exp.Transaction, exp.Commit, exp.Rollback)):
        return                                           # capabilities.transactions is False
    if isinstance(statement, exp.Create):
        _create(engine, statement, where)
    elif isinstance(statement, exp.Insert):
        _insert(engine, statement, where)
    elif isinstance(statement, exp.Update):
        _update(engine, statement, where)
    elif isinstance(statement, exp.Alter):
        _alter(engine, statement, where)
    elif isinstance(statement, exp.Comment):
        _comment(engine, statement, where)
    elif isinstance(statement, exp.Drop):
        for table in statement.expressions:
            engine.drop_relation(table.db or "main", table.name)
    else:
        frame = engine._df([statement], where)
        with engine._guard(where):
            frame.collect()


def _comment(engine: Any, statement: exp.Comment, where: Location | None) -> None:
    """COMMENT ON TABLE/VIEW: kept in the manifest (Spark comments only catalog tables, and each
    relation here is a temporary view)."""
    target = statement.this
    relation = engine.manifest.relations.get(engine._key(target.db or "main", target.name))
    if relation is None:
        raise DatabaseError("CatalogException", f"no relation {target.sql('duckdb')} to comment on", where)
    relation.comment = statement.expression.name


def _create(engine: Any, statement: exp.Create, where: Location | None) -> None:
    kind = str(statement.args.get("kind") or "").upper()
    if kind == "SCHEMA":
        return
    target = statement.this.this if isinstance(statement.this, exp.Schema) else statement.this
    schema, name = target.db or "main", target.name
    if statement.args.get("exists") and engine.relation_type(schema, name):
        return
    body = statement.expression
    if kind == "VIEW":
        engine.create_view(schema, name, body.sql("duckdb"), where)
    elif body is not None:
        engine.create_table(schema, name, body.sql("duckdb"), where)
    else:
        types.apply(statement)
        ddl = ", ".join(f"`{c.name}` {c.args['kind'].sql('spark')}" for c in statement.this.expressions
                        if isinstance(c, exp.ColumnDef))
        with engine._guard(where):
            frame = engine.spark.createDataFrame([], ddl)
        engine._write_table(schema, name, frame, where)


def _insert(engine: Any, statement: exp.Insert, where: Location | None) -> None:
    into = statement.this
    columns = [c.name for c in into.expressions] if isinstance(into, exp.Schema) else None
    table = into.this if isinstance(into, exp.Schema) else into
    schema, name = table.db or "main", table.name
    existing = [c for c, _ in engine.columns(schema, name)]
    source = statement.expression
    if isinstance(source, exp.Values):
        source = exp.select("*").from_(exp.Values(expressions=source.expressions,
                                                  alias=exp.TableAlias(this=exp.to_identifier("__values"))))
    incoming = engine._df([source], where)
    names = columns or (incoming.columns if statement.args.get("by_name") else existing[: len(incoming.columns)])
    with engine._guard(where):
        incoming = incoming.toDF(*names)
    engine._append(schema, name, incoming, where)


def _update(engine: Any, statement: exp.Update, where: Location | None) -> None:
    """UPDATE t SET c = e [FROM x] WHERE cond, copy on write: the table rewritten into a new folder,
    each row whose condition holds (joined to its FROM row) taking the new values. A row matched
    by two FROM rows would be duplicated: that is refused (the row count is read from the footers)."""
    target = statement.this
    schema, name = target.db or "main", target.name
    alias = target.alias or name
    condition = statement.args["where"].this if statement.args.get("where") else exp.true()
    joined = statement.args.get("from_")
    setting = {e.this.name.lower(): e.expression for e in statement.expressions}
    if joined is not None:
        source = joined.this
        hit: exp.Expr = exp.column("__wh_hit", source.alias_or_name)
        marked = exp.select(exp.Star(), exp.alias_(exp.true(), "__wh_hit")).from_(_unaliased(source))
    else:
        hit = exp.func("coalesce", exp.paren(condition.copy()), exp.false())
    values = [exp.alias_(exp.If(this=hit.copy(), true=setting[c.lower()].copy(), false=exp.column(c, alias)), c)
              if c.lower() in setting else exp.column(c, alias) for c, _ in engine.columns(schema, name)]
    body = exp.select(*values).from_(exp.Table(this=exp.to_identifier(name), db=exp.to_identifier(schema),
                                               alias=exp.TableAlias(this=exp.to_identifier(alias))))
    if joined is not None:
        body = body.join(marked.subquery(source.alias_or_name), on=condition, join_type="left")
    before = engine.row_count(schema, name, where)
    engine._write_table(schema, name, engine._df([body], where), where, expect_rows=before)


def _unaliased(source: exp.Expr) -> exp.Expr:
    bare = source.copy()
    bare.set("alias", None)
    return bare


def _alter(engine: Any, statement: exp.Alter, where: Location | None) -> None:
    """ALTER TABLE ADD COLUMN (NULL in every row) / DROP COLUMN, copy on write."""
    target = statement.this
    schema, name = target.db or "main", target.name
    columns = [exp.column(c) for c, _ in engine.columns(schema, name)]
    for action in statement.args.get("actions") or []:
        if isinstance(action, exp.ColumnDef):
            columns.append(exp.alias_(exp.cast(exp.null(), action.args["kind"]), action.name))
        elif isinstance(action, exp.Drop) and str(action.args.get("kind") or "").upper() == "COLUMN":
            gone = {c.name.lower() for c in action.args.get("tables") or []}
            columns = [c for c in columns if c.alias_or_name.lower() not in gone]
        else:
            raise DatabaseError("NotImplementedException", f"ALTER TABLE {action.sql('duckdb')} is not supported "
                                "on the Spark engine (only ADD COLUMN and DROP COLUMN)", where)
    body = exp.select(*columns).from_(exp.Table(this=exp.to_identifier(name), db=exp.to_identifier(schema)))
    engine._write_table(schema, name, engine._df([body], where), where)
