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


@pytest.fixture(scope="module")
def built_ten_times(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[int]]:
    project = _project(tmp_path_factory.mktemp("size") / "probe")
    sizes = []
    for _ in range(10):
        assert cli_inprocess(project, "build", "--no-checks").code == 0
        sizes.append((project / "warehouse.duckdb").stat().st_size)
    return project, sizes


def test_published_file_stays_within_ten_percent_of_a_fresh_build(built_ten_times) -> None:
    project, sizes = built_ten_times
    assert max(sizes) <= 1.10 * sizes[0], sizes
    # the few blocks freed by rewriting carried-over tables (build history, incremental ones)
    # are reused, not accumulated: no growth after the second build
    assert len(set(sizes[1:])) == 1, sizes


def test_history_files_are_compact_and_bounded(built_ten_times) -> None:
    project, sizes = built_ten_times
    kept = sorted((project / ".warehouse" / "history").glob("*.duckdb"))
    assert len(kept) == KEEP
    assert all(k.stat().st_size <= 1.10 * sizes[0] for k in kept)


def test_incremental_rows_and_build_history_survive_every_build(built_ten_times) -> None:
    project, _ = built_ten_times
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
