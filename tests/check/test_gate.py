"""The gate end to end on real DuckDB tables: outcomes, severities, records, summaries,
the auto path rule, and that GX and pandas stay unimported until needed."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from warehouse.check import (blocking_failures, load_suites, run_suites, summarize,
                             write_results)
from warehouse.check import runner

ORDERS = """
CREATE TABLE orders AS SELECT * FROM (VALUES
  (1, 'open', 10.0), (2, 'closed', 20.0), (3, 'open', NULL), (4, 'bogus', 5.0),
  (5, 'lost', 7.5)) v(id, status, amount)
"""
NOT_NULL_ID = {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "id"}}
UNIQUE_ID = {"type": "expect_column_values_to_be_unique", "kwargs": {"column": "id"}}
STATUS_IN_SET = {"type": "expect_column_values_to_be_in_set",
                 "kwargs": {"column": "status", "value_set": ["open", "closed"]}}
LENGTHS = {"type": "expect_column_values_to_be_json_parseable",  # a GX-only type
           "kwargs": {"column": "status", "mostly": 0.0}}


@pytest.fixture
def orders(con):
    con.execute(ORDERS)
    return con


def _run(con, suite_dir, path="auto", gx_runner=None):
    return run_suites(con, load_suites(suite_dir), lambda model: f"main.{model}", path=path,
                      gx_runner=gx_runner)


@pytest.mark.parametrize("path", ["sql", "gx"])
def test_passing_suite(orders, write, suite_dir, orders_suite, gx_runner, path):
    write("orders.json", orders_suite(NOT_NULL_ID, UNIQUE_ID, {
        "type": "expect_table_row_count_to_equal", "kwargs": {"value": 5}}))
    (result,) = _run(orders, suite_dir, path, gx_runner)
    assert result.success and result.path == path
    assert [r.index for r in result.results] == [0, 1, 2]
    assert blocking_failures([result]) == []


def test_only_critical_failures_block(orders, write, suite_dir, orders_suite, gx_runner):
    write("orders.json", orders_suite(
        NOT_NULL_ID,
        STATUS_IN_SET,
        {**STATUS_IN_SET, "severity": "warning"},
        {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "amount"},
         "severity": "info"}))
    (result,) = _run(orders, suite_dir, "gx", gx_runner)
    assert not result.success
    assert [r.success for r in result.results] == [True, False, False, False]
    (blocking,) = blocking_failures([result])
    assert (blocking.index, blocking.severity, blocking.unexpected_count) == (1, "critical", 2)
    assert blocking.partial_unexpected_list == ["bogus", "lost"]


def test_errored_expectation_blocks_whatever_its_severity(orders, write, suite_dir,
                                                         orders_suite):
    write("orders.json", orders_suite(
        {"type": "expect_column_values_to_be_in_set", "severity": "info",
         "kwargs": {"column": "amount", "value_set": ["ten"]}}))
    (result,) = _run(orders, suite_dir, "sql")
    (failure,) = blocking_failures([result])
    assert "ConversionException" in failure.exception and "'ten'" in failure.exception
    assert summarize([result])[0].startswith(
        "ERROR orders#0 expect_column_values_to_be_in_set(amount) on orders: could not run: ")


def test_query_bound_suite(orders, write, suite_dir):
    write("open.json", {"name": "open_orders",
                        "meta": {"query": "SELECT * FROM orders WHERE status = 'open';"},
                        "expectations": [{"type": "expect_table_row_count_to_equal",
                                          "kwargs": {"value": 2}}]})
    (result,) = _run(orders, suite_dir, "sql")
    assert result.success and result.model is None
    assert result.results[0].observed_value == 2


def test_missing_relation_is_an_error_not_a_crash(con, write, suite_dir, orders_suite):
    write("orders.json", orders_suite(NOT_NULL_ID))
    (result,) = _run(con, suite_dir, "sql")
    assert "cannot read main.orders" in result.results[0].exception
    assert len(blocking_failures([result])) == 1


def test_auto_uses_gx_below_threshold_and_splits_above(orders, write, suite_dir,
                                                      orders_suite, gx_runner, monkeypatch):
    write("orders.json", orders_suite(NOT_NULL_ID, LENGTHS))
    (small,) = _run(orders, suite_dir, "auto", gx_runner)
    assert small.path == "gx"
    monkeypatch.setattr(runner, "AUTO_SQL_MIN_ROWS", 5)
    (large,) = _run(orders, suite_dir, "auto", gx_runner)
    assert large.path == "mixed"
    assert [r.path for r in large.results] == ["sql", "gx"]


def test_gx_progress_bars_and_logs_are_silent(orders, write, suite_dir, orders_suite,
                                              gx_runner, capfd):
    write("orders.json", orders_suite(NOT_NULL_ID, STATUS_IN_SET, LENGTHS))
    _run(orders, suite_dir, "gx", gx_runner)
    out, err = capfd.readouterr()
    assert "Calculating Metrics" not in err + out


def test_results_json_and_table(orders, write, suite_dir, orders_suite, tmp_path):
    write("orders.json", orders_suite(NOT_NULL_ID, {**STATUS_IN_SET, "severity": "warning"}))
    results = _run(orders, suite_dir, "sql")
    out = write_results(results, tmp_path / "target", orders, build_id="b-1")
    write_results(results, tmp_path / "target", orders, build_id="b-2")
    doc = json.loads(out.read_text())
    assert out.name == "check_results.json"
    assert doc["build_id"] == "b-2" and doc["success"] is True
    (suite,) = doc["suites"]
    assert suite["results"][1]["partial_unexpected_list"] == ["bogus", "lost"]
    rows = orders.fetchall(
        "SELECT build_id, suite, model, expectation_index, expectation_type, column_name, "
        "severity, success, unexpected_count, unexpected_percent, path, "
        "details->>'$.partial_unexpected_list[0]' FROM _warehouse_checks "
        "ORDER BY build_id, expectation_index")
    assert rows[:2] == [
        ("b-1", "orders", "orders", 0, "expect_column_values_to_not_be_null", "id",
         "critical", True, 0, 0.0, "sql", None),
        ("b-1", "orders", "orders", 1, "expect_column_values_to_be_in_set", "status",
         "warning", False, 2, 40.0, "sql", "bogus")]
    assert [r[0] for r in rows] == ["b-1", "b-1", "b-2", "b-2"]


def test_summarize_names_failures_counts_and_examples(orders, write, suite_dir,
                                                     orders_suite):
    write("orders.json", orders_suite(
        NOT_NULL_ID, STATUS_IN_SET,
        {"type": "expect_column_max_to_be_between", "severity": "warning",
         "kwargs": {"column": "amount", "max_value": 15}}))
    lines = summarize(_run(orders, suite_dir, "sql"))
    assert lines == [
        'FAIL orders#1 expect_column_values_to_be_in_set(status) on orders: 2 of 5 rows '
        'unexpected (40.00%); examples: "bogus", "lost"',
        "WARN orders#2 expect_column_max_to_be_between(amount) on orders: observed 20.0 "
        "(expected max_value=15)",
        "1 suites, 3 expectations: 2 failed, 1 blocking"]


def test_gx_loads_only_named_columns_and_a_missing_one_fails_alone(con, gx_runner):
    from warehouse.check.gx_path import columns_needed
    from warehouse.check.model import Expectation, Suite

    exps = (Expectation(0, "expect_column_values_to_not_be_null", {"column": "id"}, {}),
            Expectation(1, "expect_column_values_to_be_json_parseable",
                        {"column": "nme"}, {}))
    assert columns_needed(list(exps)) == {"id", "nme"}
    assert columns_needed([Expectation(0, "expect_table_row_count_to_equal",
                                       {"value": 1}, {})]) is None
    con.execute("CREATE TABLE people AS SELECT 1 AS id, 'ann' AS name, 2 AS other")
    suite = Suite("people", None, None, "SELECT * FROM people", exps, {})
    (result,) = run_suites(con, [suite], str, path="gx", gx_runner=gx_runner)
    assert [r.success for r in result.results] == [True, False]
    assert result.results[0].exception is None
    assert "nme" in result.results[1].exception


def test_frame_for_gx_keeps_pandas3_strings_and_floats_decimals(con):
    from warehouse.check.gx_path import load_frame

    con.execute("CREATE TABLE t AS SELECT 'a' AS s, 1.25::DECIMAL(9,2) AS m, NULL::VARCHAR n")
    frame = load_frame(con, "t")
    assert str(frame["s"].dtype) == "str" and str(frame["n"].dtype) == "str"
    assert str(frame["m"].dtype) == "float64"


def _fresh_python(code: str) -> list[str]:
    """Run `code` in a new interpreter and return the heavy modules it ended up importing."""
    probe = code + textwrap.dedent("""
        import sys
        print(",".join(sorted(m for m in ("great_expectations", "pandas", "scipy")
                              if m in sys.modules)))
    """)
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True, timeout=120)
    return [m for m in done.stdout.strip().split(",") if m]


def test_import_does_not_load_gx_or_pandas():
    assert _fresh_python("import warehouse.check") == []


def test_sql_only_suites_load_and_run_without_gx_or_pandas(tmp_path):
    directory = tmp_path / "data_checks"
    directory.mkdir()
    (directory / "t.json").write_text(json.dumps({
        "name": "t", "meta": {"model": "t"},
        "expectations": [NOT_NULL_ID, UNIQUE_ID, STATUS_IN_SET]}))
    code = textwrap.dedent(f"""
        import duckdb
        from pathlib import Path
        from warehouse.check import load_suites, run_suites
        from warehouse.engine.duckdb_engine import DuckDBEngine
        con = duckdb.connect()
        con.execute("CREATE TABLE t AS SELECT range AS id, 'open' AS status FROM range(10)")
        suites = load_suites(Path({str(directory)!r}))
        (result,) = run_suites(DuckDBEngine.from_connection(con), suites, str, path="sql")
        assert result.success and result.path == "sql", result
    """)
    assert _fresh_python(code) == []
