"""Running dbt-duckdb style Python models: `def model(dbt, session)` inside the engine.

The model gets `session`, the DuckDB connection of the database being built, and a `dbt` object
whose `ref()`/`source()` return DuckDB relations (`.df()`, `.pl()`, `.arrow()` convert them, as
in dbt-duckdb), `config.get()` reads its config and `this` names its own relation. It may return
a pandas or Polars DataFrame, an Arrow table or a DuckDB relation; the result becomes the
model's table. This module is imported only when a Python model runs, so neither it nor what
the model imports (pandas, polars) is on the start-up path.

The connection runs with the build's file limits (`enable_external_access = false`), which also
turn off DuckDB's replacement scans: `session.sql("select * from frame")` no longer finds the
local variable `frame` by itself. `Session` does what the replacement scan did, by explicit
registration: when DuckDB reports an unknown table whose name is a DataFrame, Arrow object or
relation in the calling frame (its locals, then its globals, as DuckDB looks), that object is
registered under the name and the statement is run again. Catalog tables keep precedence, as
with DuckDB's own scans, because only a name DuckDB could not find is looked up.

Measured with duckdb 2.0.0 and external access off: `register()` of a pandas frame, an Arrow
table, a RecordBatchReader or a relation, `from_df`, `from_arrow`, `.df()` and `.to_arrow_table()`
all work; a replacement scan of a local variable fails ("Table with name df does not exist");
`create_view` of a relation that reads a registered frame is refused, registering it works.
"""
from __future__ import annotations

import re
import sys
import traceback
from pathlib import Path
from typing import Any

import duckdb

from warehouse.core.errors import Location, ModelError

RESULT = "__python_model_result"
_UNKNOWN_TABLE = re.compile(r"Table with name (.+?) does not exist!")
# what DuckDB's Python replacement scan reads: pandas / Polars frames, Arrow objects, relations
_FRAME_ATTRIBUTES = ("__arrow_c_stream__", "to_arrow", "to_pandas", "columns", "to_arrow_table", "read_all")


def _scannable(value: Any) -> bool:
    if isinstance(value, duckdb.DuckDBPyRelation):
        return True
    if isinstance(value, (type, Session, duckdb.DuckDBPyConnection)):
        return False
    return value is not None and any(hasattr(value, a) for a in _FRAME_ATTRIBUTES)


class Session:
    """The `session` argument: the build's connection, with replacement scans done by explicit
    registration (see the module docstring). Everything else is the connection's own API."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self._con = con
        self._registered: dict[str, Any] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._con, name)

    def sql(self, query: str, *args: Any, **kwargs: Any) -> Any:
        return self._scanning(sys._getframe(1), self._con.sql, query, *args, **kwargs)

    def query(self, query: str, *args: Any, **kwargs: Any) -> Any:
        return self._scanning(sys._getframe(1), self._con.query, query, *args, **kwargs)

    def from_query(self, query: str, *args: Any, **kwargs: Any) -> Any:
        return self._scanning(sys._getframe(1), self._con.from_query, query, *args, **kwargs)

    def execute(self, query: str, *args: Any, **kwargs: Any) -> Any:
        self._scanning(sys._getframe(1), self._con.execute, query, *args, **kwargs)
        return self

    def _scanning(self, frame: Any, call: Any, *args: Any, **kwargs: Any) -> Any:
        self._refresh(frame)
        while True:
            try:
                return call(*args, **kwargs)
            except duckdb.CatalogException as exc:
                found = _UNKNOWN_TABLE.search(str(exc))
                name = found.group(1) if found else None
                value = _lookup(frame, name) if name and name not in self._registered else None
                if value is None:
                    raise
                self._register(name, value)

    def _register(self, name: str, value: Any) -> None:
        self._con.register(name, value)
        self._registered[name] = value

    def _refresh(self, frame: Any) -> None:
        """A name registered earlier that the model has since bound to another object scans the
        new one, as a replacement scan would."""
        for name, value in list(self._registered.items()):
            now = _lookup(frame, name)
            if now is None:
                self._con.unregister(name)
                del self._registered[name]
            elif now is not value:
                self._register(name, now)

    def release(self) -> None:
        """Unregister every name (after the model's table is stored: the result may read them)."""
        for name in self._registered:
            self._con.unregister(name)
        self._registered.clear()


def _lookup(frame: Any, name: str) -> Any:
    for scope in (frame.f_locals, frame.f_globals):
        if name in scope:
            return scope[name] if _scannable(scope[name]) else None
    return None


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
    session = Session(con)
    try:
        try:
            exec(compile(source, str(path), "exec"), namespace)  # noqa: S102 - the user's own model file
            result = namespace["model"](DbtObject(con, refs, sources, config, target), session)
        except Exception as exc:  # noqa: BLE001 - any failure of user code becomes the model's error
            raise ModelError(f"{type(exc).__name__} in the Python model: {exc}",
                             Location(path, _line(exc, path), node=name)) from None
        _store(con, result, target, path, name)
    finally:
        session.release()


def _store(con: duckdb.DuckDBPyConnection, result: Any, target: str, path: Path, name: str) -> None:
    """Registered, never scanned by name: a relation may read frames the model registered, and a
    registered object reaches DuckDB without any file access."""
    if not _scannable(result):
        raise ModelError(f"model() returned {type(result).__name__}: return a DataFrame (pandas, Polars), "
                         "an Arrow table or a DuckDB relation", Location(path, node=name))
    try:
        con.register(RESULT, result)
        try:
            con.execute(f"create or replace table {target} as select * from {RESULT}")
        finally:
            con.unregister(RESULT)
    except duckdb.Error as exc:
        raise ModelError(f"storing what model() returned failed: {exc}", Location(path, node=name)) from None


def _line(exc: BaseException, path: Path) -> int | None:
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == str(path):
            line = frame.lineno
    return line
