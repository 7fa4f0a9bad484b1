"""Helpers for the nightly-safety suite: real CLI subprocesses, pause points, byte snapshots."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, digest, published_rows  # noqa: F401 - re-exported to the nightly tests

PAUSE_TIMEOUT = 30.0     # seconds a build may take to reach a pause point


def command(project: Path, *args: str) -> list[str]:
    """The same command line as tests.conftest.cli, for Popen."""
    return [sys.executable, "-m", "warehouse.cli", "--project-dir", str(project), "--log-format", "plain", *args]


def environment(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), **extra}


def start(project: Path, *args: str, **env: str) -> subprocess.Popen:
    """The build as a terminal or a scheduler starts it. A test run launched in the background of
    a non-interactive shell inherits SIGINT *ignored*, and so would the build (Python then never
    raises KeyboardInterrupt): the child gets the default disposition back before it starts."""
    return subprocess.Popen(command(project, *args), env=environment(**env), cwd=project,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=_default_sigint)


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def wait_paused(project: Path, stage: str, process: subprocess.Popen, timeout: float = PAUSE_TIMEOUT) -> int:
    """Wait (bounded) until the build announces it paused before `stage`; return the pid it wrote."""
    flag = project / ".warehouse" / f"paused-at-{stage}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if flag.exists():
            text = flag.read_text().strip()
            if text:
                return int(text)
        if process.poll() is not None:
            out, err = process.communicate()
            pytest.fail(f"build exited {process.returncode} before pausing at {stage}:\n{out}\n{err}")
        time.sleep(0.02)
    kill(process, project)
    pytest.fail(f"build did not pause at {stage} within {timeout}s")


def kill(process: subprocess.Popen, project: Path | None = None) -> None:
    """kill -9 and reap (pipes drained, so nothing is left running).

    The pause flag is the test hook's own file, not build state: it is removed here so that a
    later paused build in the same project is not mistaken for this one.
    """
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    process.communicate(timeout=30)
    if project is not None:
        for flag in (project / ".warehouse").glob("paused-at-*"):
            flag.unlink()


def snapshot(project: Path) -> dict[str, str]:
    """sha256 of the published database and of every file under exports/ (by relative path)."""
    files = {"warehouse.duckdb": digest(project / "warehouse.duckdb")}
    exports = project / "exports"
    if exports.exists():
        for path in sorted(exports.rglob("*")):
            if path.is_file():
                files[str(path.relative_to(project))] = digest(path)
    return files


def leftovers(project: Path) -> list[str]:
    """Build state that must not survive a finished build."""
    state = project / ".warehouse"
    found = [p for p in (state / "staging", state / "publish-journal.json", state / "build.lock",
                         project / "warehouse.duckdb.wal") if p.exists()]
    found += list(project.glob(".warehouse.duckdb.*"))
    return [str(p.relative_to(project)) for p in found]


def add_customer(project: Path, customer_id: int, country: str = "FRA") -> None:
    """Change a seed so the next build publishes different data (one more customer)."""
    seed = project / "seeds" / "customers.csv"
    seed.write_text(seed.read_text() + f"{customer_id},C{customer_id},{country}\n")


