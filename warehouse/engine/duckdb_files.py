"""DuckDB's publish primitive: the warehouse is one file, made current by an atomic rename.

A reader sees the old file or the new one, never a mix; readers holding the old file keep
reading it undisturbed. What DuckDB needs around the rename lives here: opening the
published file safely while it may be swapped, refusing to swap while someone writes to it,
and refusing to publish a staging file whose data is still in its WAL. The journal that makes
the swap and the export files one recoverable step is `warehouse.publish.workspace`.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb

from warehouse.core.errors import DatabaseError, Location, PublishError
from warehouse.engine.duckdb_access import open_current

_READ_ONLY_HINT = ("analysts must open the published warehouse read-only (duckdb -readonly, read_only=True); "
                   "close that connection, then build again")


def open_published(path: Path | str, attempts: int = 5, sandbox: bool = False,
                   readable: tuple[Path, ...] = ()) -> "duckdb.DuckDBPyConnection":
    """A read-only connection to the published file, safe against a concurrent publish.

    DuckDB opens a database file three times while connecting (magic bytes, headers, then the
    data under a lock). If a publish renames a new file into place in between, the connection
    pairs the old file's headers with the new file's blocks: "IO Error: Could not read enough
    bytes", a checksum error, or in principle a wrong catalog. So the file's identity (device,
    inode) is compared before and after connecting, and the connection is opened again if a
    swap happened meanwhile. Readers that do not use this function should do the same.

    The file is attached into a new in-memory instance (`duckdb_access.open_current`):
    `duckdb.connect(path)` hands back the instance this process cached for that path while any
    connection to it is open, i.e. the file a publish has since replaced. With `sandbox` the
    connection can read or write no file (an analyst's `query`).
    """
    path = str(path)
    for attempt in range(attempts):
        before = _identity(path)
        try:
            con = open_current(path, sandbox=sandbox, readable=readable)   # the file there now, not a cached one
        except duckdb.Error as exc:
            if attempt + 1 < attempts and _identity(path) != before:
                continue                 # swapped while opening: try the new file
            raise DatabaseError(type(exc).__name__, str(exc), Location(path)) from None
        if _identity(path) == before:
            return con
        con.close()
    raise PublishError(f"{Path(path).name} was replaced during each of {attempts} attempts to open it",
                       Location(path), hint="builds are publishing back to back; try again")


def _identity(path: str) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    return stat.st_dev, stat.st_ino


def check_no_writer(published: Path) -> None:
    """Refuse to swap the published file while someone holds it read-write.

    A read-write holder keeps the old file, and if it writes after the swap a `.wal` appears
    beside the new file that breaks every later open ("WAL does not match database file"), and
    its write is lost. Two signs of one: a `.wal` beside the published file (it wrote, or it
    crashed while writing), or a read-only open refused for a conflicting lock (it holds the
    file read-write, even without having written yet).
    """
    wal = published.with_name(published.name + ".wal")
    if wal.exists():
        raise PublishError(
            f"{wal.name} exists: a process has {published.name} open read-write (or crashed while it had)",
            Location(wal), hint=_READ_ONLY_HINT + f"; if the session is gone (`fuser {published.name}` shows "
                                                  f"nobody), delete {wal.name}: it holds only writes that never "
                                                  "belonged in the published warehouse",
        )
    holder = _read_write_holder(published)
    if holder is not None:
        raise PublishError(f"a process holds {published.name} open read-write: {holder}", Location(published),
                           hint=_READ_ONLY_HINT)


def _read_write_holder(published: Path) -> str | None:
    """DuckDB's own description of a conflicting read-write lock on `published`, if any."""
    if not published.exists():
        return None
    try:
        duckdb.connect(str(published), read_only=True).close()
    except duckdb.Error as exc:
        text = str(exc)
        if "lock" in text.lower():
            return text.split("Conflicting lock is held in", 1)[-1].split(". See also", 1)[0].strip()
    return None


def copy_database(published: Path, staging: Path, replaced: set[tuple[str, str]] | None = None,
                  storage_version: str | None = None) -> str | None:
    """Start a staging file from the published one (a read-only holder does not stop this).

    With `replaced` (the (schema, name) of every relation the build creates anew), only what
    must survive is written: the whole catalog (schemas, tables with their constraints, views,
    sequences, macros) and the rows of every table *not* replaced (incremental tables, build
    history, models outside the selection). A full build then writes the warehouse once, not
    twice, and leaves no free blocks behind: a file copy carried every block that `create or
    replace` had freed in earlier builds, and the published file grew with each build. If
    DuckDB cannot copy the catalog (e.g. a view over a file that is gone), the file is copied,
    and the reason is returned so the build says so (that build's file keeps the free blocks
    of earlier ones); None otherwise.
    """
    if not published.exists():
        return None
    reason = None
    if replaced is not None:
        try:
            _carry_over(published, staging, {(s.lower(), n.lower()) for s, n in replaced}, storage_version)
            return None
        except duckdb.Error as exc:
            reason = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
            for leftover in (staging, staging.with_name(staging.name + ".wal")):
                leftover.unlink(missing_ok=True)
    shutil.copyfile(published, staging)
    return reason


def _carry_over(published: Path, staging: Path, replaced: set[tuple[str, str]],
                storage_version: str | None = None) -> None:
    alias = "__published"
    config = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
    if storage_version:     # created in the format 1.x clients read (duckdb_access)
        config["storage_compatibility_version"] = storage_version
    with duckdb.connect(str(staging), config=config) as con:
        con.execute(f"attach {_literal(published)} as {alias} (read_only)")
        here = con.execute("select current_database()").fetchone()[0]
        con.execute(f"copy from database {alias} to {_identifier(here)} (schema)")
        tables = con.execute("select schema_name, table_name from duckdb_tables() "
                             "where database_name = ? and not temporary", [alias]).fetchall()
        for schema, name in tables:
            relation = f"{_identifier(here)}.{_identifier(schema)}.{_identifier(name)}"
            if (schema.lower(), name.lower()) in replaced:
                # dropped before anything is written: an empty table replaced later would still
                # leave its blocks free in the published file
                con.execute(f"drop table {relation}")
            else:
                con.execute(f"insert into {relation} select * from {alias}.{_identifier(schema)}.{_identifier(name)}")
        con.execute(f"detach {alias}")


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def make_current(staging: Path, published: Path) -> None:
    """Move the closed staging file into place with one atomic rename."""
    check_no_writer(published)
    if not staging.exists():
        raise PublishError("nothing to publish: the staging database is missing", Location(staging))
    leftover_wal = staging.with_name(staging.name + ".wal")
    if leftover_wal.exists():
        raise PublishError("the staging database was not closed cleanly; its data is still in the WAL",
                           Location(leftover_wal))
    published.parent.mkdir(parents=True, exist_ok=True)
    os.replace(staging, published)
