"""An analyst's `query` reads the published warehouse and nothing else: it writes no file, reads no
file, runs one statement, and reports a read-write holder as the build does."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import cli
from tests.nightly._support import snapshot


@pytest.mark.parametrize("target", ["warehouse.duckdb", "exports/fct_customer_totals.parquet", "elsewhere.csv"])
def test_query_cannot_write_a_file(published: Path, target: str) -> None:
    before = snapshot(published)
    outcome = cli(published, "query", f"copy (select 'x') to '{published / target}' (format csv)")
    assert outcome.code == 2, outcome.text
    assert "Permission Error" in outcome.text and "disabled by configuration" in outcome.text
    assert snapshot(published) == before
    assert not (published / "elsewhere.csv").exists()


@pytest.mark.parametrize("sql", ["select * from read_text('/etc/hostname')",
                                 "select * from read_csv('/etc/passwd')",
                                 "attach '/tmp/other.duckdb' as other"])
def test_query_cannot_read_or_attach_other_files(published: Path, sql: str) -> None:
    outcome = cli(published, "query", sql)
    assert outcome.code == 2 and "disabled by configuration" in outcome.text, outcome.text


def test_query_cannot_switch_the_sandbox_off(published: Path) -> None:
    outcome = cli(published, "query", "set enable_external_access = true")
    assert outcome.code == 2 and "locked" in outcome.text, outcome.text


def test_query_runs_exactly_one_statement(published: Path) -> None:
    before = snapshot(published)
    outcome = cli(published, "query", "select 1; select 2")
    assert outcome.code == 2, outcome.text
    assert "exactly one SQL statement; this text has 2" in outcome.text
    assert snapshot(published) == before


def test_query_still_answers_reads(published: Path) -> None:
    outcome = cli(published, "query", "select count(*) as n from fct_customer_totals", "--format", "csv")
    assert outcome.code == 0, outcome.text
    assert outcome.out.splitlines()[0] == "n" and int(outcome.out.splitlines()[1]) > 0


def test_query_with_a_read_write_holder_exits_2_with_a_hint(published: Path) -> None:
    import duckdb

    holder = duckdb.connect(str(published / "warehouse.duckdb"))    # an analyst's read-write session
    try:
        outcome = cli(published, "query", "select 1")
    finally:
        holder.close()
    assert outcome.code == 2, outcome.text
    assert "open read-write" in outcome.text and "read-only" in outcome.text
    assert "internal error" not in outcome.text
