"""The SQL path: evaluate supported expectations inside the engine, without pandas or GX.

It exists because GX needs the whole table in pandas (see docs/checks.md for the cost at
1M/10M rows) and costs 2.6 s to import. It reproduces GX's result format and semantics for a
fixed list of types (the SQL built as sqlglot expressions, `warehouse.sql.expectation_sql`);
tests/check run both paths on the same data and compare every field.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from warehouse.check.catalog import STATIC_SPECS
from warehouse.check.model import Expectation, ExpectationResult, error_result, error_text, make_result
from warehouse.check.sql_aggregate import COLUMN_AGGREGATE_TYPES, evaluate_column_aggregate
from warehouse.check.sql_map import COLUMN_TYPES, MULTI_TYPES, ORDER_TYPES, PAIR_TYPES, evaluate_map
from warehouse.check.sql_schema import TABLE_TYPES as _TABLE_TYPES
from warehouse.check.sql_schema import evaluate_table
from warehouse.check.sql_table import Table

SQL_TYPES = frozenset(STATIC_SPECS)
MAP_TYPES = frozenset({*COLUMN_TYPES, *PAIR_TYPES, *MULTI_TYPES, *ORDER_TYPES})
AGGREGATE_TYPES = frozenset(COLUMN_AGGREGATE_TYPES)
TABLE_TYPES = frozenset(_TABLE_TYPES)

# Kwargs whose GX meaning the SQL path does not reproduce (pandas row_condition syntax,
# windows over earlier runs): expectations using them go to the GX path.
GX_ONLY_KWARGS = frozenset({"row_condition", "condition_parser", "windows"})

# Python `re` features RE2 (DuckDB's regex engine) lacks: lookaround and backreferences.
_PYTHON_ONLY_REGEX = re.compile(r"\(\?<?[=!]|\\[1-9]|\(\?P=")


def _regexes(kwargs: dict) -> list:
    found = [kwargs.get("regex")] + list(kwargs.get("regex_list") or [])
    return [r for r in found if isinstance(r, str)]


def gx_reason(exp: Expectation) -> str | None:
    """Why this expectation cannot take the SQL path (None when it can): said in the build's
    notice, because loading GX for it costs ~2.6 s."""
    if exp.type not in SQL_TYPES:
        return "type has no SQL implementation"
    used = sorted(GX_ONLY_KWARGS & set(exp.kwargs))
    if used:
        return f"uses {', '.join(used)}"
    if any(_PYTHON_ONLY_REGEX.search(r) for r in _regexes(exp.kwargs)):
        return "regex uses Python-only syntax (lookaround or backreference)"
    return None


def sql_supported(exp: Expectation) -> bool:
    """Whether the SQL path reproduces this expectation exactly; the rest goes to GX."""
    return gx_reason(exp) is None


def evaluate(table: Table, suite: str, exp: Expectation,
             relation_of: Callable[[str], str] = str) -> ExpectationResult:
    """One expectation's result; an engine error becomes a failed result with the message."""
    try:
        if exp.type in MAP_TYPES:
            success, result = evaluate_map(table, exp.type, exp.kwargs)
        elif exp.type in AGGREGATE_TYPES:
            success, result = evaluate_column_aggregate(table, exp.type, exp.kwargs)
        else:
            success, result = evaluate_table(table, exp.type, exp.kwargs, relation_of)
    except Exception as exc:  # the engine's DatabaseError, or a comparison Python cannot make
        return error_result(suite, exp, "sql", error_text(exc))
    return make_result(suite, exp, "sql", success, result)


def run_sql(con, relation: str, suite: str, expectations: list[Expectation],
            relation_of: Callable[[str], str] = str) -> list[ExpectationResult]:
    """Evaluate `expectations` (all sql_supported) against `relation` in `con`; `relation_of`
    names other models (expect_table_row_count_to_equal_other_table)."""
    try:
        table = Table.describe(con, relation)
    except Exception as exc:
        return [error_result(suite, e, "sql", f"cannot read {relation}: {error_text(exc, with_type=False)}")
                for e in expectations]
    return [evaluate(table, suite, exp, relation_of) for exp in expectations]
