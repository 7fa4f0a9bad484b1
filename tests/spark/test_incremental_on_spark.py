"""Incremental models on Spark: every strategy the DuckDB engine has (append, delete+insert,
merge with merge_update_columns / merge_exclude_columns, incremental_predicates on both
aliases) and every on_schema_change mode, over two builds with changed input, on Spark and on
DuckDB: the exact rows, and the same rows on both engines.

On Spark each incremental run rewrites the table into a new folder of the build
(`warehouse/engine/spark/incremental.py`); the published folder is never changed, so a build
whose gate fails after its incremental runs publishes nothing.
"""
from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import duckdb
import pytest

from tests.conftest import Outcome, cli_inprocess
from tests.dbt_resources._support import dbt_project, write_seed
from tests.spark.conftest import SPARK_OUTPUT, needs_spark

pytestmark = needs_spark

BUILD_1 = """
id,site,day,value,batch
1,A,1,10,1
2,A,2,20,1
3,B,1,30,1
4,B,2,40,1
"""
# batch 2 re-sends ids 1 and 3 with new values and adds id 5 (id 4 is not re-sent: an incremental
# run never deletes what its query does not return)
BUILD_2 = """
id,site,day,value,batch
1,A,1,11,2
2,A,2,20,1
3,B,1,31,2
4,B,2,40,1
5,C,1,50,2
"""
OLD = [(2, "A", 2, 20, 1, 1), (4, "B", 2, 40, 1, 1)]          # rows batch 2 does not touch
# id, site, day, value, batch, first_batch (the batch the row was first loaded in, if kept)
EXPECTED = {
    "inc_append": sorted([(1, "A", 1, 10, 1, 1), (3, "B", 1, 30, 1, 1), *OLD,
                          (1, "A", 1, 11, 2, 2), (3, "B", 1, 31, 2, 2), (5, "C", 1, 50, 2, 2)]),
    "inc_delete_insert": sorted([*OLD, (1, "A", 1, 11, 2, 2), (3, "B", 1, 31, 2, 2), (5, "C", 1, 50, 2, 2)]),
    "inc_merge": sorted([*OLD, (1, "A", 1, 11, 2, 2), (3, "B", 1, 31, 2, 2), (5, "C", 1, 50, 2, 2)]),
    # only value and batch are updated: first_batch keeps the first load's
    "inc_merge_update_columns": sorted([*OLD, (1, "A", 1, 11, 2, 1), (3, "B", 1, 31, 2, 1), (5, "C", 1, 50, 2, 2)]),
    # every column but value is updated
    "inc_merge_exclude_columns": sorted([*OLD, (1, "A", 1, 10, 2, 2), (3, "B", 1, 30, 2, 2), (5, "C", 1, 50, 2, 2)]),
    # DBT_INTERNAL_SOURCE.site = 'A': id 3's incoming row matches nothing, so it is inserted beside the old one
    "inc_merge_predicates": sorted([*OLD, (1, "A", 1, 11, 2, 2), (3, "B", 1, 30, 1, 1), (3, "B", 1, 31, 2, 2),
                                    (5, "C", 1, 50, 2, 2)]),
    # DBT_INTERNAL_DEST.site = 'A': only id 1's old row is deleted; every incoming row is inserted
    "inc_delete_insert_predicates": sorted([*OLD, (1, "A", 1, 11, 2, 2), (3, "B", 1, 30, 1, 1),
                                            (3, "B", 1, 31, 2, 2), (5, "C", 1, 50, 2, 2)]),
    # id, site, day, value, batch, note: the new column is NULL in the rows of build 1
    "inc_schema_append_new_columns": [(1, "A", 1, 11, 2, "late"), (2, "A", 2, 20, 1, None), (3, "B", 1, 31, 2, "late"),
                                      (4, "B", 2, 40, 1, None), (5, "C", 1, 50, 2, "late")],
    # id, site, value, batch, note: `day` dropped with the query, `note` added
    "inc_schema_sync_all_columns": [(1, "A", 11, 2, "late"), (2, "A", 20, 1, None), (3, "B", 31, 2, "late"),
                                    (4, "B", 40, 1, None), (5, "C", 50, 2, "late")],
    # id, site, day, value, batch: the new column is left out
    "inc_schema_ignore": [(1, "A", 1, 11, 2), (2, "A", 2, 20, 1), (3, "B", 1, 31, 2), (4, "B", 2, 40, 1),
                          (5, "C", 1, 50, 2)],
}
COLUMNS = {"inc_schema_append_new_columns": ["id", "site", "day", "value", "batch", "note"],
           "inc_schema_sync_all_columns": ["id", "site", "value", "batch", "note"],
           "inc_schema_ignore": ["id", "site", "day", "value", "batch"]}


