"""Publish (write-audit-publish): builds write into a staging database, never the published one.

Only after every gate passed does the engine's publish primitive make the staging target
current (`Engine.make_current`; for DuckDB an atomic rename of the file: a reader sees the old
file or the new one, never a mix). This module keeps the journal that makes that step and the
export files one recoverable step, and the history: the previous published file is kept
(hard-linked, so no copy) in the history folder for rollback, up to `keep-published` files.
"""
from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from warehouse.core.errors import Location, PublishError
from warehouse.core.fileio import keep_mode_and_group, link_or_copy, write_json_atomic

if TYPE_CHECKING:
    from warehouse.engine.base import Engine

__all__ = ["PublishError", "Workspace", "prepare_staging", "begin", "publish_database", "commit", "recover",
           "history", "rollback"]


@dataclass(frozen=True)
class Workspace:
    """Where a build keeps its state, beside the published database."""

    published: Path               # warehouse.duckdb
    export_dir: Path              # exports/
    state_dir: Path               # .warehouse/
    engine_name: str = "duckdb"   # whose publish primitive makes the staging target current
    storage_version: str | None = None   # on-disk format of what is published (older clients read it)

    @property
    def engine(self) -> "type[Engine]":
        from warehouse.engine import engine_class

        return engine_class(self.engine_name)

    @property
    def staging_dir(self) -> Path:
        return self.state_dir / "staging"

    @property
    def staging_db(self) -> Path:
        # Same file name as the published one, so the catalog name seen in SQL is the same.
        return self.staging_dir / self.published.name

    @property
    def export_stage(self) -> Path:
        return self._beside_exports("staging", self.staging_dir / "exports")

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
        # Beside staging, not inside it: `run.py clean` and a new build's prepare_staging clear
        # staging, and while a journal exists these files are the only copy of the old exports.
        return self._beside_exports("previous", self.state_dir / "exports-previous")

    def _beside_exports(self, role: str, default: Path) -> Path:
        """Export files move by rename, which cannot cross file systems: when exports/ lives on
        another one (a share for BI tools), their staging and backup folders sit beside it."""
        if _device(self.export_dir) == _device(self.state_dir):
            return default
        return self.export_dir.parent / f".{self.export_dir.name}.{role}"

    @property
    def dev_db(self) -> Path:
        return self.state_dir / "dev" / self.published.name


def _device(path: Path) -> int:
    """The file system of `path`, or of its nearest existing parent."""
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate.stat().st_dev
    return -1


def prepare_staging(ws: Workspace, start_from: Path | None, replaced: set[tuple[str, str]] | None = None) -> str | None:
    """Clear leftovers of earlier builds and start the staging database (`ws.staging_db`) from
    `start_from` (without the data of the relations the build will have `replaced`, when given).
    Returns the engine's reason when it had to copy the whole warehouse instead, else None."""
    for leftover in (ws.staging_dir, ws.export_stage):
        if leftover.exists():
            shutil.rmtree(leftover)
    ws.staging_dir.mkdir(parents=True)
    if start_from is None:
        return None
    return ws.engine.prepare_staging(start_from, ws.staging_db, replaced, storage_version=ws.storage_version)


def begin(ws: Workspace, build_id: str, export_files: list[str]) -> None:
    """Write the publish journal: until `commit` removes it, an interrupted publish is rolled back.

    The database and the export files cannot be swapped in one atomic step, so the journal
    remembers what was there before (the previous database, hard-linked into history, and
    the previous export files, hard-linked into .warehouse/exports-previous; copied instead
    when the export folder is on another file system).
    """
    if ws.exports_backup.exists():         # left by a build killed before it wrote its journal
        shutil.rmtree(ws.exports_backup)
    ws.exports_backup.mkdir(parents=True)
    saved = []
    for name in [*export_files, "manifest.json"]:
        current = ws.export_dir / name
        if current.is_file():
            link_or_copy(current, ws.exports_backup / name)
            saved.append(name)
        elif current.is_dir():
            shutil.copytree(current, ws.exports_backup / name, copy_function=link_or_copy)
            saved.append(name)
    previous = _keep_previous(ws, build_id)
    write_json_atomic(ws.journal, {"build_id": build_id, "previous": str(previous) if previous else None,
                             "exports_backup": str(ws.exports_backup),
                             "exports_saved": saved, "exports_written": [*export_files, "manifest.json"]})


