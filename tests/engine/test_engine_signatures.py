"""Every engine takes the interface's arguments: a stage calling the interface never hits a TypeError on
one engine only (the Spark engine once lacked arguments the DuckDB side had gained)."""
from __future__ import annotations

import inspect

import pytest

from warehouse.engine.base import Engine
from warehouse.engine.duckdb_engine import DuckDBEngine
from warehouse.engine.spark.engine import SparkEngine


def _public_methods() -> list[str]:
    return [name for name, member in inspect.getmembers(Engine)
            if not name.startswith("_") and callable(member)]


@pytest.mark.parametrize("engine", [DuckDBEngine, SparkEngine], ids=lambda e: e.__name__)
def test_engine_methods_take_the_interfaces_parameters(engine: type) -> None:
    assert not inspect.isabstract(engine), sorted(getattr(engine, "__abstractmethods__", ()))
    mismatched = {}
    for name in _public_methods():
        expected = list(inspect.signature(getattr(Engine, name)).parameters)
        actual = list(inspect.signature(getattr(engine, name)).parameters)
        if actual[:len(expected)] != expected:
            mismatched[name] = (expected, actual)
    assert mismatched == {}
