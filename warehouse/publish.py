"""Publish (write-audit-publish): builds write into a staging database, never the published one.

Only after every gate passed is the staging file moved into place with `os.replace`, an
atomic rename: a reader sees the old file or the new one, never a mix. Readers that hold
the old file open keep reading it undisturbed; new connections see the new one. The
previous published file is kept (hard-linked, so no copy) in the history folder for
rollback, up to `keep-published` files.
"""
from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from warehouse.errors import Location, WarehouseError


class PublishError(WarehouseError):
    """The published file cannot be replaced safely."""


@dataclass(frozen=True)
class Workspace:
    """Where a build keeps its state, beside the published database."""

    published: Path               # warehouse.duckdb
    export_dir: Path              # exports/
    state_dir: Path               # .warehouse/

    @property
    def staging_dir(self) -> Path:
        return self.state_dir / "staging"

    @property
    def staging_db(self) -> Path:
        # Same file name as the published one, so the catalog name seen in SQL is the same.
        return self.staging_dir / self.published.name

    @property
    def export_stage(self) -> Path:
        return self.staging_dir / "exports"

    @property
    def history_dir(self) -> Path:
        return self.state_dir / "history"

    @property
    def lock_path(self) -> Path:
        return self.state_dir / "build.lock"

    @property
    def journal(self) -> Path:
        return self.state_dir / "publish-journal.json"

    @property
    def exports_backup(self) -> Path:
        return self.staging_dir / "exports-previous"

    @property
    def dev_db(self) -> Path:
        return self.state_dir / "dev" / self.published.name


def check_no_writer(published: Path) -> None:
    """A .wal beside the published file means someone holds it read-write: swapping would break them."""
    wal = published.with_name(published.name + ".wal")
    if wal.exists():
        raise PublishError(
            f"{wal.name} exists: a process has {published.name} open read-write (or crashed while it had)",
            Location(wal),
            hint="analysts must open the published warehouse read-only (duckdb -readonly, read_only=True); "
                 "close that connection, then build again",
        )


def prepare_staging(ws: Workspace, start_from: Path | None) -> Path:
    """Clear leftovers of earlier builds and start the staging database as a copy of `start_from`."""
    if ws.staging_dir.exists():
        shutil.rmtree(ws.staging_dir)
    ws.staging_dir.mkdir(parents=True)
    if start_from is not None and start_from.exists():
        # A read-only holder does not stop this copy from being a valid database.
        shutil.copyfile(start_from, ws.staging_db)
    return ws.staging_db


def begin(ws: Workspace, build_id: str, export_files: list[str]) -> None:
    """Write the publish journal: until `commit` removes it, an interrupted publish is rolled back.

    The database and the export files cannot be swapped in one atomic step, so the journal
    remembers what was there before (the previous database, hard-linked into history, and
    the previous export files, hard-linked into the staging folder).
    """
    ws.exports_backup.mkdir(parents=True, exist_ok=True)
    saved = []
    for name in [*export_files, "manifest.json"]:
        current = ws.export_dir / name
        if current.is_file():
            os.link(current, ws.exports_backup / name)
            saved.append(name)
        elif current.is_dir():
            shutil.copytree(current, ws.exports_backup / name, copy_function=os.link)
            saved.append(name)
    previous = _keep_previous(ws, build_id)
    _write_json(ws.journal, {"build_id": build_id, "previous": str(previous) if previous else None,
                             "exports_saved": saved, "exports_written": [*export_files, "manifest.json"]})


def commit(ws: Workspace, keep: int) -> None:
    """The publish is complete: forget the journal, prune history, drop the staging folder."""
    ws.journal.unlink(missing_ok=True)
    _prune_history(ws.history_dir, keep)
    shutil.rmtree(ws.staging_dir, ignore_errors=True)


def recover(ws: Workspace) -> str | None:
    """Undo a publish that was interrupted (kill -9, power loss): put back what was there before."""
    if not ws.journal.exists():
        return None
    journal = json.loads(ws.journal.read_text())
    previous = Path(journal["previous"]) if journal.get("previous") else None
    if previous is not None and previous.exists():
        temporary = ws.published.with_name(f".{ws.published.name}.recover")
        temporary.unlink(missing_ok=True)
        os.link(previous, temporary)
        os.replace(temporary, ws.published)
    elif previous is None:
        ws.published.unlink(missing_ok=True)
    for name in journal.get("exports_written", []):
        _remove(ws.export_dir / name)
    for name in journal.get("exports_saved", []):
        os.replace(ws.exports_backup / name, ws.export_dir / name)
    ws.journal.unlink()
    shutil.rmtree(ws.staging_dir, ignore_errors=True)
    return journal["build_id"]


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def _write_json(path: Path, data: dict) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(json.dumps(data, indent=2))
    with temporary.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def publish_database(ws: Workspace) -> None:
    """Move the closed staging database into place (after `begin` wrote the journal)."""
    check_no_writer(ws.published)
    if not ws.staging_db.exists():
        raise PublishError("nothing to publish: the staging database is missing", Location(ws.staging_db))
    leftover_wal = ws.staging_db.with_name(ws.staging_db.name + ".wal")
    if leftover_wal.exists():
        raise PublishError("the staging database was not closed cleanly; its data is still in the WAL",
                           Location(leftover_wal))
    ws.published.parent.mkdir(parents=True, exist_ok=True)
    os.replace(ws.staging_db, ws.published)


def _keep_previous(ws: Workspace, build_id: str) -> Path | None:
    if not ws.published.exists():
        return None
    ws.history_dir.mkdir(parents=True, exist_ok=True)
    kept = ws.history_dir / f"{ws.published.stem}.{build_id}{ws.published.suffix}"
    try:
        os.link(ws.published, kept)
    except OSError:
        shutil.copy2(ws.published, kept)
    return kept


def _prune_history(history: Path, keep: int) -> None:
    files = sorted(history.glob("*.duckdb"), key=lambda p: p.name)
    for old in files[: max(0, len(files) - keep)]:
        old.unlink(missing_ok=True)


def history(ws: Workspace) -> list[Path]:
    """Previously published files, newest last."""
    return sorted(ws.history_dir.glob("*.duckdb"), key=lambda p: p.name) if ws.history_dir.exists() else []


def rollback(ws: Workspace, to: Path | None = None) -> Path:
    """Put a previously published file back in place (the newest one by default)."""
    kept = history(ws)
    target = to or (kept[-1] if kept else None)
    if target is None or not target.exists():
        raise PublishError("no previously published warehouse to roll back to", Location(ws.history_dir))
    check_no_writer(ws.published)
    temporary = ws.published.with_name(f".{ws.published.name}.rollback")
    shutil.copyfile(target, temporary)
    os.replace(temporary, ws.published)
    return target
