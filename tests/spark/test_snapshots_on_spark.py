"""Snapshots on Spark: the same four builds as `tests/dbt_resources/test_snapshots.py`, on Spark
and on DuckDB, with each build's snapshot time pinned, so that every column is compared, the
metadata included: dbt_scd_id (an md5 of the key and the version's start), dbt_updated_at,
dbt_valid_from, dbt_valid_to and dbt_is_deleted.

On Spark a snapshot's UPDATE of dbt_valid_to and its INSERT are copy-on-write rewrites of the
table into a new folder of the build (`warehouse/engine/spark/statements.py`).
"""
from __future__ import annotations

import contextlib
import io
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pytest

from tests.conftest import cli_inprocess
from tests.dbt_resources._support import dbt_project, write_seed
from tests.dbt_resources.test_snapshots import BUILD_1, BUILD_2, BUILD_3
from tests.spark.conftest import SPARK_OUTPUT, needs_spark

pytestmark = needs_spark

SNAPSHOTS = ("orders_timestamp_ignore", "orders_check_invalidate", "orders_check_all_new_record", "orders_by_region")
# Pinned build times, with microseconds: a version's dbt_scd_id hashes its start as text, so the
# two engines must also write fractional seconds alike.
TIMES = [datetime(2026, 12, 1, 10, 0, 0, 123400, tzinfo=timezone.utc) + timedelta(days=i) for i in range(4)]
T = [t.replace(tzinfo=None) for t in TIMES]
ORDER = "order by id, dbt_valid_from, dbt_valid_to nulls last"


def _build(project: Path, at: datetime, monkeypatch: pytest.MonkeyPatch, *args: str) -> str:
    """One `build` with the run's start (the snapshot time) pinned to `at`; returns the output."""
    import warehouse.compile.compiler as compiler

    class Pinned(datetime):
        @classmethod
        def now(cls, tz=None):          # noqa: ANN001 - datetime.now's signature
            return at.astimezone(tz) if tz else at.replace(tzinfo=None)

    out = io.StringIO()
    with monkeypatch.context() as patch, contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        patch.setattr(compiler, "datetime", Pinned)
        code = cli_inprocess(project, "build", *args).code
    assert code == 0, out.getvalue()
    return out.getvalue()


def _normal(value):
    """Spark's Parquet timestamps are UTC instants; DuckDB's are naive: both as naive UTC."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(timezone.utc).replace(tzinfo=None)
    return value


def _spark_rows(project: Path, snapshot: str, columns: str = "*") -> list[tuple]:
    root = project / "spark-warehouse"
    location = json.loads((root / "current.json").read_text())["relations"][f"main.{snapshot}"]["location"]
    with duckdb.connect() as con:
        found = con.execute(f"select {columns} from read_parquet('{root / location}/*.parquet') {ORDER}").fetchall()
    return [tuple(_normal(v) for v in row) for row in found]


def _duckdb_rows(project: Path, snapshot: str, columns: str = "*") -> list[tuple]:
    with duckdb.connect(str(project / "warehouse.duckdb"), read_only=True) as con:
        return [tuple(_normal(v) for v in row) for row in con.execute(f"select {columns} from {snapshot} {ORDER}").fetchall()]


@pytest.fixture(scope="module")
def builds(spark_session, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The fixture project built four times on each engine (build 4 sees build 3's data again);
    the row counts of every snapshot after builds 3 and 4."""
    monkeypatch = pytest.MonkeyPatch()
    root = tmp_path_factory.mktemp("snapshots-on-spark")
    spark = dbt_project("snapshots_three_builds", root / "spark")
    duck = dbt_project("snapshots_three_builds", root / "duckdb")
    (spark / "profiles.yml").write_text((spark / "profiles.yml").read_text() + SPARK_OUTPUT)
    counts: dict[str, list] = {"spark": [], "duckdb": []}
    for at, data in zip(TIMES, (BUILD_1, BUILD_2, BUILD_3, BUILD_3)):
        for project, args, engine in ((spark, ("--target", "spark"), "spark"), (duck, (), "duckdb")):
            write_seed(project, "orders", data)
            _build(project, at, monkeypatch, *args)
            read = _spark_rows if engine == "spark" else _duckdb_rows
            counts[engine].append({s: len(read(project, s)) for s in SNAPSHOTS})
    return {"spark": spark, "duckdb": duck, "counts": counts}


