"""The Spark engine's copy-on-write statements, called directly (no build): where DuckDB refuses
a merge, Spark refuses it too, and an UPDATE never changes the number of rows."""
from __future__ import annotations

from pathlib import Path

import pytest

from warehouse.core.errors import DatabaseError
from warehouse.engine.duckdb_engine import DuckDBEngine

from tests.spark.conftest import needs_spark

pytestmark = needs_spark


def test_a_merge_whose_query_lacks_a_table_column_is_refused_on_both_engines(spark_engine, tmp_path: Path) -> None:
    for engine in (spark_engine.open(tmp_path / "spark" / "current.json"), DuckDBEngine.open(tmp_path / "d.duckdb")):
        engine.execute("create table main.t as select 1 as id, 'a' as v, 'x' as gone")
        with pytest.raises(DatabaseError, match="gone"):
            engine.incremental("main", "t", "select 1 as id, 'b' as v", "merge", ["id"])
        # delete+insert inserts by name on both: the missing column is NULL
        engine.incremental("main", "t", "select 1 as id, 'b' as v", "delete+insert", ["id"])
        assert engine.fetchall("select id, v, gone from main.t") == [(1, "b", None)]
        engine.close()


def test_an_update_matching_a_row_twice_is_refused_and_changes_nothing(spark_engine, tmp_path: Path) -> None:
    engine = spark_engine.open(tmp_path / "spark" / "current.json")
    engine.execute("create table main.t as select * from (values (1, 'a'), (2, 'b')) as v(id, s)")
    engine.execute("create table main.x as select * from (values (1, 'one'), (1, 'uno')) as v(id, s)")
    before = engine.manifest.relations["main.t"].location
    with pytest.raises(DatabaseError, match="matched a row more than once"):
        engine.execute("update main.t as t set s = x.s from main.x as x where t.id = x.id")
    assert engine.manifest.relations["main.t"].location == before
    engine.execute("update main.t as t set s = upper(s) where id = 2")
    assert sorted(engine.fetchall("select id, s from main.t")) == [(1, "a"), (2, "B")]
    engine.close()


def test_an_unordered_row_number_runs_on_spark_in_scan_order(spark_engine, tmp_path: Path) -> None:
    # The checks' SQL path numbers rows with ROW_NUMBER() OVER () (examples in table order, the
    # increasing/decreasing expectations); Spark refuses that unless the transpiler orders it.
    engine = spark_engine.open(tmp_path / "spark" / "current.json")
    engine.execute("create table main.t as select * from (values (10, 'a'), (20, 'b'), (30, 'c')) as v(id, s)")
    rows = engine.fetchall("select id, row_number() over () as n from main.t")
    assert sorted(n for _, n in rows) == [1, 2, 3]
    assert sorted(id_ for id_, _ in rows) == [10, 20, 30]       # every row once; Spark has no table
    # order, so the numbers follow the scan (files may be read in any order), as docs/scale-out.md says
    engine.close()
