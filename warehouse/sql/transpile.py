"""Transpile compiled models from DuckDB to another dialect, with a report of what may not hold.

sqlglot's generator flags a few constructs as unsupported (its `unsupported_messages`, which we
collect with `ErrorLevel.IGNORE` so one model's problems never stop the others). Measured here,
that list is nearly always empty even when the output is wrong or will not run: it copies
unknown functions verbatim, drops ORDER BY inside aggregates for Spark, rewrites QUALIFY into a
subquery whose outer `SELECT *` can duplicate a column, and keeps DuckDB's `* EXCLUDE` and
unsigned types. So besides sqlglot's own messages we add warnings for those known pitfalls.
Transpiled SQL can run and still be wrong: compare results on the target before relying on it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import sqlglot
from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import ErrorLevel, ParseError, SqlglotError

from warehouse.core.errors import Location, StaticCheckError
from warehouse.sql.sourcemap import describe_parse_error
from warehouse.sql.records import DIALECT, SqlModel

# Targets that accept `SELECT * EXCEPT/REPLACE/...` (sqlglot passes it through to all others).
STAR_MODIFIER_DIALECTS = frozenset({"duckdb", "bigquery", "snowflake", "databricks", "clickhouse"})
# Constructs sqlglot copies into targets that have no such thing.
UNSUPPORTED_CONSTRUCTS: dict[type[exp.Expr], tuple[frozenset[str], str]] = {
    exp.Lambda: (frozenset({"postgres", "mysql", "sqlite", "tsql", "oracle", "redshift"}), "lambda functions"),
    exp.Struct: (frozenset({"postgres", "mysql", "sqlite", "tsql", "oracle", "redshift"}), "struct literals"),
}
DUCKDB_ONLY_TYPES = frozenset(
    {exp.DType.INT128, exp.DType.UINT128, exp.DType.UTINYINT, exp.DType.USMALLINT, exp.DType.UINT, exp.DType.UBIGINT}
)


@dataclass
class TranspileResult:
    """One model in the target dialect; `sql` is None when the model could not be transpiled."""

    model: str
    path: Path
    dialect: str
    sql: str | None
    warnings: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def problems(self) -> list[str]:
        """The error, if any, then the warnings: everything a report should list."""
        return ([self.error] if self.error else []) + self.warnings


def transpile_models(models: list[SqlModel], dialect: str) -> list[TranspileResult]:
    """Each model's compiled SQL in `dialect`. Raises only for an unknown dialect."""
    try:
        target = Dialect.get_or_raise(dialect)
    except ValueError as error:
        raise StaticCheckError(str(error), Location(node=dialect), hint="e.g. spark, postgres, snowflake") from None
    return [_transpile(model, target, dialect) for model in models]


def _transpile(model: SqlModel, target: Dialect, name: str) -> TranspileResult:
    result = TranspileResult(model.name, model.path, name, None)
    try:
        statements = [s for s in sqlglot.parse(model.compiled_sql, dialect=DIALECT) if s]
        generator = target.generator(unsupported_level=ErrorLevel.IGNORE, pretty=True)
        parts = []
        for statement in statements:
            parts.append(generator.generate(statement))
            result.warnings.extend(generator.unsupported_messages)
        result.sql = ";\n".join(parts)
    except ParseError as error:
        result.error = _describe(error)
        return result
    except SqlglotError as error:
        result.error = f"{type(error).__name__}: {error}"
        return result
    except Exception as error:  # noqa: BLE001 - one model's sqlglot bug must not stop the others
        result.error = f"sqlglot failed: {type(error).__name__}: {error}"
        return result
    if not result.sql.strip():
        result.error = f"sqlglot generated nothing for {name}: " + "; ".join(result.warnings)
        result.sql = None
        return result
    result.warnings.extend(_compare(statements, result.sql, name))
    return result


def _describe(error: ParseError) -> str:
    detail = error.errors[0] if error.errors else {}
    near = f" near '{detail['highlight']}'" if detail.get("highlight") else ""
    return f"cannot parse (compiled SQL line {detail.get('line')}){near}: {describe_parse_error(error)}"


def _compare(statements: list[exp.Expr], sql: str, dialect: str) -> list[str]:
    """Warnings from reading the output back in the target dialect next to the original."""
    try:
        reparsed = [s for s in sqlglot.parse(sql, dialect=dialect) if s]
    except SqlglotError as error:
        return [f"the generated SQL does not parse as {dialect}: {error}"]
    return [w for source, output in zip(statements, reparsed) for w in _pitfalls(source, output, dialect)]


def _pitfalls(source: exp.Expr, output: exp.Expr, dialect: str) -> list[str]:
    """Known ways the output differs from the DuckDB original without sqlglot saying so."""
    if dialect == DIALECT:
        return []
    warnings = _unknown_functions(source, dialect) + _missing_constructs(source, dialect)
    if isinstance(source, exp.Pivot):
        warnings.append(f"DuckDB's PIVOT statement was copied as is: {dialect} needs PIVOT inside a SELECT")
    if _ordered_aggregates(output) < _ordered_aggregates(source):
        warnings.append(
            f"ORDER BY inside an aggregate (e.g. list(x ORDER BY y)) was dropped for {dialect}: "
            "the order of the result, and anything indexing into it, may differ"
        )
    if source.find(exp.Qualify) and not output.find(exp.Qualify):
        warnings.append(
            f"QUALIFY was rewritten as a filtering subquery for {dialect}: check that the outer "
            "SELECT does not now return a window column twice"
        )
    return warnings


def _unknown_functions(source: exp.Expr, dialect: str) -> list[str]:
    names = sorted({f.name.lower() for f in source.find_all(exp.Anonymous)})
    return [f"function {n}() is unknown to sqlglot and was copied unchanged: check that {dialect} has it"
            for n in names]


def _missing_constructs(source: exp.Expr, dialect: str) -> list[str]:
    warnings = []
    if dialect not in STAR_MODIFIER_DIALECTS and any(
        star.args.get(k) for star in source.find_all(exp.Star) for k in ("except_", "replace", "rename", "ilike")
    ):
        warnings.append(f"SELECT * EXCLUDE/REPLACE/RENAME is DuckDB syntax that {dialect} does not accept")
    for construct, (dialects, label) in UNSUPPORTED_CONSTRUCTS.items():
        if dialect in dialects and source.find(construct):
            warnings.append(f"{label} have no equivalent in {dialect} but were copied unchanged")
    for dtype in sorted({d.this.value for d in source.find_all(exp.DataType) if d.this in DUCKDB_ONLY_TYPES}):
        warnings.append(f"DuckDB type {dtype} (unsigned or 128-bit) has no exact {dialect} equivalent: check ranges")
    return warnings


def _ordered_aggregates(expression: exp.Expr) -> int:
    """How many aggregates order their input (ORDER BY inside the call, or WITHIN GROUP)."""
    owners = (order.find_ancestor(exp.AggFunc, exp.WithinGroup, exp.Window, exp.Select)
              for order in expression.find_all(exp.Order))
    return sum(1 for owner in owners if isinstance(owner, (exp.AggFunc, exp.WithinGroup)))


def duckdb_type(kind: str, dialect: str) -> str | None:
    """A column type an engine of `dialect` reported (Spark's `STRUCT<a:INT>`), written as DuckDB SQL
    (`STRUCT(a INT)`), which every engine reads; None for a type DuckDB SQL cannot name (`VOID`)."""
    if dialect == DIALECT:
        return kind
    try:
        return exp.DataType.build(kind, dialect=dialect).sql(DIALECT)
    except SqlglotError:
        return None
