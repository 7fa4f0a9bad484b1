"""Snapshots (dbt 1.9): SQL blocks and the YAML form, both strategies, every hard_deletes mode,
dbt_valid_to_current, build ordering, and the history inside write-audit-publish."""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from tests.dbt_resources._support import dbt_project, rows, run, write_seed

BUILD_1 = """
id,region,status,amount,updated_at
1,north,placed,10,2024-01-01 00:00:00
2,south,placed,20,2024-01-01 00:00:00
3,north,placed,30,2024-01-01 00:00:00
"""
# order 1 shipped, order 3 deleted, order 4 new
BUILD_2 = """
id,region,status,amount,updated_at
1,north,shipped,10,2024-01-02 00:00:00
2,south,placed,20,2024-01-01 00:00:00
4,south,placed,40,2024-01-02 00:00:00
"""
# order 2 returned, order 3 back, order 4's amount corrected without a new updated_at
BUILD_3 = """
id,region,status,amount,updated_at
1,north,shipped,10,2024-01-02 00:00:00
2,south,returned,20,2024-01-03 00:00:00
3,north,placed,35,2024-01-03 00:00:00
4,south,placed,45,2024-01-02 00:00:00
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return dbt_project("snapshots_three_builds", tmp_path / "snapshots")


def build_times(project: Path) -> list[datetime]:
    """The snapshot time of each build: dbt_valid_from of the check-strategy versions."""
    return [r[0] for r in rows(project, "select distinct dbt_valid_from from orders_check_invalidate order by 1")]


def history(project: Path, snapshot: str, extra: str = "") -> list[tuple]:
    return rows(project, f"select id, status, amount, dbt_valid_from, dbt_valid_to{extra} from {snapshot} "
                         "order by id, dbt_valid_from, dbt_valid_to nulls last")


def three_builds(project: Path, capsys) -> None:
    for data in (BUILD_1, BUILD_2, BUILD_3, BUILD_3):      # the fourth build sees no change
        write_seed(project, "orders", data)
        outcome = run(project, "build", capsys=capsys)
        assert outcome.code == 0, outcome.text


def test_timestamp_strategy_ignoring_deletes(project: Path, capsys) -> None:
    three_builds(project, capsys)
    d = lambda day: datetime(2024, 1, day)  # noqa: E731
    assert history(project, "orders_timestamp_ignore") == [
        (1, "placed", 10, d(1), d(2)), (1, "shipped", 10, d(2), None),
        (2, "placed", 20, d(1), d(3)), (2, "returned", 20, d(3), None),
        # deleted in build 2 but kept current (ignore); its return with a later updated_at is a change
        (3, "placed", 30, d(1), d(3)), (3, "placed", 35, d(3), None),
        # the amount corrected without moving updated_at is not a change for the timestamp strategy
        (4, "placed", 40, d(2), None),
    ]
    assert rows(project, "select count(*) from orders_timestamp_ignore where dbt_updated_at <> dbt_valid_from") == [(0,)]


def test_check_strategy_invalidating_deletes(project: Path, capsys) -> None:
    three_builds(project, capsys)
    t1, t2, t3 = build_times(project)
    assert history(project, "orders_check_invalidate") == [
        (1, "placed", 10, t1, t2), (1, "shipped", 10, t2, None),
        (2, "placed", 20, t1, t3), (2, "returned", 20, t3, None),
        (3, "placed", 30, t1, t2),                # invalidated when it disappeared
        (3, "placed", 35, t3, None),              # back: a new current version
        (4, "placed", 40, t2, None),              # check_cols [status]: the amount is not watched
    ]


def test_check_all_with_new_record_for_deletes(project: Path, capsys) -> None:
    three_builds(project, capsys)
    t1, t2, t3 = build_times(project)
    assert history(project, "orders_check_all_new_record", ", dbt_is_deleted") == [
        (1, "placed", 10, t1, t2, "False"), (1, "shipped", 10, t2, None, "False"),
        (2, "placed", 20, t1, t3, "False"), (2, "returned", 20, t3, None, "False"),
        (3, "placed", 30, t1, t2, "False"),
        (3, "placed", 30, t2, t3, "True"),        # the deletion, as a version of its own
        (3, "placed", 35, t3, None, "False"),
        (4, "placed", 40, t2, t3, "False"), (4, "placed", 45, t3, None, "False"),   # all columns watched
    ]
    # the model reading the snapshot was built after it, in the same build
    assert rows(project, "select count(*), count(*) filter (where is_deleted) from order_status_history") == [(9, 1)]


def test_yaml_snapshot_with_compound_key_and_valid_to_current(project: Path, capsys) -> None:
    three_builds(project, capsys)
    t1, t2, t3 = build_times(project)
    end = datetime(9999, 12, 31)
    d = lambda day: datetime(2024, 1, day)  # noqa: E731
    assert history(project, "orders_by_region") == [
        (1, "placed", 10, d(1), d(2)), (1, "shipped", 10, d(2), end),
        (2, "placed", 20, d(1), d(3)), (2, "returned", 20, d(3), end),
        (3, "placed", 30, d(1), t2), (3, "placed", 35, d(3), end),
        (4, "placed", 40, d(2), end),
    ]
    ids = rows(project, "select count(distinct dbt_scd_id), count(*) from orders_by_region")
    assert ids == [(7, 7)]


def test_same_data_twice_adds_no_rows(project: Path, capsys) -> None:
    write_seed(project, "orders", BUILD_2)
    counts = []
    for _ in range(2):
        assert run(project, "build", capsys=capsys).code == 0
        counts.append(rows(project, "select (select count(*) from orders_timestamp_ignore), "
                                    "(select count(*) from orders_check_invalidate), "
                                    "(select count(*) from orders_check_all_new_record), "
                                    "(select count(*) from orders_by_region)")[0])
    assert counts == [(3, 3, 3, 3), (3, 3, 3, 3)]


def test_a_failed_build_leaves_the_history_as_published(project: Path, capsys) -> None:
    write_seed(project, "orders", BUILD_1)
    assert run(project, "build", capsys=capsys).code == 0
    before = {s: history(project, s) for s in ("orders_timestamp_ignore", "orders_check_all_new_record")}
    write_seed(project, "orders", BUILD_2.replace("4,south,placed,40", "4,south,placed,-40"))
    outcome = run(project, "build", capsys=capsys)
    assert outcome.code == 1
    assert "assert_no_negative_amounts" in outcome.text and "Nothing was published" in outcome.text
    assert {s: history(project, s) for s in before} == before
    write_seed(project, "orders", BUILD_2)              # the next good build snapshots from the published history
    assert run(project, "build", capsys=capsys).code == 0
    assert len(history(project, "orders_check_all_new_record")) == 6


def test_build_runs_each_snapshot_after_its_parents_and_before_its_readers(project: Path, capsys) -> None:
    write_seed(project, "orders", BUILD_1)
    assert run(project, "build", capsys=capsys).code == 0
    results = json.loads((project / "target" / "run_results.json").read_text())["results"]
    order = [r["unique_id"] for r in results]
    snapshot = order.index("snapshot.snapshots_three_builds.orders_check_all_new_record")
    assert order.index("model.snapshots_three_builds.stg_orders") < snapshot < order.index("model.snapshots_three_builds.order_status_history")
    assert {r["unique_id"]: r["status"] for r in results}["snapshot.snapshots_three_builds.orders_by_region"] == "success"


def test_snapshot_command_runs_only_snapshots_in_the_dev_database(project: Path, capsys) -> None:
    write_seed(project, "orders", BUILD_1)
    assert run(project, "seed", capsys=capsys).code == 0
    assert run(project, "run", "--select", "stg_orders", capsys=capsys).code == 0      # the snapshots' parent
    outcome = run(project, "snapshot", capsys=capsys)
    assert outcome.code == 0, outcome.text
    results = json.loads((project / "target" / "run_results.json").read_text())["results"]
    assert {r["resource_type"] for r in results} == {"snapshot"} and len(results) == 4
    assert not (project / "warehouse.duckdb").exists()
    dev = ".warehouse/dev/warehouse.duckdb"
    assert rows(project, "select count(*) from orders_check_invalidate", dev) == [(3,)]


@pytest.mark.parametrize("change, message", [
    ("strategy='check', check_cols=['status'], hard_deletes='invalidate'",
     None),
    ("strategy='check', check_cols=['statuz'], hard_deletes='invalidate'",
     "check_cols column 'statuz' is not in the query's columns"),
    ("strategy='check', check_cols=['status'], hard_deletes='invalidat'",
     "hard_deletes must be one of ignore, invalidate, new_record"),
    ("check_cols=['status']", "needs strategy: timestamp or check"),
])
def test_snapshot_config_errors_name_the_snapshot(project: Path, capsys, change: str, message: str | None) -> None:
    path = project / "snapshots" / "orders_snapshots.sql"
    text = path.read_text()
    path.write_text(text.replace("strategy='check', check_cols=['status'], hard_deletes='invalidate'", change))
    write_seed(project, "orders", BUILD_1)
    outcome = run(project, "build", capsys=capsys)
    if message is None:
        assert outcome.code == 0, outcome.text
        return
    assert outcome.code == 2, outcome.text
    assert message in outcome.text and "orders_check_invalidate" in outcome.text
    assert "snapshots/orders_snapshots.sql" in outcome.text
    assert not (project / "warehouse.duckdb").exists()


def test_duplicate_unique_key_fails_the_snapshot(project: Path, capsys) -> None:
    write_seed(project, "orders", BUILD_1 + "1,south,placed,11,2024-01-01 00:00:00\n")
    outcome = run(project, "build", capsys=capsys)
    assert outcome.code == 2
    assert "unique_key ['id'] is not unique in the query: '1' (2 rows)" in outcome.text
