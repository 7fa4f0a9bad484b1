"""Fixtures for the check-stage tests: DuckDB tables made in the test, suite files in tmp dirs
(the GX runner shared by the whole session is `gx_runner` in tests/conftest.py)."""
from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest


@pytest.fixture
def con():
    """An in-memory DuckDB behind the engine interface, which is what the check gate is given."""
    from warehouse.engine.duckdb_engine import DuckDBEngine

    engine = DuckDBEngine.from_connection(duckdb.connect())
    yield engine
    engine.close()


@pytest.fixture
def suite_dir(tmp_path) -> Path:
    directory = tmp_path / "data_checks"
    directory.mkdir()
    return directory


@pytest.fixture
def write(suite_dir):
    """write(filename, doc): a suite file in suite_dir; `doc` is a dict, or raw text."""

    def _write(filename: str, doc) -> Path:
        path = suite_dir / filename
        path.write_text(doc if isinstance(doc, str) else json.dumps(doc, indent=2))
        return path

    return _write


@pytest.fixture
def orders_suite():
    """orders_suite(*expectations, **meta): a suite document bound to model `orders`."""

    def _doc(*expectations: dict, name: str = "orders", meta: dict | None = None) -> dict:
        return {"name": name, "meta": meta or {"model": "orders"},
                "expectations": list(expectations)}

    return _doc
