"""Helpers for the dbt resource-type fixtures under tests/fixtures/dbt/ (dbt projects:
dbt_project.yml + profiles.yml, built unchanged)."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from tests.conftest import FIXTURES, Outcome, cli_inprocess

_IGNORE = shutil.ignore_patterns("target", "exports", ".warehouse", "*.duckdb", "*.duckdb.wal", "__pycache__")


def dbt_project(name: str, destination: Path) -> Path:
    """A fresh copy of tests/fixtures/dbt/<name>, ready to build."""
    shutil.copytree(FIXTURES / "dbt" / name, destination, ignore=_IGNORE)
    return destination


def run(project: Path, *args: str, capsys=None) -> Outcome:
    return cli_inprocess(project, *args, capsys=capsys)


def rows(project: Path, sql: str, database: str = "warehouse.duckdb") -> list[tuple]:
    with duckdb.connect(str(project / database), read_only=True) as con:
        return con.execute(sql).fetchall()


def write_seed(project: Path, name: str, text: str) -> None:
    (project / "seeds" / f"{name}.csv").write_text(text.lstrip(), encoding="utf-8")
