"""Aggregate and table-level expectations in DuckDB, with GX's pandas semantics.

Reproduced from GX 1.24.1: aggregates skip missing values (pandas skipna); the sum of no
values is 0 (pandas), while min/max/mean of no values are missing, which fails with
observed_value None; the unique proportion of a column with no values is 0; distinct values
outside a set are listed sorted, at most 20, with observed_value None.
"""
from __future__ import annotations

import datetime
from itertools import zip_longest

from warehouse.check.sql_table import PARTIAL_COUNT, Table
from warehouse.check.values import sql_literal

_AGGREGATE_FN = {"expect_column_min_to_be_between": "min",
                 "expect_column_max_to_be_between": "max",
                 "expect_column_mean_to_be_between": "avg",
                 "expect_column_sum_to_be_between": "sum"}


def _as_date_like(bound, observed):
    """GX parses string bounds when the observed value is a date or timestamp."""
    if isinstance(bound, str) and isinstance(observed, datetime.datetime):
        return datetime.datetime.fromisoformat(bound)
    if isinstance(bound, str) and isinstance(observed, datetime.date):
        return datetime.date.fromisoformat(bound[:10])
    return bound


def between_success(observed, kw: dict) -> bool:
    """GX's _validate_metric_value_between: a missing observed value fails."""
    if observed is None:
        return False
    low, high = _as_date_like(kw.get("min_value"), observed), _as_date_like(
        kw.get("max_value"), observed)
    above = low is None or (observed > low if kw.get("strict_min") else observed >= low)
    below = high is None or (observed < high if kw.get("strict_max") else observed <= high)
    return bool(above and below)


def _aggregate(table: Table, type_: str, kw: dict) -> tuple[bool, dict]:
    name = kw["column"]
    fn = _AGGREGATE_FN[type_]
    (value,) = table.one(f"SELECT {fn}({table.col(name)}) FROM {table.relation} "
                         f"WHERE NOT {table.is_missing(name)}")
    if value is None and fn == "sum":
        value = 0
    return between_success(value, kw), {"observed_value": value}


def _unique_proportion(table: Table, kw: dict) -> tuple[bool, dict]:
    name = kw["column"]
    present = f"NOT {table.is_missing(name)}"
    total, nonmissing, distinct = table.one(
        f"SELECT count(*), count(*) FILTER (WHERE {present}), "
        f"count(DISTINCT {table.col(name)}) FILTER (WHERE {present}) FROM {table.relation}")
    value = distinct / nonmissing if total and nonmissing else 0
    return between_success(value, kw), {"observed_value": value}


def _distinct_in_set(table: Table, kw: dict) -> tuple[bool, dict]:
    name, col = kw["column"], table.col(kw["column"])
    literals = [sql_literal(v) for v in kw["value_set"] if v is not None]
    outside = f"NOT coalesce({col} IN ({', '.join(literals)}), FALSE)" if literals else "TRUE"
    distinct = (f"SELECT DISTINCT {col} AS v FROM {table.relation} "
                f"WHERE NOT {table.is_missing(name)} AND {outside}")
    (count,) = table.one(f"SELECT count(*) FROM ({distinct})")
    rows = table.all(f"SELECT v FROM ({distinct}) ORDER BY v LIMIT {PARTIAL_COUNT}")
    return count == 0, {"observed_value": None, "unexpected_count": count,
                        "partial_unexpected_list": [r[0] for r in rows]}


def _row_count(table: Table, type_: str, kw: dict) -> tuple[bool, dict]:
    count = table.row_count()
    if type_ == "expect_table_row_count_to_equal":
        return count == kw["value"], {"observed_value": count}
    return between_success(count, kw), {"observed_value": count}


def _columns_match_set(table: Table, kw: dict) -> tuple[bool, dict]:
    """GX's pandas branch of expect_table_columns_to_match_set (case-sensitive)."""
    expected = set(kw["column_set"]) if kw.get("column_set") is not None else set()
    actual = set(table.columns)
    observed = sorted(actual)
    extra, missing = sorted(actual - expected), sorted(expected - actual)
    exact = kw.get("exact_match", True)
    if (kw.get("column_set") is None and exact is not True) or (not extra and not missing):
        return True, {"observed_value": observed}
    mismatched = {k: v for k, v in (("unexpected", extra), ("missing", missing)) if v}
    success = False if exact else not missing
    return success, {"observed_value": observed, "details": {"mismatched": mismatched}}


def _columns_match_list(table: Table, kw: dict) -> tuple[bool, dict]:
    expected, actual = kw.get("column_list"), list(table.columns)
    if expected is None or list(expected) == actual:
        return True, {"observed_value": actual}
    mismatched = [{"Expected Column Position": i, "Expected": e, "Found": f}
                  for i, (e, f) in enumerate(zip_longest(expected, actual)) if e != f]
    return False, {"observed_value": actual, "details": {"mismatched": mismatched}}


def _column_exists(table: Table, kw: dict) -> tuple[bool, dict]:
    index = kw.get("column_index")
    if index:  # GX tests truthiness, so column_index 0 only checks presence
        found = index < len(table.columns) and table.columns[index] == kw["column"]
        return found, {}
    return kw["column"] in table.columns, {}


def evaluate_aggregate(table: Table, type_: str, kw: dict) -> tuple[bool, dict]:
    """(success, GX-shaped result) for one aggregate or table-level expectation."""
    if type_ in _AGGREGATE_FN:
        return _aggregate(table, type_, kw)
    if type_ == "expect_column_proportion_of_unique_values_to_be_between":
        return _unique_proportion(table, kw)
    if type_ == "expect_column_distinct_values_to_be_in_set":
        return _distinct_in_set(table, kw)
    if type_.startswith("expect_table_row_count"):
        return _row_count(table, type_, kw)
    if type_ == "expect_table_columns_to_match_set":
        return _columns_match_set(table, kw)
    if type_ == "expect_table_columns_to_match_ordered_list":
        return _columns_match_list(table, kw)
    if type_ == "expect_column_to_exist":
        return _column_exists(table, kw)
    raise KeyError(type_)
