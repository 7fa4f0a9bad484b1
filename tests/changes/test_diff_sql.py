"""warehouse.sql.diff on its own: both ways of collecting example rows agree, hashes compare
multisets, and the SQL renders for Spark (the second engine) as well as for DuckDB."""
from __future__ import annotations

from pathlib import Path

import pytest

from warehouse.engine.duckdb_engine import DuckDBEngine
from warehouse.sql import diff

OLD_ROWS = "(1, 'a', 10.0), (2, 'b', 20.0), (3, 'c', 30.0), (4, 'd', 40.0), (4, 'd', 40.0)"
NEW_ROWS = "(1, 'a', 10.0), (2, 'b', 25.0), (3, 'c', 30.0), (4, 'd', 40.0), (5, 'e', 50.0)"


@pytest.fixture
def engine(tmp_path: Path):
    old = DuckDBEngine(tmp_path / "old.duckdb")
    old.execute("create table t (id integer, name varchar, amount double)")
    old.execute(f"insert into t values {OLD_ROWS}")
    old.close()
    new = DuckDBEngine(tmp_path / "new.duckdb")
    new.execute("create table t (id integer, name varchar, amount double)")
    new.execute(f"insert into t values {NEW_ROWS}")
    new.attach(tmp_path / "old.duckdb", "__old")
    yield new
    new.close()


def sides(engine) -> tuple[diff.Side, diff.Side]:
    return (diff.Side("__old", "main", "t", tuple(engine.catalog("__old")[("main", "t")])),
            diff.Side(None, "main", "t", tuple(engine.catalog()[("main", "t")])))


def test_keyed_diff_one_pass_and_two_pass_agree(engine, monkeypatch: pytest.MonkeyPatch) -> None:
    old, new = sides(engine)
    one = diff.diff_rows(engine, old, new, ["name"])
    monkeypatch.setattr(diff, "TOP_N_AGGREGATE", frozenset())      # the path engines without arg_min(.., n) take
    two = diff.diff_rows(engine, old, new, ["name"])
    assert one == two
    assert (one.added, one.removed, one.changed) == (1, 0, 1)
    assert one.examples["changed"] == [{"key": {"name": "b"}, "changes": {"amount": [20.0, 25.0]}}]
    assert one.examples["added"] == [{"name": "e", "id": 5, "amount": 50.0}]


def test_row_hashes_compare_multisets(engine) -> None:
    old, new = sides(engine)
    result = diff.diff_rows(engine, old, new, [])
    # old has (4, d) twice, new once; (2, b) changed amount: one removed and one added each
    assert (result.method, result.added, result.removed, result.changed) == ("row_hash", 2, 2, None)
    assert result.examples["removed"] == [{"id": 2, "name": "b", "amount": 20.0}, {"id": 4, "name": "d", "amount": 40.0}]


class Recorder:
    """An engine that only renders: what the diff would send to Spark."""

    dialect = "spark"

    def __init__(self) -> None:
        self.sql: list[str] = []

    def fetchall(self, sql: str, params=None) -> list[tuple]:
        import sqlglot

        self.sql.append(sql)
        selects = sqlglot.parse_one(sql, read="spark").selects       # it parses back as Spark SQL
        return [(1,) * len(selects)]


def test_the_diff_renders_for_spark() -> None:
    columns = (("id", "BIGINT"), ("name", "VARCHAR"), ("amount", "DOUBLE"))
    old = diff.Side("published", "main", "t", (("id", "BIGINT"), ("name", "VARCHAR"), ("amount", "DECIMAL(10, 2)")))
    new = diff.Side(None, "main", "t", columns)
    spark = Recorder()
    diff.diff_rows(spark, old, new, ["id"])
    diff.diff_rows(spark, old, new, [])
    joined = spark.sql[0]
    assert "FULL OUTER JOIN" in joined and "IS NOT DISTINCT FROM" in joined and "`published`.`main`.`t`" in joined
    assert "ARG_MIN" not in joined                        # examples take a second pass on Spark
    assert "ROW_NUMBER() OVER (PARTITION BY __kind" in spark.sql[1]
    assert any("XXHASH64(" in sql for sql in spark.sql)
    assert "CAST(`amount` AS DOUBLE)" in joined or "TRY_CAST(`amount` AS DOUBLE)" in joined
