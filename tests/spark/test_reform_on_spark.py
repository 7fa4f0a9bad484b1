"""The reform project on Spark: every mart equals the DuckDB mart row for row, values included, and
the project's unit tests pass there.

Transpiled SQL can run and still be wrong, so this compares results, not just that the build
passed. Here the project is seeded and run on Spark (`seed`, then `run`, into the development
manifest) without its 813 data tests and 57 expectation suites: the small project's Spark builds
run both kinds, and on two shared cores these would add over ten minutes (`python3 run.py build
--target spark` runs them all and publishes: docs/scale-out.md).
"""
from __future__ import annotations

import json
import math
from decimal import Decimal
from pathlib import Path

import duckdb

from tests.conftest import copy_reform_project
from tests.spark.conftest import needs_spark, spark_build

pytestmark = needs_spark


def _normal(value):
    """Doubles summed in another order differ in the last bits; everything else must be equal."""
    if isinstance(value, float) and math.isfinite(value):
        return round(value, 9)
    if isinstance(value, Decimal):
        return value.normalize()
    return value


# Snapshot versions are stamped with each build's start time: two builds minutes apart differ there
# whatever the engine. Every other column of the mart must be equal.
BUILD_TIME = {"mart_action_status_history": ("valid_from",)}


def _rows(con: duckdb.DuckDBPyConnection, sql: str, skip: tuple[str, ...] = ()) -> tuple[list[str], list[tuple]]:
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    keep = [i for i, n in enumerate(names) if n not in skip]
    rows = (tuple(_normal(row[i]) for i in keep) for row in cursor.fetchall())
    return [names[i] for i in keep], sorted(rows, key=repr)


def test_every_reform_mart_equals_duckdbs(spark_session, reform_built: Path, tmp_path: Path, capsys) -> None:
    project = copy_reform_project(tmp_path / "reform")
    for command in ("seed", "run"):
        outcome = spark_build(project, capsys, command=command)
        assert outcome.code == 0, outcome.text
    # the project's unit tests, on Spark, against the relations just built (their column types)
    outcome = spark_build(project, capsys, "--select", "test_type:unit", command="test")
    assert outcome.code == 0, outcome.text
    units = {r["name"]: r["status"] for r in json.loads((project / "target" / "run_results.json").read_text())["results"]}
    assert units == {"test_budget_lines_open_ranges_and_missing_figures": "pass",
                     "test_completion_rates_per_plan_and_category": "pass", "test_so12_counts_and_percentages": "pass",
                     "test_eb152_action_status_mapping": "pass", "test_eb152_status_date_is_the_as_of_var": "pass"}
    manifest = json.loads((project / ".warehouse" / "dev" / "current.json").read_text())
    marts = sorted(key for key in manifest["relations"]
                   if key.startswith("main.") and key.split(".", 1)[1].startswith(("mart_", "sample_mart_", "fct_", "dim_")))
    assert len(marts) >= 8, marts
    with duckdb.connect(str(reform_built / "warehouse.duckdb"), read_only=True) as duck, duckdb.connect() as spark:
        for key in marts:
            name = key.split(".", 1)[1]
            folder = project / "spark-warehouse" / manifest["relations"][key]["location"]
            skip = BUILD_TIME.get(name, ())
            expected = _rows(duck, f"select * from main.{name}", skip)
            actual = _rows(spark, f"select * from read_parquet('{folder}/*.parquet')", skip)
            assert actual[0] == expected[0], f"{name}: columns differ"
            assert len(actual[1]) == len(expected[1]), f"{name}: {len(actual[1])} rows on Spark, {len(expected[1])} on DuckDB"
            assert actual[1] == expected[1], f"{name}: values differ"
    # the figure the README quotes, read from the Spark-built mart
    rates = project / "spark-warehouse" / manifest["relations"]["main.mart_completion_rates"]["location"]
    with duckdb.connect() as con:
        assert con.execute(f"select actions, completed from read_parquet('{rates}/*.parquet') "
                           "where plan_code = 'EB152/34' and grain = 'plan'").fetchall() == [(98, 38)]
