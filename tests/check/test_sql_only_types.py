"""The SQL path's types that GX's pandas engine cannot evaluate (like patterns, another table's
row count: GX answers them only on SQL backends), checked against hand-counted answers; and the
SQL path's queries are engine-neutral (every one transpiles to Spark)."""
from __future__ import annotations

import pytest

from warehouse.check.model import Expectation, Suite
from warehouse.check.runner import loading_notice, run_suites
from warehouse.check.sql_path import gx_reason


@pytest.fixture
def codes(con):
    con.execute("CREATE TABLE codes AS SELECT * FROM (VALUES (1, 'AB-1'), (2, 'AB_2'), (3, 'cd-3'), "
                "(4, NULL), (5, '50%'), (6, 'x')) v(id, code)")
    con.execute("CREATE TABLE other AS SELECT * FROM range(6)")
    return con


def _run(con, *expectations: tuple[str, dict]):
    exps = tuple(Expectation(i, t, kw, {}) for i, (t, kw) in enumerate(expectations))
    (result,) = run_suites(con, [Suite("codes", None, "codes", None, exps, {})],
                           lambda name: name, path="sql")
    assert {r.path for r in result.results} == {"sql"}
    return result.results


def test_every_sql_type_has_exactly_one_evaluator():
    from warehouse.check.sql_path import AGGREGATE_TYPES, MAP_TYPES, SQL_TYPES, TABLE_TYPES

    assert MAP_TYPES | AGGREGATE_TYPES | TABLE_TYPES == SQL_TYPES
    assert len(MAP_TYPES) + len(AGGREGATE_TYPES) + len(TABLE_TYPES) == len(SQL_TYPES) == 46


def test_like_patterns_follow_sql_like(codes):
    results = _run(codes,
                   ("expect_column_values_to_match_like_pattern", {"column": "code", "like_pattern": "AB%"}),
                   ("expect_column_values_to_not_match_like_pattern", {"column": "code", "like_pattern": "__-_"}),
                   ("expect_column_values_to_match_like_pattern_list",
                    {"column": "code", "like_pattern_list": ["AB%", "%-%"], "match_on": "all"}),
                   ("expect_column_values_to_not_match_like_pattern_list",
                    {"column": "code", "like_pattern_list": ["%!%", "x"], "escape": "!"}),
                   ("expect_column_values_to_match_like_pattern",
                    {"column": "code", "like_pattern": "%-%", "mostly": 0.4}))
    assert [r.unexpected_count for r in results] == [3, 2, 4, 2, 3]
    assert results[0].partial_unexpected_list == ["cd-3", "50%", "x"]
    assert results[3].partial_unexpected_list == ["50%", "x"]
    assert [r.element_count for r in results] == [6] * 5
    assert results[0].details["missing_count"] == 1          # NULL is left out, as in GX
    assert [r.success for r in results] == [False, False, False, False, True]


def test_row_count_equal_other_table(codes):
    same, different = _run(codes,
                           ("expect_table_row_count_to_equal_other_table", {"other_table_name": "other"}),
                           ("expect_table_row_count_to_equal_other_table", {"other_table_name": "codes"}))
    assert same.success and same.observed_value == {"self": 6, "other": 6}
    codes.execute("INSERT INTO other VALUES (7)")
    (after,) = _run(codes, ("expect_table_row_count_to_equal_other_table", {"other_table_name": "other"}))
    assert not after.success and after.observed_value == {"self": 6, "other": 7}
    assert different.success


def test_strftime_on_a_non_text_column_is_an_error_not_a_pass(codes):
    (result,) = _run(codes, ("expect_column_values_to_match_strftime_format",
                             {"column": "id", "strftime_format": "%Y"}))
    assert not result.success and "needs a text column" in result.exception


def test_every_sql_path_query_transpiles_to_spark(con):
    """Engine-neutral: the queries of the parity suite, as the Spark engine would receive them."""
    from tests.check import test_path_parity as parity
    from warehouse.engine.duckdb_engine import DuckDBEngine
    from warehouse.engine.spark.dialect import to_spark

    seen: list[str] = []

    class Recording(DuckDBEngine):
        def fetchall(self, sql, params=None, where=None):
            seen.append(sql)
            return super().fetchall(sql, params, where)

    con.execute(f"CREATE TABLE orders ({parity.SCHEMA})")
    con.execute(parity.DATASETS["rows_with_nulls"])
    engine = Recording.from_connection(con.con)
    run_suites(engine, [parity._suite()], lambda name: "main.orders", path="sql")
    assert len(seen) > 100
    for sql in seen:
        assert to_spark(sql).sql, sql


def test_the_gx_notice_names_suite_file_expectation_and_reason(tmp_path):
    exps = [Expectation(0, "expect_column_values_to_not_be_null", {"column": "a"}, {}),
            Expectation(1, "expect_column_values_to_be_json_parseable", {"column": "a"}, {}),
            Expectation(2, "expect_column_values_to_not_be_null",
                        {"column": "a", "row_condition": "a>0", "condition_parser": "pandas"}, {}),
            Expectation(3, "expect_column_values_to_match_regex", {"column": "a", "regex": "(?<=x)y"}, {})]
    suite = Suite("s", tmp_path / "s.json", "m", None, tuple(exps), {})
    text = loading_notice(suite, exps)
    assert gx_reason(exps[0]) is None
    assert f"suite s ({tmp_path / 's.json'})" in text
    assert "#1 expect_column_values_to_be_json_parseable (type has no SQL implementation)" in text
    assert "#2 expect_column_values_to_not_be_null (uses condition_parser, row_condition)" in text
    assert "#3 expect_column_values_to_match_regex (regex uses Python-only syntax" in text
