"""The Spark engine of dbt unit tests: relations held in the session, never written as Parquet.

A unit test's given rows are a few literal rows, its model runs once on them and the result is
compared with the expected rows: writing each as a Parquet folder would cost a Spark job and a
folder per relation for nothing. Here a table is the query's own DataFrame, registered as a
temporary view of this engine's child session (the rows are computed when the comparison runs),
and no manifest is ever written. Everything else (transpiling DuckDB SQL, the traps refused by
name, relations renamed to this engine's views) is the Spark engine's.
"""
from __future__ import annotations

from itertools import count
from typing import TYPE_CHECKING

from warehouse.core.errors import DatabaseError, Location
from warehouse.engine.spark.engine import SparkEngine, _columns
from warehouse.engine.spark.layout import Relation

if TYPE_CHECKING:
    from pyspark.sql import DataFrame


class InlineSparkEngine(SparkEngine):
    """An empty, in-memory warehouse on the same session and target as `parent`."""

    def __init__(self, parent: SparkEngine):
        super().__init__(":memory:", target=parent.target)
        self.warehouse_dir = parent.warehouse_dir           # never written: tables stay in the session
        self._functions = parent._functions                 # the same session's functions
        self._held: list[str] = []
        self._numbers = count(1)

    def _write_table(self, schema: str, name: str, frame: "DataFrame", where: Location | None,
                     expect_rows: int | None = None) -> None:
        """`frame` held under a view name of its own; the relation is a view of it (an insert or an
        incremental run replaces it with a new frame, as a Parquet table gets a new folder)."""
        self._refuse_if_read_only()
        key = self._key(schema, name)
        held = f"__wh_inline_{next(self._numbers)}"
        with self._guard(where):
            if key in self.manifest.relations:      # a new version reads the old: computed now, not a cycle
                frame = frame.localCheckpoint()
            if expect_rows is not None and frame.count() != expect_rows:
                raise DatabaseError("InvalidInputException", f"UPDATE of {schema}.{name} matched a row more than "
                                    f"once ({frame.count()} rows, {expect_rows} expected)", where)
            frame.createOrReplaceTempView(held)
            columns = _columns(frame)
        self._held.append(held)
        self._replace(key, Relation("view", columns, sql=f"SELECT * FROM `{held}`"))

    def scratch(self) -> "InlineSparkEngine":
        return InlineSparkEngine(self)

    def close(self) -> None:
        """Drop this engine's views (its child session holds them until then); write no manifest."""
        if self._scratch is not None:
            self._scratch.close()
            self._scratch = None
        if self._spark is not None:
            for view in [*(self._view(k) for k in self._registered), *self._held]:
                self._spark.catalog.dropTempView(view)
        self._registered.clear()
        self._held.clear()


__all__ = ["InlineSparkEngine"]
