"""The reform warehouse keeps the status history of its actions from build to build
(snapshot snap_reform_action_status and mart_action_status_history)."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.conftest import cli, copy_reform_project

KEY_ACTIONS = Path("seeds/unossc/unossc_key_actions.csv")


def query(project: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(project / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


def history(project: Path) -> list[tuple]:
    return query(project, "select action_key, version_no, status, valid_from, valid_to, is_current, "
                          "changed_in_last_build from mart_action_status_history order by action_key, version_no")


def set_status(project: Path, key_action: str, before: str, after: str) -> None:
    path = project / KEY_ACTIONS
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith(key_action + ","))
    assert f",{before}," in lines[index]
    lines[index] = lines[index].replace(f",{before},", f",{after},", 1)
    path.write_text("".join(lines), encoding="utf-8")


@pytest.fixture(scope="module")
def reform(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_reform_project(tmp_path_factory.mktemp("reform_history"))
    outcome = cli(project, "build", "--no-checks")
    assert outcome.code == 0, outcome.text
    return project


def test_first_build_records_one_current_version_per_action(reform: Path) -> None:
    assert query(reform, "select count(*), count(distinct action_key), count(*) filter (where is_current), "
                         "count(*) filter (where changed_in_last_build) from mart_action_status_history") \
        == [(140, 140, 140, 0)]
    assert query(reform, "select count(*) from snapshots.snap_eb152_budget_line_status") == [(60,)]
    assert query(reform, "select status, count(*) from snapshots.snap_reform_action_status "
                         "where plan_code = 'EB152/34' and status = 'completed' group by 1") == [("completed", 38)]


def test_a_status_change_becomes_a_new_version_and_the_old_one_ends(reform: Path) -> None:
    before = history(reform)
    set_status(reform, "R1.1", "Completed", "Initiated")
    # the data checks pin the documents' completion counts: a build changing one fails and publishes nothing
    failed = cli(reform, "build")
    assert failed.code == 1 and "Nothing was published" in failed.text
    assert history(reform) == before
    # published without the checks (an analyst's correction), the history records it
    assert cli(reform, "build", "--no-checks").code == 0
    rows = [r for r in history(reform) if r[0] == "UNOSSC-MTR-R1.1"]
    (_, v1, s1, from1, to1, current1, _), (_, v2, s2, from2, to2, current2, changed2) = rows
    assert (v1, s1, current1, v2, s2, current2, changed2) == (1, "completed", False, 2, "in_progress", True, True)
    assert to1 == from2 and from1 < from2 and to2.year == 9999
    assert query(reform, "select count(*), count(*) filter (where changed_in_last_build) "
                         "from mart_action_status_history") == [(141, 1)]
    # status as of a date: before the second build R1.1 was completed, after it in progress
    as_of = "select status from mart_action_status_history where action_key = 'UNOSSC-MTR-R1.1' " \
            "and valid_from <= ?::timestamp and ?::timestamp < valid_to"
    with duckdb.connect(str(reform / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute(as_of, [from1, from1]).fetchall() == [("completed",)]
        assert con.execute(as_of, [from2, from2]).fetchall() == [("in_progress",)]


def test_a_build_on_unchanged_data_adds_no_version(reform: Path) -> None:
    count = query(reform, "select count(*) from snapshots.snap_reform_action_status")
    assert cli(reform, "build", "--no-checks").code == 0
    assert query(reform, "select count(*) from snapshots.snap_reform_action_status") == count
    # "the last build" is the last one that recorded a version: R1.1's change stays the latest change
    # (comparing with this build's start time made the flags, and the change report, flip)
    assert query(reform, "select action_key from mart_action_status_history where changed_in_last_build") \
        == [("UNOSSC-MTR-R1.1",)]
