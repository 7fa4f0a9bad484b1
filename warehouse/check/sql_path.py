"""The SQL path: evaluate supported expectations inside DuckDB, without pandas or GX.

It exists because GX needs the whole table in pandas (see docs/checks.md for the cost at
1M/10M rows). It reproduces GX's result format and semantics for a fixed list of types;
tests/check run both paths on the same data and compare every field.
"""
from __future__ import annotations

import re

from warehouse.check.catalog import STATIC_SPECS
from warehouse.check.model import Expectation, ExpectationResult, error_result, error_text, make_result
from warehouse.check.sql_aggregate import evaluate_aggregate
from warehouse.check.sql_map import MULTI_TYPES, PAIR_TYPES, evaluate_map
from warehouse.check.sql_table import Table

SQL_TYPES = frozenset(STATIC_SPECS)
MAP_TYPES = frozenset({
    "expect_column_values_to_not_be_null", "expect_column_values_to_be_unique",
    "expect_column_values_to_be_in_set", "expect_column_values_to_not_be_in_set",
    "expect_column_values_to_be_between", "expect_column_values_to_match_regex",
    *PAIR_TYPES, *MULTI_TYPES})

# Kwargs whose GX meaning the SQL path does not reproduce (pandas row_condition syntax,
# windows over earlier runs): expectations using them go to the GX path.
GX_ONLY_KWARGS = frozenset({"row_condition", "condition_parser", "windows"})

# Python `re` features RE2 (DuckDB's regex engine) lacks: lookaround and backreferences.
_PYTHON_ONLY_REGEX = re.compile(r"\(\?<?[=!]|\\[1-9]|\(\?P=")


def sql_supported(exp: Expectation) -> bool:
    """Whether the SQL path reproduces this expectation exactly; the rest goes to GX."""
    if exp.type not in SQL_TYPES or GX_ONLY_KWARGS & set(exp.kwargs):
        return False
    regex = exp.kwargs.get("regex")
    return not (isinstance(regex, str) and _PYTHON_ONLY_REGEX.search(regex))


def evaluate(table: Table, suite: str, exp: Expectation) -> ExpectationResult:
    """One expectation's result; a DuckDB error becomes a failed result with the message."""
    try:
        if exp.type in MAP_TYPES:
            success, result = evaluate_map(table, exp.type, exp.kwargs)
        else:
            success, result = evaluate_aggregate(table, exp.type, exp.kwargs)
    except Exception as exc:  # the engine's DatabaseError, or a comparison Python cannot make
        return error_result(suite, exp, "sql", error_text(exc))
    return make_result(suite, exp, "sql", success, result)


def run_sql(con, relation: str, suite: str,
            expectations: list[Expectation]) -> list[ExpectationResult]:
    """Evaluate `expectations` (all sql_supported) against `relation` in `con`."""
    try:
        table = Table.describe(con, relation)
    except Exception as exc:
        return [error_result(suite, e, "sql", f"cannot read {relation}: {error_text(exc, with_type=False)}")
                for e in expectations]
    return [evaluate(table, suite, exp) for exp in expectations]