def commit(ws: Workspace, keep: int) -> None:
    """The publish is complete: forget the journal, keep the replaced exports beside the replaced
    database in history (so `rollback` restores both), prune history, drop the staging folder."""
    previous = json.loads(ws.journal.read_text()).get("previous") if ws.journal.exists() else None
    ws.journal.unlink(missing_ok=True)
    if previous and ws.exports_backup.exists():
        kept = exports_of(Path(previous))
        _remove(kept)
        shutil.move(ws.exports_backup, kept)       # a rename, or a copy from another file system
    _prune_history(ws.history_dir, keep, ws.published.suffix)
    shutil.rmtree(ws.exports_backup, ignore_errors=True)
    shutil.rmtree(ws.staging_dir, ignore_errors=True)
    shutil.rmtree(ws.export_stage, ignore_errors=True)


def recover(ws: Workspace) -> str | None:
    """Undo a publish that was interrupted (kill -9, power loss): put back what was there before.

    Safe to run again if it is itself interrupted: every step checks what is already done,
    and the journal is removed only once the old database and exports are back in place.
    """
    if not ws.journal.exists():
        return None
    journal = json.loads(ws.journal.read_text())
    previous = Path(journal["previous"]) if journal.get("previous") else None
    if previous is not None and previous.exists():
        if not (ws.published.exists() and os.path.samefile(previous, ws.published)):
            temporary = ws.published.with_name(f".{ws.published.name}.recover")
            temporary.unlink(missing_ok=True)
            link_or_copy(previous, temporary)
            os.replace(temporary, ws.published)
    elif previous is None:
        ws.published.unlink(missing_ok=True)
    backup = Path(journal.get("exports_backup") or ws.staging_dir / "exports-previous")
    saved = set(journal.get("exports_saved", []))
    for name in dict.fromkeys([*journal.get("exports_written", []), *saved]):
        target = ws.export_dir / name
        _remove(target.with_name(f".{name}.old"))        # half-done directory swap (export.py)
        if name not in saved:
            _remove(target)                                # new in the interrupted build
        elif (backup / name).exists():
            if (backup / name).is_dir():
                _remove(target)
            shutil.move(backup / name, target)   # a rename, or a copy from another file system
        # else: put back by an earlier recovery that was itself interrupted
    ws.journal.unlink()
    if previous is not None and previous.exists() and ws.published.exists() \
            and os.path.samefile(previous, ws.published):
        # That history entry is the published file again: keeping it would make the next
        # `rollback` "restore" what is already in place.
        previous.unlink()
    shutil.rmtree(backup, ignore_errors=True)
    shutil.rmtree(ws.staging_dir, ignore_errors=True)
    shutil.rmtree(ws.export_stage, ignore_errors=True)
    return journal["build_id"]


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def publish_database(ws: Workspace) -> None:
    """Make the closed staging database current (after `begin` wrote the journal): the engine's
    publish primitive, for DuckDB one atomic rename. The new file keeps the old one's mode and group."""
    keep_mode_and_group(ws.staging_db, ws.published)
    ws.engine.make_current(ws.staging_db, ws.published)


def published_build_id(ws: Workspace) -> str:
    """The build the published warehouse holds, as its exports manifest (replaced together with
    it) records; for a warehouse published before manifests existed, its file time."""
    try:
        found = json.loads((ws.export_dir / "manifest.json").read_text(encoding="utf-8")).get("build_id")
        if isinstance(found, str) and found and "/" not in found:
            return found
    except (OSError, ValueError):
        pass
    from datetime import datetime, timezone

    stamp = datetime.fromtimestamp(ws.published.stat().st_mtime, timezone.utc)
    return stamp.strftime("%Y%m%dT%H%M%SZ") + "-unknown"


