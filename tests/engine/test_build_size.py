"""Repeated builds do not grow the warehouse, and a build carries over exactly what must survive.

A full build starts its staging database from the published catalog with the data of only the
tables it does not replace (incremental tables, build history, models outside a selection),
so the published file stays the size of a fresh build instead of accumulating the free
blocks that `create or replace` leaves behind.
"""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.conftest import cli_inprocess

ROWS = 500_000
KEEP = 3


def _project(root: Path) -> Path:
    (root / "models").mkdir(parents=True)
    (root / "seeds").mkdir()
    (root / "dbt_project.yml").write_text(f"name: size_probe\nvars:\n  warehouse:\n    keep-published: {KEEP}\n"
                                          "models:\n  +materialized: table\n")
    (root / "seeds" / "colours.csv").write_text("colour_id,colour\n1,red\n2,green\n3,blue\n")
    (root / "models" / "big.sql").write_text(
        f"select range as id, md5(range::varchar) as digest, (range % 3) + 1 as colour_id from range({ROWS})\n")
    (root / "models" / "small.sql").write_text(
        "select c.colour, count(*) as n from {{ ref('big') }} as b join {{ ref('colours') }} as c using (colour_id)\n"
        "group by c.colour\n")
    (root / "models" / "log.sql").write_text(
        "{{ config(materialized='incremental') }}\n"
        "select count(*) as rows_seen, '{{ run_started_at }}' as seen_at from {{ ref('big') }}\n")
    return root


