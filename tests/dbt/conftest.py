"""Fixtures for the dbt-compatibility tests: copies of the small dbt projects of tests/fixtures/dbt/."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from tests.conftest import FIXTURES, copy_fixture


def dbt_project(name: str, destination: Path) -> Path:
    """A fresh copy of tests/fixtures/dbt/<name>."""
    return copy_fixture(f"dbt/{name}", destination / name)


def rows(database: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(sql).fetchall()


def relations(database: Path) -> set[tuple[str, str]]:
    return set(rows(database, "select schema_name, table_name from duckdb_tables() where not internal "
                              "union all select schema_name, view_name from duckdb_views() where not internal"))


@pytest.fixture
def basics(tmp_path: Path) -> Path:
    return dbt_project("project_basics", tmp_path)


__all__ = ["FIXTURES", "dbt_project", "rows", "relations", "shutil"]