def exports_of(kept: Path) -> Path:
    """The export files saved beside a history entry (`warehouse.<build>.exports/`)."""
    return kept.with_name(kept.stem + ".exports")


def _keep_previous(ws: Workspace, build_id: str) -> Path | None:
    """Link the published file into history under the id of the build it *holds* (not of the
    build replacing it: `rollback` must say truthfully which build it restores)."""
    if not ws.published.exists():
        return None
    ws.history_dir.mkdir(parents=True, exist_ok=True)
    kept = ws.history_dir / f"{ws.published.stem}.{published_build_id(ws)}{ws.published.suffix}"
    kept.unlink(missing_ok=True)        # the same build again (published by a rollback, then replaced)
    link_or_copy(ws.published, kept)
    return kept


def _prune_history(history: Path, keep: int, suffix: str = ".duckdb") -> None:
    """Keep the newest `keep` published warehouses (`.duckdb` files, or a Spark target's `.json`
    manifests)."""
    files = sorted(history.glob(f"*{suffix}"), key=lambda p: p.name)
    for old in files[: max(0, len(files) - keep)]:
        old.unlink(missing_ok=True)
        _remove(exports_of(old))


def history(ws: Workspace) -> list[Path]:
    """Previously published files, newest last."""
    pattern = f"*{ws.published.suffix}"
    return sorted(ws.history_dir.glob(pattern), key=lambda p: p.name) if ws.history_dir.exists() else []


def rollback(ws: Workspace, to: Path | None = None) -> Path:
    """Put a previously published file back in place (the newest one by default).

    Takes the build lock, so it cannot interleave with a build's publish. If a build was
    interrupted while publishing, the state from before that build is what comes back (the
    same recovery a build would run first), and nothing older.
    """
    from datetime import datetime, timezone

    from warehouse.publish.lock import BuildLock

    with BuildLock(ws.lock_path, "rollback-" + datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")):
        if ws.journal.exists():
            previous = json.loads(ws.journal.read_text()).get("previous")
            recover(ws)
            return Path(previous) if previous else ws.published
        kept = [k for k in history(ws) if not (ws.published.exists() and os.path.samefile(k, ws.published))]
        target = to or (kept[-1] if kept else None)
        if target is None or not target.exists():
            raise PublishError("no previously published warehouse to roll back to", Location(ws.history_dir))
        ws.engine.check_no_writer(ws.published)
        temporary = ws.published.with_name(f".{ws.published.name}.rollback")
        shutil.copyfile(target, temporary)
        keep_mode_and_group(temporary, ws.published)
        os.replace(temporary, ws.published)
        _restore_exports(ws, exports_of(target))
        return target


def _restore_exports(ws: Workspace, saved: Path) -> bool:
    """Put back the export files saved with a history entry: each saved file or folder replaces
    the current one, and files the newer build added (in its manifest, not in the saved one) go.
    False when nothing was saved (history from before exports were kept)."""
    if not saved.is_dir():
        return False
    def listed(folder: Path) -> set[str]:
        try:
            return {e["file"] for e in json.loads((folder / "manifest.json").read_text()).get("exports", [])}
        except (OSError, ValueError, KeyError, TypeError):
            return set()
    for name in listed(ws.export_dir) - listed(saved):
        if "/" not in name and not name.startswith("."):
            _remove(ws.export_dir / name)
    for item in sorted(saved.iterdir(), key=lambda p: p.name == "manifest.json"):   # manifest last
        temporary = ws.export_dir / f".{item.name}.rollback"
        _remove(temporary)
        if item.is_dir():
            shutil.copytree(item, temporary)
            _remove(ws.export_dir / item.name)
        else:
            shutil.copy2(item, temporary)
        os.replace(temporary, ws.export_dir / item.name)
    return True
