"""The one boundary to a database driver: only modules in this package import duckdb (or pyspark).

Stages receive an `Engine` (`warehouse.engine.base`) and call its methods; they never see a
connection or a driver exception. `engine_class` picks the implementation by name, importing
its driver only then, so `--help`, `ls` and `compile` of a project never load it early.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from warehouse.engine.base import Engine

ENGINES = {
    "duckdb": ("warehouse.engine.duckdb_engine", "DuckDBEngine"),
    "spark": ("warehouse.engine.spark.engine", "SparkEngine"),     # imports pyspark only when a session starts
}


def engine_class(name: str = "duckdb") -> "type[Engine]":
    """The engine implementation registered under `name`."""
    from importlib import import_module

    from warehouse.core.errors import ProjectError
    from warehouse.core.yamlio import nearest

    if name not in ENGINES:
        close = nearest(name, list(ENGINES))
        raise ProjectError(f"unknown engine '{name}'", hint=f"did you mean '{close}'?" if close else
                           f"engines: {', '.join(ENGINES)}")
    module, cls = ENGINES[name]
    return getattr(import_module(module), cls)