def test_timestamp_strategy_ignoring_deletes_on_spark(builds) -> None:
    d = lambda day: datetime(2024, 1, day)  # noqa: E731
    assert _spark_rows(builds["spark"], "orders_timestamp_ignore", "id, status, amount, dbt_valid_from, dbt_valid_to") == [
        (1, "placed", 10, d(1), d(2)), (1, "shipped", 10, d(2), None),
        (2, "placed", 20, d(1), d(3)), (2, "returned", 20, d(3), None),
        (3, "placed", 30, d(1), d(3)), (3, "placed", 35, d(3), None),     # ignore: kept current while gone
        (4, "placed", 40, d(2), None),                                   # amount moved, updated_at did not
    ]


def test_check_strategy_invalidating_deletes_on_spark(builds) -> None:
    assert _spark_rows(builds["spark"], "orders_check_invalidate", "id, status, amount, dbt_valid_from, dbt_valid_to") == [
        (1, "placed", 10, T[0], T[1]), (1, "shipped", 10, T[1], None),
        (2, "placed", 20, T[0], T[2]), (2, "returned", 20, T[2], None),
        (3, "placed", 30, T[0], T[1]),                  # invalidated when it disappeared in build 2
        (3, "placed", 35, T[2], None),
        (4, "placed", 40, T[1], None),                  # check_cols [status]: the amount is not watched
    ]


def test_check_all_with_new_record_for_deletes_on_spark(builds) -> None:
    rows = _spark_rows(builds["spark"], "orders_check_all_new_record",
                       "id, status, amount, dbt_valid_from, dbt_valid_to, dbt_is_deleted")
    assert rows == [
        (1, "placed", 10, T[0], T[1], "False"), (1, "shipped", 10, T[1], None, "False"),
        (2, "placed", 20, T[0], T[2], "False"), (2, "returned", 20, T[2], None, "False"),
        (3, "placed", 30, T[0], T[1], "False"),
        (3, "placed", 30, T[1], T[2], "True"),          # the deletion, as a version of its own
        (3, "placed", 35, T[2], None, "False"),
        (4, "placed", 40, T[1], T[2], "False"), (4, "placed", 45, T[2], None, "False"),
    ]


def test_second_build_on_unchanged_data_adds_no_rows_on_spark(builds) -> None:
    after_3, after_4 = builds["counts"]["spark"][2:]
    assert after_3 == after_4 == {"orders_timestamp_ignore": 7, "orders_check_invalidate": 7,
                                  "orders_check_all_new_record": 9, "orders_by_region": 7}


@pytest.mark.parametrize("snapshot", SNAPSHOTS)
def test_every_snapshot_column_equals_duckdbs(builds, snapshot: str) -> None:
    """Every row and value, dbt_scd_id / dbt_updated_at / dbt_valid_from / dbt_valid_to included."""
    spark, duck = _spark_rows(builds["spark"], snapshot), _duckdb_rows(builds["duckdb"], snapshot)
    assert len(spark) == len(duck) and spark == duck
    assert builds["counts"]["spark"] == builds["counts"]["duckdb"]
    with duckdb.connect(str(builds["duckdb"] / "warehouse.duckdb"), read_only=True) as con:
        names = [r[0] for r in con.execute(f"describe {snapshot}").fetchall()]
    assert {"dbt_scd_id", "dbt_updated_at", "dbt_valid_from", "dbt_valid_to"} <= set(names)
