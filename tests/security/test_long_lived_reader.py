"""A long-lived Python process (a notebook, a dashboard) sees each new publish through
`open_published()`, even while it still holds a connection to the previous file."""
from __future__ import annotations

from pathlib import Path

import duckdb

from tests.conftest import cli
from tests.nightly._support import add_customer
from warehouse.engine.duckdb_files import open_published

COUNT = "select count(*) from fct_customer_totals"


def test_open_published_returns_the_current_file_in_a_long_lived_process(published: Path) -> None:
    path = published / "warehouse.duckdb"
    held = open_published(path)                          # a notebook's connection, kept open
    cached = duckdb.connect(str(path), read_only=True)   # what plain duckdb.connect() hands out
    before = held.execute(COUNT).fetchone()[0]
    try:
        add_customer(published, 9100)
        assert cli(published, "build").code == 0
        fresh = open_published(path)
        assert fresh.execute(COUNT).fetchone()[0] == before + 1
        fresh.close()
        # The instance cache: a new duckdb.connect() while `cached` is open still reads the old file.
        again = duckdb.connect(str(path), read_only=True)
        assert again.execute(COUNT).fetchone()[0] == before
        again.close()
        assert held.execute(COUNT).fetchone()[0] == before      # a held connection keeps its snapshot
    finally:
        held.close()
        cached.close()


def test_open_published_names_the_catalog_after_the_file(published: Path) -> None:
    with open_published(published / "warehouse.duckdb") as con:
        assert con.execute("select current_database()").fetchone() == ("warehouse",)
        assert con.execute("select count(*) from warehouse.main.fct_customer_totals").fetchone()[0] > 0
