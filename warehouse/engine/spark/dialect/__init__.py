"""DuckDB SQL to Spark SQL, with the traps sqlglot falls into rewritten or refused by name.

Models are written once, in DuckDB SQL. sqlglot transpiles most of it faithfully (checked
by comparing results on Spark with DuckDB's), but a few constructs come out running and
wrong, or not running at all. Each rule in this package looks at the DuckDB syntax tree
before sqlglot's Spark generator sees it, and either rewrites the construct into Spark SQL
that gives DuckDB's answer, or refuses it with a reason (a `SparkSqlError` naming the rule);
a few only warn. `to_spark` is the one entry point; the Spark engine calls it for every
statement, and reports a refusal under the model's name before anything runs. It lives in the
engine, not in `warehouse.sql` (which analyses SQL): it is the Spark engine's dialect, as SQLMesh
keeps one per engine adapter.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Callable

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel, SqlglotError

READ = "duckdb"
WRITE = "spark"


class Action(StrEnum):
    REWROTE = "rewrote"     # the output gives DuckDB's answer by other means
    WARNED = "warned"       # runs, but can differ from DuckDB on some data (said how)
    REFUSED = "refused"     # would run and be wrong, or cannot run: not executed


@dataclass(frozen=True)
class Finding:
    rule: str
    action: Action
    message: str

    def render(self) -> str:
        return f"{self.rule}: {self.message}"


class SparkSqlError(Exception):
    """A statement that must not run on Spark as transpiled; `findings` say why."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        super().__init__("; ".join(f.render() for f in findings))


@dataclass
class SparkSql:
    sql: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        return [f.render() for f in self.findings if f.action != Action.REFUSED]


FunctionExists = Callable[[str], bool]
Resolve = Callable[[str, str], "str | None"]


def parse_duckdb(sql: str) -> list[exp.Expr]:
    """The statements of DuckDB `sql`; a parse error is a refusal naming line and column."""
    try:
        return [t for t in sqlglot.parse(sql, dialect=READ) if t is not None]
    except SqlglotError as error:
        if "`" in sql:      # statements the pipeline renders in the engine's own dialect (backticks)
            try:
                return [t for t in sqlglot.parse(sql, dialect=WRITE) if t is not None]
            except SqlglotError:
                pass
        detail = error.errors[0] if getattr(error, "errors", None) else {}
        where = f" (line {detail.get('line')}, column {detail.get('col')})" if detail else ""
        message = str(detail.get("description") or error).splitlines()[0]
        refusal = Finding("parse", Action.REFUSED, f"cannot parse as DuckDB SQL{where}: {message}")
        raise SparkSqlError([refusal]) from None


def to_spark(sql: str | list[exp.Expr], function_exists: FunctionExists | None = None,
             resolve: Resolve | None = None) -> SparkSql:
    """Transpile DuckDB `sql` (text, or statements already parsed) to Spark SQL; raise SparkSqlError
    if a rule refuses it. `resolve` renames relations (see `relations`)."""
    from warehouse.engine.spark.dialect import (  # one module per rule
        arrays, functions, ordered_list, qualify, relations, types, windows)

    trees = parse_duckdb(sql) if isinstance(sql, str) else sql
    findings: list[Finding] = []
    for tree in trees:
        for rule in (qualify.apply, ordered_list.apply, arrays.apply, functions.apply, types.apply,
                     windows.apply):
            findings += rule(tree)
        if resolve is not None:
            findings += relations.apply(tree, resolve)
    out = []
    for tree in trees:
        generator = sqlglot.Dialect.get_or_raise(WRITE).generator(unsupported_level=ErrorLevel.IGNORE)
        out.append(generator.generate(tree))
        findings += [Finding("sqlglot", Action.REFUSED, m) for m in generator.unsupported_messages]
    if function_exists is not None:
        findings += functions.check_exists(";\n".join(out), function_exists)
    refused = [f for f in findings if f.action == Action.REFUSED]
    if refused:
        raise SparkSqlError(refused)
    return SparkSql(";\n".join(out), findings)