def _query(database: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(sql).fetchall()


def _blocks(database: Path) -> tuple[int, int, int]:
    """(total, used, free) blocks of a database file."""
    return _query(database, "select total_blocks, used_blocks, free_blocks from pragma_database_size()")[0]


@pytest.fixture(scope="module")
def built_ten_times(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[tuple[int, int, int]], list[str]]:
    project = _project(tmp_path_factory.mktemp("size") / "probe")
    blocks, outputs = [], []
    for _ in range(10):
        outcome = cli_inprocess(project, "build", "--no-checks")
        assert outcome.code == 0, outcome.text
        blocks.append(_blocks(project / "warehouse.duckdb"))
        outputs.append(outcome.text)
    return project, blocks, outputs


def test_published_file_does_not_accumulate_free_blocks_from_build_to_build(built_ten_times) -> None:
    """Every build started its staging file from the catalog and the surviving tables only (never
    a copy of the published file, whose free blocks it would carry): no fallback was reported,
    and the file never approaches the doubling that copies caused (88 blocks against 44 here).

    The bound is 1.5x a fresh build, not 1.1x: the old 1.1x size check failed about once in 15
    runs under load. Not the fallback (none reported): the full suite reproduced it as one build
    of 57 blocks, 53 of them used, against 44 (DuckDB laid the same rows out in 9 more blocks
    that once; the next build was back to 48). Ordinary builds measure 48 (44-45 used) in 175
    probe builds. The staging file itself is checked exactly below."""
    project, blocks, outputs = built_ten_times
    assert not [o for o in outputs if "copied the whole warehouse" in o]
    assert max(total for total, _, _ in blocks) <= 1.5 * blocks[0][0], blocks
    assert blocks[0][2] == 0, blocks          # a fresh build leaves no free block


def test_staging_starts_from_the_catalog_and_the_surviving_tables_only(built_ten_times, tmp_path: Path) -> None:
    """The carry-over itself, deterministic: the staging file holds no free block whatever the
    published file holds, and none of the data of the tables the build replaces."""
    from warehouse.engine.duckdb_engine import DuckDBEngine

    project, _, _ = built_ten_times
    published = project / "warehouse.duckdb"
    staging = tmp_path / "staging.duckdb"
    assert DuckDBEngine.prepare_staging(published, staging, {("main", "big"), ("main", "small")}) is None
    total, used, free = _blocks(staging)
    assert free == 0 and used < _blocks(published)[1] / 4
    assert _query(staging, "select count(*) from main.log") == [(10,)]
    assert _query(staging, "select count(*) from duckdb_tables() where table_name in ('big', 'small')") == [(0,)]


def test_history_files_are_compact_and_bounded(built_ten_times) -> None:
    project, blocks, _ = built_ten_times
    kept = sorted((project / ".warehouse" / "history").glob("*.duckdb"))
    assert len(kept) == KEEP
    assert all(_blocks(k)[0] <= 1.5 * blocks[0][0] for k in kept)     # see the bound above


def test_incremental_rows_and_build_history_survive_every_build(built_ten_times) -> None:
    project, _, _ = built_ten_times
    database = project / "warehouse.duckdb"
    assert _query(database, "select count(*), min(rows_seen), max(rows_seen) from main.log") == [(10, ROWS, ROWS)]
    assert _query(database, "select count(*) from main._warehouse_runs") == [(10,)]
    # the history table keeps its primary key (the catalog is carried over, not just rows)
    assert "PRIMARY KEY" in _query(database, "select sql from duckdb_tables() "
                                             "where table_name = '_warehouse_runs'")[0][0]
    assert _query(database, "select sum(n) from main.small") == [(ROWS,)]


def test_selective_build_keeps_the_data_of_unselected_models(tmp_path: Path) -> None:
    project = _project(tmp_path / "probe")
    assert cli_inprocess(project, "build", "--no-checks").code == 0
    (project / "models" / "small.sql").write_text(
        "select c.colour, count(*) as n, 1 as changed from {{ ref('big') }} as b "
        "join {{ ref('colours') }} as c using (colour_id) group by c.colour\n")
    assert cli_inprocess(project, "build", "--no-checks", "--select", "small").code == 0
    database = project / "warehouse.duckdb"
    assert _query(database, "select count(*), count(distinct digest) from main.big") == [(ROWS, ROWS)]
    assert _query(database, "select sum(n), min(changed) from main.small") == [(ROWS, 1)]
    assert _query(database, "select count(*) from main.log") == [(1,)]


def test_full_refresh_rebuilds_the_incremental_table(tmp_path: Path) -> None:
    project = _project(tmp_path / "probe")
    for _ in range(2):
        assert cli_inprocess(project, "build", "--no-checks").code == 0
    assert _query(project / "warehouse.duckdb", "select count(*) from main.log") == [(2,)]
    assert cli_inprocess(project, "build", "--no-checks", "--full-refresh").code == 0
    assert _query(project / "warehouse.duckdb", "select count(*) from main.log") == [(1,)]


def test_a_whole_file_copy_instead_of_the_carry_over_is_reported(tmp_path: Path, monkeypatch, capsys) -> None:
    """When DuckDB cannot carry the catalog over, the build copies the whole file (and publishes),
    but says so: that file keeps the free blocks of earlier builds, which a silent fallback hid."""
    from warehouse.engine import duckdb_files

    project = _project(tmp_path / "probe")
    assert cli_inprocess(project, "build", "--no-checks", capsys=capsys).code == 0
    fresh = (project / "warehouse.duckdb").stat().st_size

    def refuse(*args, **kwargs):
        raise duckdb.IOException("IO Error: could not attach the published file")

    monkeypatch.setattr(duckdb_files, "_carry_over", refuse)
    outcome = cli_inprocess(project, "build", "--no-checks", capsys=capsys)
    assert outcome.code == 0, outcome.text
    assert "could not carry the published catalog over (IOException: IO Error: could not attach the published " \
           "file): copied the whole warehouse instead" in outcome.text
    assert (project / "warehouse.duckdb").stat().st_size > 1.5 * fresh      # what the warning is about
    monkeypatch.undo()
    again = cli_inprocess(project, "build", "--no-checks", capsys=capsys)
    assert again.code == 0 and "copied the whole warehouse" not in again.text
