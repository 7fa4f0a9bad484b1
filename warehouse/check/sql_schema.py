"""Table-level expectations (row counts, the column list) with GX's pandas semantics."""
from __future__ import annotations

from collections.abc import Callable
from itertools import zip_longest

from warehouse.check.sql_aggregate import between_success
from warehouse.check.sql_table import Table
from warehouse.sql import expectation_sql as q


def _row_count(table: Table, type_: str, kw: dict) -> tuple[bool, dict]:
    count = table.row_count()
    if type_ == "expect_table_row_count_to_equal":
        return count == kw["value"], {"observed_value": count}
    return between_success(count, kw), {"observed_value": count}


def _row_count_other(table: Table, kw: dict, relation_of: Callable[[str], str]) -> tuple[bool, dict]:
    """Rows here against rows in `other_table_name` (a model of the project, or a relation)."""
    mine = table.row_count()
    (other,) = table.one(q.select(q.count_all(),
                                  source=q.relation(relation_of(kw["other_table_name"]))))
    return mine == other, {"observed_value": {"self": mine, "other": int(other)}}


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


def _column_count(table: Table, type_: str, kw: dict) -> tuple[bool, dict]:
    count = len(table.columns)
    if type_ == "expect_table_column_count_to_equal":
        return count == kw["value"], {"observed_value": count}
    return between_success(count, kw), {"observed_value": count}


TABLE_TYPES = ("expect_table_row_count_to_be_between", "expect_table_row_count_to_equal",
               "expect_table_row_count_to_equal_other_table", "expect_table_columns_to_match_set",
               "expect_table_columns_to_match_ordered_list", "expect_column_to_exist",
               "expect_table_column_count_to_equal", "expect_table_column_count_to_be_between")


def evaluate_table(table: Table, type_: str, kw: dict,
                   relation_of: Callable[[str], str]) -> tuple[bool, dict]:
    """(success, GX-shaped result) for one table-level expectation."""
    if type_ == "expect_table_row_count_to_equal_other_table":
        return _row_count_other(table, kw, relation_of)
    if type_.startswith("expect_table_row_count"):
        return _row_count(table, type_, kw)
    if type_.startswith("expect_table_column_count"):
        return _column_count(table, type_, kw)
    if type_ == "expect_table_columns_to_match_set":
        return _columns_match_set(table, kw)
    if type_ == "expect_table_columns_to_match_ordered_list":
        return _columns_match_list(table, kw)
    if type_ == "expect_column_to_exist":
        return _column_exists(table, kw)
    raise KeyError(type_)
