"""The SQL path must give GX's answers: same success, counts, percentages, examples and
observed values, on the same DuckDB data, for every type it supports.

Each dataset is validated once per path (one GX validate per dataset) and every expectation
is then compared field by field in its own test case.
"""
from __future__ import annotations

import math

import duckdb
import pytest

from warehouse.check.model import Expectation, Suite
from warehouse.check.runner import run_suites
from warehouse.check.sql_path import SQL_TYPES
from warehouse.engine.duckdb_engine import DuckDBEngine

SCHEMA = ("id INTEGER, a INTEGER, b INTEGER, amount DECIMAL(10,2), score DOUBLE, "
          "status VARCHAR, code VARCHAR, ts TIMESTAMP, day VARCHAR")

ROWS = """
(1, 5, 1, 10.50, 0.5, 'open', 'AB-1', TIMESTAMP '2024-01-01 10:00:00', '2024-01-31'),
(2, 3, 3, 99.99, NULL, 'closed', 'AB-22', TIMESTAMP '2024-02-01 10:00:00', '31/01/2024'),
(2, 1, 4, NULL, 'NaN'::DOUBLE, NULL, 'x-9', TIMESTAMP '2024-03-01 00:00:00', NULL),
(NULL, NULL, 2, 0.00, 2.5, 'open', NULL, NULL, '2024-02-30'),
(5, 7, NULL, 150.00, -1.0, 'void', 'CD-7', TIMESTAMP '2023-12-31 23:59:59', '2024-1-5'),
(6, NULL, NULL, 20.00, 3.0, 'open', 'AB-1', TIMESTAMP '2024-06-30 12:00:00', '2024-06-30'),
(7, 2, 2, 5.25, 4.0, 'closed', 'EF-100', TIMESTAMP '2024-01-15 08:30:00', '2024-06-30 '),
(8, 9, 8, 30.00, 0.0, 'pending', 'GH-3', TIMESTAMP '2024-04-01 00:00:00', 'x')
"""

# ~3k rows: more than 20 unexpected values (examples must be the first 20, in table order)
# and `mostly` thresholds that pass and fail.
GENERATED = """
SELECT CASE WHEN i % 97 = 0 THEN NULL ELSE i % 1500 END AS id,
       i % 13 AS a, CASE WHEN i % 11 = 0 THEN NULL ELSE i % 7 END AS b,
       (i % 500) * 1.25 AS amount,
       CASE WHEN i % 50 = 0 THEN NULL ELSE (i % 1000) / 10.0 END AS score,
       CASE WHEN i % 31 = 0 THEN NULL ELSE ['open', 'closed', 'void', 'Open'][i % 4 + 1] END,
       CASE WHEN i % 17 = 0 THEN 'bad' ELSE 'AB-' || i END AS code,
       TIMESTAMP '2024-01-01' + INTERVAL (i) MINUTE AS ts,
       CASE WHEN i % 23 = 0 THEN 'bad' WHEN i % 29 = 0 THEN NULL
            ELSE strftime(DATE '2024-01-01' + INTERVAL (i % 400) DAY, '%Y-%m-%d') END AS day
FROM range(3000) t(i)
"""

DATASETS = {
    "rows_with_nulls": f"INSERT INTO orders VALUES {ROWS}",
    "empty": None,
    "all_null": "INSERT INTO orders SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL "
                "FROM range(4)",
    "generated": f"INSERT INTO orders {GENERATED}",
}


def _e(type_: str, **kwargs) -> tuple[str, dict]:
    return (type_, kwargs)


