"""Landing (and seed) files must be regular files inside their folder: no symbolic links, no FIFOs."""
from __future__ import annotations

import os
from pathlib import Path

from tests.conftest import cli
from tests.nightly._support import snapshot


def test_symlinked_landing_file_is_refused(published: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.csv"
    secret.write_text("who,what\nroot,hunter2\n")
    (published / "landing").mkdir(exist_ok=True)
    os.symlink(secret, published / "landing" / "leak.csv")
    before = snapshot(published)
    outcome = cli(published, "build")
    assert outcome.code == 2, outcome.text
    assert "landing/leak.csv" in outcome.text and "symbolic link" in outcome.text
    assert snapshot(published) == before
    assert b"hunter2" not in (published / "warehouse.duckdb").read_bytes()


def test_fifo_in_landing_fails_at_once_instead_of_hanging(published: Path) -> None:
    (published / "landing").mkdir(exist_ok=True)
    os.mkfifo(published / "landing" / "pipe.csv")
    before = snapshot(published)
    outcome = cli(published, "build", timeout=120)
    assert outcome.code == 2, outcome.text
    assert "landing/pipe.csv" in outcome.text and "FIFO" in outcome.text
    assert snapshot(published) == before
    assert not (published / ".warehouse" / "build.lock").exists()


def test_symlinked_seed_is_refused_too(published: Path) -> None:
    os.symlink("/etc/passwd", published / "seeds" / "passwd.csv")
    outcome = cli(published, "build")
    assert outcome.code == 2 and "seeds/passwd.csv" in outcome.text and "symbolic link" in outcome.text, outcome.text
