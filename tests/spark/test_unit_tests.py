"""dbt unit tests on Spark: the given rows become relations of an in-memory engine on the shared
session (never Parquet, never the warehouse), the model's SQL is transpiled and run on them, and a
failure is the same row diff as on DuckDB. One build covers dict, csv (inline and fixture file) and
sql inputs, var and macro overrides, `this` for an incremental model, and a failing test."""
from __future__ import annotations

import json
from pathlib import Path

from tests.dbt_resources._support import dbt_project
from tests.dbt_resources.test_unit_tests import FAILING
from tests.spark.conftest import needs_spark, spark_build

pytestmark = needs_spark


def test_unit_tests_run_on_spark_and_a_failing_one_publishes_nothing(spark_session, tmp_path: Path, capsys) -> None:
    project = dbt_project("unit_tests_basic", tmp_path / "unit")
    tests = project / "models" / "_unit_tests.yml"
    tests.write_text(tests.read_text() + FAILING)
    outcome = spark_build(project, capsys)
    assert outcome.code == 1, outcome.text
    # the diff is shown exactly as on DuckDB (tests/dbt_resources/test_unit_tests.py)
    assert ("FAIL     unit_test test_status_mapping_wrong_expectation [unit_test] rows=2" in outcome.out)
    assert ("unit test test_status_mapping_wrong_expectation on stg_orders: actual differs from expected "
            "(1 expected row(s) missing, 1 unexpected row(s))") in outcome.text
    assert "  - expected: {id: 2, status: 'complete'}" in outcome.text
    assert "  + actual:   {id: 2, status: 'pending'}" in outcome.text
    results = json.loads((project / "target" / "run_results.json").read_text())["results"]
    by_name = {r["name"]: r for r in results}
    units = {r["name"]: r["status"] for r in results if r["resource_type"] == "unit_test"}
    assert units == {
        "test_status_mapping_and_amount_parsing": "pass", "test_completion_rate_counts_only_orders_since": "pass",
        "test_customers_given_as_sql": "pass", "test_incremental_appends_only_newer_orders": "pass",
        "test_full_refresh_keeps_every_order": "pass", "test_a_macro_override_replaces_its_output": "pass",
        "test_status_mapping_wrong_expectation": "fail",
    }
    assert by_name["test_status_mapping_wrong_expectation"]["details"]["missing"] == [{"id": 2, "status": "complete"}]
    assert by_name["stg_orders"]["status"] == "skipped"
    assert "unit test test_status_mapping_wrong_expectation failed" in by_name["stg_orders"]["message"]
    assert "Nothing was published" in outcome.err
    assert not (project / "spark-warehouse" / "current.json").exists()
    # the mocked inputs never became Parquet: the build's folders hold the two seeds only
    written = {p.relative_to(p.parents[1]).as_posix() for p in (project / "spark-warehouse" / "builds").glob("*/*/*")}
    assert written == {"main/customers", "main/raw_orders"}


def test_the_unit_test_engine_keeps_its_relations_in_the_session_only(spark_session, spark_engine, tmp_path: Path) -> None:
    """The in-memory engine: relations are session views of its own, types written back as DuckDB SQL
    names them, and closing it drops them (nothing left in the parent's session or on disk)."""
    from warehouse.sql.transpile import duckdb_type

    parent = spark_engine.open(tmp_path / "spark-warehouse" / "current.json")
    scratch = parent.scratch()
    scratch.execute("create table main.given as select cast(1 as bigint) as id, {'a': 2} as s, [1, 2] as xs")
    scratch.execute("insert into main.given values (3, {'a': 4}, [])")
    assert scratch.columns("main", "given") == [("id", "BIGINT"), ("s", "STRUCT<A:INT>"), ("xs", "ARRAY<INT>")]
    # the engine reports types upper-cased, field names included (case-insensitive in both engines)
    assert [duckdb_type(t, "spark") for _, t in scratch.columns("main", "given")] == [
        "BIGINT", "STRUCT(A INT)", "INT[]"]
    assert scratch.fetchall("select id, s.a, xs[2] from main.given order by id") == [(1, 2, 2), (3, 4, None)]
    assert parent.relations() == []
    views = [t.name for t in scratch.spark.catalog.listTables() if t.isTemporary]
    assert len(views) >= 2
    scratch.close()
    assert [t.name for t in scratch.spark.catalog.listTables() if t.isTemporary] == []
    assert not (tmp_path / "spark-warehouse").exists()
    parent.close()