CASES = [
    _e("expect_column_values_to_not_be_null", column="status"),
    _e("expect_column_values_to_not_be_null", column="score"),
    _e("expect_column_values_to_not_be_null", column="id", mostly=0.9),
    _e("expect_column_values_to_be_unique", column="id"),
    _e("expect_column_values_to_be_unique", column="code", mostly=0.5),
    _e("expect_column_values_to_be_unique", column="status"),
    _e("expect_column_values_to_be_in_set", column="status", value_set=["open", "closed"]),
    _e("expect_column_values_to_be_in_set", column="status", value_set=["open", "closed"],
       mostly=0.6),
    _e("expect_column_values_to_be_in_set", column="id", value_set=[1, 2, 3]),
    _e("expect_column_values_to_not_be_in_set", column="status", value_set=["void", None]),
    _e("expect_column_values_to_not_be_in_set", column="a", value_set=[2, 3]),
    _e("expect_column_values_to_be_between", column="amount", min_value=0, max_value=100),
    _e("expect_column_values_to_be_between", column="score", min_value=0, strict_min=True),
    _e("expect_column_values_to_be_between", column="id", max_value=5, strict_max=True,
       mostly=0.5),
    _e("expect_column_values_to_be_between", column="ts", min_value="2024-01-01 00:00:00",
       max_value="2024-03-31 00:00:00"),
    _e("expect_column_values_to_match_regex", column="code", regex=r"^[A-Z]{2}-\d+$"),
    _e("expect_column_values_to_match_regex", column="status", regex="en", mostly=0.3),
    _e("expect_table_row_count_to_be_between", min_value=1, max_value=10),
    _e("expect_table_row_count_to_be_between", min_value=8, strict_min=True),
    _e("expect_table_row_count_to_equal", value=8),
    _e("expect_table_columns_to_match_set",
       column_set=["id", "a", "b", "amount", "score", "status", "code", "ts", "day"]),
    _e("expect_table_columns_to_match_set", column_set=["id", "status", "extra"],
       exact_match=False),
    _e("expect_table_columns_to_match_set", column_set=["id", "status"], exact_match=False),
    _e("expect_table_columns_to_match_ordered_list", column_list=["id", "b", "a"]),
    _e("expect_column_to_exist", column="status"),
    _e("expect_column_to_exist", column="code", column_index=6),
    _e("expect_column_to_exist", column="missing"),
    _e("expect_compound_columns_to_be_unique", column_list=["a", "b"]),
    _e("expect_compound_columns_to_be_unique", column_list=["id", "status"],
       ignore_row_if="any_value_is_missing"),
    _e("expect_select_column_values_to_be_unique_within_record", column_list=["a", "b"]),
    _e("expect_select_column_values_to_be_unique_within_record", column_list=["a", "b", "id"],
       ignore_row_if="never"),
    _e("expect_column_pair_values_a_to_be_greater_than_b", column_A="a", column_B="b"),
    _e("expect_column_pair_values_a_to_be_greater_than_b", column_A="a", column_B="b",
       or_equal=True, ignore_row_if="either_value_is_missing", mostly=0.5),
    _e("expect_column_pair_values_a_to_be_greater_than_b", column_A="id", column_B="b",
       ignore_row_if="neither"),
    _e("expect_column_min_to_be_between", column="amount", min_value=0, max_value=1),
    _e("expect_column_min_to_be_between", column="ts", min_value="2024-01-01T00:00:00"),
    _e("expect_column_max_to_be_between", column="score", max_value=50),
    _e("expect_column_max_to_be_between", column="ts", max_value="2024-12-31 00:00:00"),
    _e("expect_column_mean_to_be_between", column="amount", min_value=10, max_value=100),
    _e("expect_column_mean_to_be_between", column="id", min_value=0, strict_min=True),
    _e("expect_column_sum_to_be_between", column="a", min_value=0, max_value=100),
    _e("expect_column_sum_to_be_between", column="amount", min_value=0),
    _e("expect_column_distinct_values_to_be_in_set", column="status",
       value_set=["open", "closed"]),
    _e("expect_column_distinct_values_to_be_in_set", column="id", value_set=[1, 2]),
    _e("expect_column_proportion_of_unique_values_to_be_between", column="status",
       min_value=0.5),
    _e("expect_column_proportion_of_unique_values_to_be_between", column="id", max_value=0.99),
    # widened SQL path (issue 11)
    _e("expect_column_values_to_be_null", column="score"),
    _e("expect_column_values_to_be_null", column="status", mostly=0.1),
    _e("expect_column_values_to_not_match_regex", column="code", regex="^AB"),
    _e("expect_column_values_to_not_match_regex", column="status", regex="x", mostly=0.9),
    _e("expect_column_values_to_match_regex_list", column="code", regex_list=["^AB", "^CD"]),
    _e("expect_column_values_to_match_regex_list", column="code", regex_list=["-", r"\d$"],
       match_on="all", mostly=0.5),
    _e("expect_column_values_to_not_match_regex_list", column="status", regex_list=["^v", "^p"]),
    _e("expect_column_value_lengths_to_be_between", column="code", min_value=4, max_value=5),
    _e("expect_column_value_lengths_to_be_between", column="code", min_value=4, strict_min=True,
       max_value=6, strict_max=True, mostly=0.5),
    _e("expect_column_value_lengths_to_be_between", column="status", max_value=5),
    _e("expect_column_value_lengths_to_equal", column="code", value=4),
    _e("expect_column_values_to_match_strftime_format", column="day", strftime_format="%Y-%m-%d"),
    _e("expect_column_values_to_match_strftime_format", column="day", strftime_format="%d/%m/%Y",
       mostly=0.01),
    _e("expect_column_values_to_be_increasing", column="id"),
    _e("expect_column_values_to_be_increasing", column="ts", strictly=True, mostly=0.5),
    _e("expect_column_values_to_be_decreasing", column="score"),
    _e("expect_column_values_to_be_decreasing", column="a", strictly=True, mostly=0.3),
    _e("expect_column_median_to_be_between", column="amount", min_value=0, max_value=50),
    _e("expect_column_median_to_be_between", column="score", max_value=1),
    _e("expect_column_median_to_be_between", column="a", min_value=3, strict_min=True),
    _e("expect_column_stdev_to_be_between", column="amount", min_value=1),
    _e("expect_column_stdev_to_be_between", column="score", max_value=10),
    _e("expect_column_quantile_values_to_be_between", column="amount",
       quantile_ranges={"quantiles": [0, 0.25, 0.5, 0.75, 1],
                        "value_ranges": [[0, 1], [None, 10], [5, 30], [20, None], [100, 200]]}),
    _e("expect_column_quantile_values_to_be_between", column="score", allow_relative_error="linear",
       quantile_ranges={"quantiles": [0.1, 0.5, 0.9], "value_ranges": [[None, 0], [1, 3], [3, 100]]}),
    _e("expect_column_quantile_values_to_be_between", column="id", allow_relative_error="midpoint",
       quantile_ranges={"quantiles": [0.33, 0.5], "value_ranges": [[1, 2], [2, 6]]}),
    _e("expect_column_quantile_values_to_be_between", column="a", allow_relative_error="lower",
       quantile_ranges={"quantiles": [0.05, 0.95], "value_ranges": [[0, 1], [8, 12]]}),
    _e("expect_column_unique_value_count_to_be_between", column="status", min_value=2, max_value=3),
    _e("expect_column_unique_value_count_to_be_between", column="id", max_value=1000),
    _e("expect_column_distinct_values_to_contain_set", column="status", value_set=["open", "closed"]),
    _e("expect_column_distinct_values_to_contain_set", column="id", value_set=[1, 2, 99]),
    _e("expect_column_distinct_values_to_equal_set", column="status",
       value_set=["open", "closed", "void", "pending"]),
    _e("expect_column_distinct_values_to_equal_set", column="a", value_set=[1, 2, 3]),
    _e("expect_column_most_common_value_to_be_in_set", column="status", value_set=["open"]),
    _e("expect_column_most_common_value_to_be_in_set", column="id", value_set=[2], ties_okay=True),
    _e("expect_column_most_common_value_to_be_in_set", column="a", value_set=[0, 1]),
    _e("expect_column_pair_values_to_be_equal", column_A="a", column_B="b"),
    _e("expect_column_pair_values_to_be_equal", column_A="a", column_B="b",
       ignore_row_if="either_value_is_missing", mostly=0.1),
    _e("expect_column_pair_values_to_be_in_set", column_A="a", column_B="b",
       value_pairs_set=[[5, 1], [3, 3], [2, 2], [None, 2]]),
    _e("expect_column_pair_values_to_be_in_set", column_A="a", column_B="b",
       value_pairs_set=[[1, 1], [2, 2]], ignore_row_if="neither", mostly=0.1),
    _e("expect_multicolumn_sum_to_equal", column_list=["a", "b"], sum_total=6),
    _e("expect_multicolumn_sum_to_equal", column_list=["a", "b", "id"], sum_total=10,
       ignore_row_if="any_value_is_missing", mostly=0.01),
    _e("expect_table_column_count_to_equal", value=9),
    _e("expect_table_column_count_to_be_between", min_value=5, max_value=8),
]

