"""Running dbt-duckdb style Python models: `def model(dbt, session)` inside the engine.

The model gets `session`, the DuckDB connection of the database being built, and a `dbt` object
whose `ref()`/`source()` return DuckDB relations (`.df()`, `.pl()`, `.arrow()` convert them, as
in dbt-duckdb), `config.get()` reads its config and `this` names its own relation. It may return
a pandas or Polars DataFrame, an Arrow table or a DuckDB relation; the result becomes the
model's table. This module is imported only when a Python model runs, so neither it nor what
the model imports (pandas, polars) is on the start-up path.
"""
from __future__ import annotations

import traceback
from pathlib import Path
from typing import Any

import duckdb

from warehouse.core.errors import Location, ModelError

RESULT = "__python_model_result"


class _Config:
    """`dbt.config(...)` (already read from the source when parsing) and `dbt.config.get(key)`."""

    def __init__(self, values: dict[str, Any]):
        self._values = values

    def __call__(self, *args: Any, **kwargs: Any) -> None:
        return None

    def get(self, key: str, default: Any = None) -> Any:
        return self._values.get(key, default)


class DbtObject:
    """The `dbt` argument of a Python model."""

    def __init__(self, con: duckdb.DuckDBPyConnection, refs: dict[tuple[str, str | None], str],
                 sources: dict[tuple[str, str], str], config: dict[str, Any], this: str):
        self._con, self._refs, self._sources = con, refs, sources
        self.config = _Config(config)
        self.this = this

    def ref(self, name: str, *rest: Any, v: Any = None, version: Any = None) -> duckdb.DuckDBPyRelation:
        pin = v if v is not None else version
        return self._con.sql(f"select * from {self._refs[(name, None if pin is None else str(pin))]}")

    def source(self, source_name: str, table: str) -> duckdb.DuckDBPyRelation:
        return self._con.sql(f"select * from {self._sources[(source_name, table)]}")

    def is_incremental(self) -> bool:
        return False


def run_python_model(engine: Any, path: Path, source: str, target: str, refs: dict, sources: dict,
                     config: dict[str, Any], name: str) -> None:
    """Execute the model's source and store what `model()` returns as the table `target`."""
    con: duckdb.DuckDBPyConnection = engine.con
    namespace: dict[str, Any] = {"__name__": f"python_model_{name}", "__file__": str(path)}
    try:
        exec(compile(source, str(path), "exec"), namespace)  # noqa: S102 - the user's own model file
        result = namespace["model"](DbtObject(con, refs, sources, config, target), con)
    except Exception as exc:  # noqa: BLE001 - any failure of user code becomes the model's error
        raise ModelError(f"{type(exc).__name__} in the Python model: {exc}",
                         Location(path, _line(exc, path), node=name)) from None
    _store(con, result, target, path, name)


def _store(con: duckdb.DuckDBPyConnection, result: Any, target: str, path: Path, name: str) -> None:
    if isinstance(result, duckdb.DuckDBPyRelation):
        result.create_view(RESULT, replace=True)
    elif any(hasattr(result, a) for a in ("__arrow_c_stream__", "to_arrow", "to_pandas", "columns")):
        con.register(RESULT, result)         # pandas / Polars DataFrame, Arrow table
    else:
        raise ModelError(f"model() returned {type(result).__name__}: return a DataFrame (pandas, Polars), "
                         "an Arrow table or a DuckDB relation", Location(path, node=name))
    try:
        con.execute(f"create or replace table {target} as select * from {RESULT}")
    finally:
        con.execute(f"drop view if exists {RESULT}")


def _line(exc: BaseException, path: Path) -> int | None:
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == str(path):
            line = frame.lineno
    return line
