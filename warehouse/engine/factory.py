"""The one place a profile target's `type` becomes an engine class.

`profiles.yml` says `type: duckdb` (or, with the Spark engine, `type: spark`); every command
opens its engine through `open_engine`, so adding an engine is one entry in `ENGINES`.
Engine modules are imported only when their type is used: pyspark never loads for DuckDB.
"""
from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from warehouse.core.errors import ProjectError

# type -> "module:Class"
ENGINES: dict[str, str] = {
    "duckdb": "warehouse.engine.duckdb_engine:DuckDBEngine",
}


def engine_class(kind: str) -> type:
    """The engine class for a target type; an unknown type is an error listing the known ones."""
    spec = ENGINES.get(kind)
    if spec is None:
        raise ProjectError(f"profiles.yml: target type '{kind}' is not supported",
                           hint=f"supported types: {', '.join(sorted(ENGINES))}")
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


def open_engine(target: Any, database: Path | str, **kwargs: Any) -> Any:
    """An engine for `target` working on `database` (for DuckDB: the staging or dev file),
    with the target's settings, extensions and attached databases applied."""
    cls = engine_class(target.type)
    engine = cls(database, **kwargs)
    configure = getattr(engine, "configure", None)
    if configure is not None:
        try:
            configure(target)
        except BaseException:
            engine.close()
            raise
    return engine
