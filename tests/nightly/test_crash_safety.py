"""kill -9 at every pause point of a build: the published warehouse and exports never change.

For each point: a published good build, a seed changed so the next build would publish new
data, a build paused at the point (WAREHOUSE_PAUSE_AT) and killed with SIGKILL. Then:

* before publish_exports, the published database and every export file are byte-identical
  to what they were, at once;
* at publish_exports the database has already been swapped but the exports have not: the
  publish journal is still there, and "exactly as before" means after recovery, which every
  build runs first (`publish.recover`): the old database and exports come back byte for byte
  (docs/operations.md, "Crash safety");
* the next normal build exits 0, reports nothing stale left behind (no staging folder, no
  journal, no lock) and publishes the new data.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from tests.conftest import cli, cli_inprocess
from tests.nightly._support import (add_customer, digest, kill, leftovers, published_rows, snapshot, start,
                                    wait_paused)
from warehouse.session import workspace_for
from warehouse.project.loader import load_project
from warehouse.publish.workspace import recover

BEFORE_PUBLISH = ["load", "compile", "run", "test", "check", "freshness", "export", "publish",
                  "publish_database"]
POINTS = [*BEFORE_PUBLISH, "publish_exports"]


def _customers(project: Path) -> int:
    return published_rows(project, "select count(*) from fct_customer_totals")[0][0]


def _kill_at(project: Path, point: str, *args: str) -> int:
    process = start(project, "build", "--no-checks", *args, WAREHOUSE_PAUSE_AT=point)
    pid = wait_paused(project, point, process)
    assert pid == process.pid
    kill(process, project)
    assert process.returncode == -9
    return pid


@pytest.mark.parametrize("point", POINTS)
def test_kill_9_never_changes_what_is_published(published: Path, point: str) -> None:
    before = snapshot(published)
    assert _customers(published) == 3
    add_customer(published, 4)
    _kill_at(published, point)

    if point in BEFORE_PUBLISH:
        assert snapshot(published) == before, f"killed at {point}: the published files changed"
    else:
        # The database was swapped, the exports not yet: the journal says how to undo it.
        assert (published / ".warehouse" / "publish-journal.json").exists()
        assert snapshot(published)["warehouse.duckdb"] != before["warehouse.duckdb"]
        undone = recover(workspace_for(load_project(published)))
        assert undone is not None
        assert snapshot(published) == before, "recovery did not restore the published files byte for byte"

    outcome = cli(published, "build", "--no-checks")
    assert outcome.code == 0, outcome.text
    assert leftovers(published) == []
    assert _customers(published) == 4
    # History holds the one warehouse this build replaced, not also a copy from the killed build.
    history = sorted((published / ".warehouse" / "history").glob("*.duckdb"))
    assert [digest(h) for h in history] == [before["warehouse.duckdb"]]
    if point == "publish_database":
        assert "was interrupted while publishing" in outcome.out     # the journal was found and undone


@pytest.mark.parametrize("point", ["publish_database", "publish_exports"])
def test_next_build_recovers_even_when_it_publishes_nothing(published: Path, point: str) -> None:
    """Recovery is the first thing a build does, whether or not it then passes its gates."""
    before = snapshot(published)
    add_customer(published, 4)
    _kill_at(published, point)
    add_customer(published, 4)          # a duplicate key: the next build fails its unique tests
    outcome = cli(published, "build", "--no-checks")
    assert outcome.code == 1, outcome.text
    assert "was interrupted while publishing" in outcome.out
    assert snapshot(published) == before
    # A failed build keeps its staging database for inspection; nothing else is left.
    assert leftovers(published) == [".warehouse/staging"]


def test_kill_9_of_the_first_build_ever_leaves_nothing_published(mini: Path) -> None:
    """With nothing published before, an interrupted first publish is undone to "nothing"."""
    _kill_at(mini, "publish_exports")
    assert (mini / "warehouse.duckdb").exists()      # swapped in, not yet committed
    assert recover(workspace_for(load_project(mini))) is not None
    assert not (mini / "warehouse.duckdb").exists()
    assert not [p for p in (mini / "exports").rglob("*") if p.is_file()]
    outcome = cli(mini, "build", "--no-checks")
    assert outcome.code == 0, outcome.text
    assert leftovers(mini) == []
    assert _customers(mini) == 3


def test_recovery_is_repeatable_when_itself_interrupted(published: Path) -> None:
    """Recovery that dies half-way (power loss) must be safe to run again: no export is lost."""
    before = snapshot(published)
    add_customer(published, 4)
    _kill_at(published, "publish_exports")
    ws = workspace_for(load_project(published))
    journal = (ws.journal).read_text()
    assert recover(ws) is not None
    # Simulate a crash after recovery moved the exports back but before it removed the journal.
    ws.journal.write_text(journal)
    assert recover(ws) is not None
    assert snapshot(published) == before


def test_rollback_after_an_interrupted_publish_restores_the_last_good_one(published: Path) -> None:
    """`rollback` with a journal present undoes the interrupted publish (nothing older); run again,
    it steps back to the publish before that."""
    first = snapshot(published)
    add_customer(published, 4)
    assert cli(published, "build", "--no-checks").code == 0
    second = snapshot(published)
    add_customer(published, 5)
    _kill_at(published, "publish_exports")
    outcome = cli(published, "rollback")
    assert outcome.code == 0, outcome.text
    assert snapshot(published) == second
    assert not (published / ".warehouse" / "publish-journal.json").exists()
    outcome = cli(published, "rollback")
    assert outcome.code == 0, outcome.text
    assert snapshot(published)["warehouse.duckdb"] == first["warehouse.duckdb"]


def test_a_publish_that_fails_half_way_is_rolled_back_at_once(published: Path, capsys, monkeypatch) -> None:
    from warehouse.pipeline import export

    before = snapshot(published)
    add_customer(published, 4)

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export, "publish_exports", disk_full)
    outcome = cli_inprocess(published, "build", "--no-checks", capsys=capsys)
    assert outcome.code == 5          # disk full: the environment's exit code (was 2 before issue 11)
    assert "nothing was published" in outcome.text
    assert snapshot(published) == before


def test_exports_on_another_file_system(published: Path, tmp_path: Path) -> None:
    elsewhere = Path("/dev/shm")
    if not elsewhere.is_dir() or elsewhere.stat().st_dev == published.stat().st_dev:
        pytest.skip("no second file system to put the exports on")
    target = Path(tempfile.mkdtemp(dir=elsewhere, prefix="warehouse-exports-"))
    try:
        yml = published / "dbt_project.yml"
        yml.write_text(yml.read_text().replace("  warehouse:\n", f"  warehouse:\n    export-path: {target}\n", 1))
        outcome = cli(published, "build", "--no-checks")
        assert outcome.code == 0, outcome.text
        assert (target / "fct_customer_totals.parquet").exists()
    finally:
        shutil.rmtree(target, ignore_errors=True)
