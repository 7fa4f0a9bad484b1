"""One build at a time: the lock names its holder, survives nothing but its holder, and a stale
lock (its build died on this host) is taken over with a warning. Another host's lock is not."""
from __future__ import annotations

import fcntl
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

from tests.conftest import cli
from tests.nightly._support import add_customer, kill, leftovers, published_rows, snapshot, start, wait_paused


def _dead_pid() -> int:
    """A pid that existed a moment ago and no longer does."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(done.stdout)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return pid
    raise AssertionError(f"pid {pid} was reused at once")


def _write_lock(project: Path, **holder) -> Path:
    lock = project / ".warehouse" / "build.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    lock.write_text(json.dumps({"host": socket.gethostname(), "build_id": "20260101T000000Z-dead00",
                                "started_at": "2026-01-01T00:00:00+00:00", **holder}))
    return lock


def test_second_build_fails_fast_naming_the_holder_then_takes_over_after_kill_9(published: Path) -> None:
    add_customer(published, 4)
    first = start(published, "build", "--no-checks", WAREHOUSE_PAUSE_AT="run")
    pid = wait_paused(published, "run", first)
    before = snapshot(published)
    try:
        second = cli(published, "build", "--no-checks", timeout=60)
        assert second.code == 3, second.text
        assert f"pid {pid}" in second.err and socket.gethostname() in second.err
        assert "another build holds the lock" in second.err
        # Nor may a rollback slip in while a build runs.
        rollback = cli(published, "rollback", timeout=60)
        assert rollback.code == 3, rollback.text
        assert snapshot(published) == before
    finally:
        kill(first, published)
    holder = json.loads((published / ".warehouse" / "build.lock").read_text())
    assert holder["pid"] == pid                      # kill -9 leaves the lock file behind
    third = cli(published, "build", "--no-checks")
    assert third.code == 0, third.text
    assert f"took over a stale build lock left by pid {pid}" in third.out
    assert leftovers(published) == []
    assert published_rows(published, "select count(*) from fct_customer_totals") == [(4,)]


def test_lock_with_a_dead_pid_on_this_host_is_stale(published: Path) -> None:
    pid = _dead_pid()
    _write_lock(published, pid=pid)
    outcome = cli(published, "build", "--no-checks")
    assert outcome.code == 0, outcome.text
    assert f"took over a stale build lock left by pid {pid}" in outcome.out
    assert not (published / ".warehouse" / "build.lock").exists()


def test_lock_from_another_host_is_never_taken_over(published: Path) -> None:
    before = snapshot(published)
    lock = _write_lock(published, pid=_dead_pid(), host="some-other-host.example")
    outcome = cli(published, "build", "--no-checks")
    assert outcome.code == 3, outcome.text
    assert "some-other-host.example" in outcome.err
    assert lock.exists() and "some-other-host.example" in lock.read_text()
    assert snapshot(published) == before


def test_empty_lock_file_being_written_is_not_mistaken_for_stale(published: Path) -> None:
    """A build that has just created the lock file holds it even before its pid is written."""
    lock = published / ".warehouse" / "build.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    with lock.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        outcome = cli(published, "build", "--no-checks")
        assert outcome.code == 3, outcome.text
        assert "another build holds the lock" in outcome.err
    outcome = cli(published, "build", "--no-checks")         # an empty file nobody holds: stale
    assert outcome.code == 0, outcome.text


def test_lock_of_a_live_build_is_held_even_if_its_file_names_a_dead_pid(published: Path) -> None:
    """The kernel lock decides, not the text: a rewritten or garbled file does not free the lock."""
    first = start(published, "build", "--no-checks", WAREHOUSE_PAUSE_AT="run")
    wait_paused(published, "run", first)
    try:
        _write_lock(published, pid=_dead_pid())
        second = cli(published, "build", "--no-checks", timeout=60)
        assert second.code == 3, second.text
    finally:
        kill(first, published)
