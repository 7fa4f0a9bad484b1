"""Spark tests: one local[2] session for the whole test run, shared by every engine.

pyspark comes from `requirements-spark.lock` (`python3 run.py setup spark`; CI runs it before
selftest). Without Java 17+ or without pyspark these tests skip and say which is missing;
nothing else in the suite depends on them. Tests never install anything themselves.
"""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import duckdb
import pytest

from tests.conftest import Outcome, cli_inprocess

from warehouse.engine.spark.java import java_problem
from warehouse.engine.spark.target import SparkTarget


def _why_not() -> str | None:
    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed: run `python3 run.py setup spark` (installs requirements-spark.lock)"
    return java_problem()


SKIP_REASON = _why_not()
needs_spark = pytest.mark.skipif(SKIP_REASON is not None, reason=f"Spark tests skipped: {SKIP_REASON}")
# Tiny data: one shuffle partition keeps each job to a task or two.
CONF = {"spark.sql.shuffle.partitions": "1", "spark.default.parallelism": "2"}


@pytest.fixture(scope="session")
def spark_session():
    """The one local[2] session of this test run (started on first use, stopped at the end)."""
    if SKIP_REASON is not None:
        pytest.skip(f"Spark tests skipped: {SKIP_REASON}")
    from warehouse.engine.spark.session import spark_session as start

    session = start(SparkTarget(master="local[2]", conf=CONF))
    yield session
    session.stop()


@pytest.fixture
def spark_engine(spark_session, tmp_path: Path):
    """A SparkEngine class bound to a warehouse directory of this test's own."""
    from warehouse.engine.spark.engine import SparkEngine

    return SparkEngine.for_target(SparkTarget(master="local[2]", warehouse_dir=tmp_path / "spark-warehouse", conf=CONF))


SPARK_OUTPUT = """    spark:
      type: spark
      method: session
      master: local[2]
      schema: main
      warehouse_dir: spark-warehouse
      conf: {spark.sql.shuffle.partitions: "1"}
"""


def spark_build(project: Path, capsys, *args: str, command: str = "build") -> Outcome:
    """`build --target spark` of `project` (a `spark` output is added to its profiles.yml, or a
    profiles.yml written for it): the warehouse is published in `<project>/spark-warehouse/`.
    `command="seed"`/`"run"` work on the development manifest in `.warehouse/dev/` instead."""
    profiles = project / "profiles.yml"
    if not profiles.exists():
        import yaml

        settings = yaml.safe_load((project / "dbt_project.yml").read_text())
        name = settings.get("profile") or settings["name"]
        profiles.write_text(f"{name}:\n  target: spark\n  outputs:\n" + SPARK_OUTPUT)
    elif "type: spark" not in profiles.read_text():
        profiles.write_text(profiles.read_text() + SPARK_OUTPUT)
    return cli_inprocess(project, command, "--target", "spark", *args, capsys=capsys)


def published_rows(project: Path, relation: str, select: str, group: str | None = None) -> list[tuple]:
    """Rows of a published Spark table read as a BI tool would: the manifest, then its Parquet."""
    root = project / "spark-warehouse"
    location = json.loads((root / "current.json").read_text())["relations"][relation]["location"]
    sql = f"select {select} from read_parquet('{root / location}/*.parquet')"
    if group:
        sql += f" group by {group} order by {group}"
    elif "count(" not in select:
        sql += " order by 1"
    with duckdb.connect() as con:
        return con.execute(sql).fetchall()
