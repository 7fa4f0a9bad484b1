"""What a publish keeps and drops: the published files' mode and group survive; exports of models
removed from the project go; `clean` never deletes a running build's staging folder."""
from __future__ import annotations

import grp
import os
import stat
from pathlib import Path

from tests.conftest import cli
from tests.nightly._support import add_customer, kill, start, wait_paused


def _other_group() -> int:
    mine = os.getgid()
    for group in grp.getgrall():
        if group.gr_gid != mine:
            return group.gr_gid
    return mine


def test_publish_keeps_mode_and_group_of_published_files(published: Path) -> None:
    database = published / "warehouse.duckdb"
    export = published / "exports" / "fct_customer_totals.parquet"
    group = _other_group()
    for path in (database, export):
        os.chmod(path, 0o640)
        os.chown(path, -1, group)
    add_customer(published, 9001)
    inode = database.stat().st_ino
    outcome = cli(published, "build")
    assert outcome.code == 0, outcome.text
    assert database.stat().st_ino != inode        # a new file was published...
    for path in (database, export):                # ...with the admin's mode and group
        info = path.stat()
        assert stat.S_IMODE(info.st_mode) == 0o640, path
        assert info.st_gid == group, path


def test_exports_of_removed_models_are_dropped(published: Path) -> None:
    model = published / "models" / "marts" / "fct_extra.sql"
    model.write_text("select 1 as x\n")
    assert cli(published, "build").code == 0
    removed = published / "exports" / "fct_extra.parquet"
    assert removed.exists()
    unrelated = published / "exports" / "notes.txt"
    unrelated.write_text("kept: not ours")
    model.unlink()
    outcome = cli(published, "build")
    assert outcome.code == 0, outcome.text
    assert not removed.exists()
    assert unrelated.exists() and (published / "exports" / "fct_customer_totals.parquet").exists()
    assert "fct_extra" not in (published / "exports" / "manifest.json").read_text()


def test_clean_refuses_while_a_build_runs(published: Path) -> None:
    build = start(published, "build", WAREHOUSE_PAUSE_AT="run")
    try:
        wait_paused(published, "run", build)
        outcome = cli(published, "clean")
        assert outcome.code == 3, outcome.text
        assert "another build holds the lock" in outcome.text
        assert (published / ".warehouse" / "staging").exists()
    finally:
        kill(build, published)
    assert cli(published, "clean").code == 0
    assert not (published / ".warehouse" / "staging").exists()