# Types whose GX pandas engine cannot answer, so they are checked against hand-counted
# answers in test_sql_only_types instead (GX evaluates them only on SQL backends).
SQL_ONLY_TYPES = {"expect_column_values_to_match_like_pattern",
                  "expect_column_values_to_not_match_like_pattern",
                  "expect_column_values_to_match_like_pattern_list",
                  "expect_column_values_to_not_match_like_pattern_list",
                  "expect_table_row_count_to_equal_other_table"}

FIELDS = ("success", "unexpected_count", "unexpected_percent", "partial_unexpected_list",
          "observed_value", "element_count", "details", "exception")


UNORDERED = ("partial_missing_list",)  # GX builds it from a Python set: its order is arbitrary


def _comparable(field: str, value):
    if field == "details" and isinstance(value, dict):
        return {k: sorted(v, key=repr) if k in UNORDERED and isinstance(v, list) else v
                for k, v in value.items()}
    return value


def approx_equal(a, b) -> bool:
    """Deep equality; floats may differ in the last bits (pandas vs DuckDB summation)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(approx_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(approx_equal(x, y) for x, y in zip(a, b))
    return a == b


def _suite() -> Suite:
    expectations = tuple(Expectation(i, t, kw, {}, "critical") for i, (t, kw) in enumerate(CASES))
    return Suite("parity", None, "orders", None, expectations, {})


@pytest.fixture(scope="module")
def outcomes(gx_runner):
    """{dataset: (sql results, gx results)} for the whole CASES suite."""
    found = {}
    for name, fill in DATASETS.items():
        con = duckdb.connect()
        con.execute(f"CREATE TABLE orders ({SCHEMA})")
        if fill:
            con.execute(fill)
        engine = DuckDBEngine.from_connection(con)
        (sql,) = run_suites(engine, [_suite()], str, path="sql")
        (gx,) = run_suites(engine, [_suite()], str, path="gx", gx_runner=gx_runner)
        found[name] = (sql.results, gx.results)
        con.close()
    return found


def test_cases_cover_every_sql_type():
    assert {t for t, _ in CASES} | SQL_ONLY_TYPES == SQL_TYPES


@pytest.mark.parametrize("dataset", list(DATASETS))
@pytest.mark.parametrize("case", range(len(CASES)),
                         ids=[f"{i}-{t.removeprefix('expect_')}" for i, (t, _) in enumerate(CASES)])
def test_sql_path_matches_gx(outcomes, dataset, case):
    sql, gx = (results[case] for results in outcomes[dataset])
    assert (sql.path, gx.path) == ("sql", "gx")
    for field in FIELDS:
        assert approx_equal(_comparable(field, getattr(sql, field)),
                            _comparable(field, getattr(gx, field))), (
            f"{field}: sql={getattr(sql, field)!r} gx={getattr(gx, field)!r}")


def test_parity_data_exercises_failures_and_examples(outcomes):
    """Guard against a vacuous comparison: the data must make many expectations fail and
    produce full example lists."""
    sql, _ = outcomes["generated"]
    assert sum(not r.success for r in sql) >= 15
    assert any(len(r.partial_unexpected_list) == 20 for r in sql)
    mostly_cases = [r for r in sql if "mostly" in r.kwargs]
    assert {r.success for r in mostly_cases} == {True, False}