def _build(project: Path, *args: str) -> Outcome:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = cli_inprocess(project, "build", *args).code
    return Outcome(code, out.getvalue(), "")


def _projects(root: Path) -> dict[str, tuple[Path, tuple[str, ...]]]:
    spark = dbt_project("incremental_strategies", root / "spark")
    (spark / "profiles.yml").write_text((spark / "profiles.yml").read_text() + SPARK_OUTPUT)
    return {"spark": (spark, ("--target", "spark")),
            "duckdb": (dbt_project("incremental_strategies", root / "duckdb"), ())}


def _table(project: Path, engine: str, model: str) -> tuple[list[str], list[tuple]]:
    """The published table's columns and rows (Spark's read from the manifest's Parquet)."""
    if engine == "spark":
        root = project / "spark-warehouse"
        location = json.loads((root / "current.json").read_text())["relations"][f"main.{model}"]["location"]
        con, sql = duckdb.connect(), f"select * from read_parquet('{root / location}/*.parquet')"
    else:
        con, sql = duckdb.connect(str(project / "warehouse.duckdb"), read_only=True), f"select * from main.{model}"
    with con:
        cursor = con.execute(sql)
        return [d[0] for d in cursor.description], sorted(cursor.fetchall(), key=repr)


@pytest.fixture(scope="module")
def built(spark_session, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The fixture project built twice on each engine: BUILD_1, then BUILD_2 (incremental runs)."""
    projects = _projects(tmp_path_factory.mktemp("incremental-on-spark"))
    for data in (BUILD_1, BUILD_2):
        for engine, (project, args) in projects.items():
            write_seed(project, "readings", data)
            outcome = _build(project, *args)
            assert outcome.code == 0, f"{engine}: {outcome.out}"
    return {engine: project for engine, (project, _) in projects.items()}


@pytest.mark.parametrize("model", sorted(EXPECTED))
def test_incremental_strategy_gives_the_exact_rows_and_duckdbs_on_spark(built, model: str) -> None:
    columns, spark = _table(built["spark"], "spark", model)
    assert columns == COLUMNS.get(model, ["id", "site", "day", "value", "batch", "first_batch"])
    assert spark == sorted(EXPECTED[model], key=repr)
    assert _table(built["duckdb"], "duckdb", model) == (columns, spark)


def test_failing_incremental_cases_are_named_and_publish_nothing(built) -> None:
    """On the built projects (so this may run before or after the tests above: nothing it does
    publishes): a gate failing after the incremental runs, a merge matching a row twice, and
    on_schema_change: fail, on both engines, each reported by model name; nothing published."""
    current = built["spark"] / "spark-warehouse" / "current.json"
    manifest = current.read_bytes()
    for engine, project in built.items():
        args = ("--target", "spark") if engine == "spark" else ()
        published = {m: _table(project, engine, m) for m in EXPECTED}
        # 1. batch 3 brings a negative reading: the gate on inc_merge fails after every incremental run
        write_seed(project, "readings", BUILD_2 + "6,C,2,-60,3\n")
        outcome = _build(project, *args)
        assert outcome.code == 1, f"{engine}: {outcome.out}"
        assert "FAIL     test assert_no_negative_readings" in outcome.out
        assert "Nothing was published" in outcome.out
        assert {m: _table(project, engine, m) for m in EXPECTED} == published
        # 2. batch 3 sends id 1 twice: every merge on it is refused by name; on_schema_change fail too
        model = project / "models" / "inc_schema_ignore.sql"
        model.write_text(model.read_text().replace("on_schema_change='ignore'", "on_schema_change='fail'"))
        write_seed(project, "readings", BUILD_2 + "1,A,1,12,3\n1,A,1,13,3\n")
        outcome = _build(project, *args)
        assert outcome.code == 2, f"{engine}: {outcome.out}"
        for name in ("inc_merge", "inc_merge_exclude_columns", "inc_merge_update_columns", "inc_merge_predicates"):
            failed = [line for line in outcome.out.splitlines() if f"model {name} " in line or f"model {name}:" in line]
            assert failed, f"{engine}: {name} not reported\n{outcome.out}"
        assert outcome.out.count("cannot affect the same target row more than once") >= 4, outcome.out
        assert ("the columns of inc_schema_ignore changed (new: note; removed: none) and on_schema_change is fail"
                in outcome.out)
        assert "Nothing was published" in outcome.out
        assert {m: _table(project, engine, m) for m in EXPECTED} == published
        model.write_text(model.read_text().replace("on_schema_change='fail'", "on_schema_change='ignore'"))
        write_seed(project, "readings", BUILD_2)
    assert current.read_bytes() == manifest
