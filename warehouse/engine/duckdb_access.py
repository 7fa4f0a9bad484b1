"""What DuckDB may touch: the storage version of the files we write, the file access of model
SQL, and the sandbox an analyst's query runs in.

Kept apart from `duckdb_engine.py` because these are policies, not operations: each one is a
DuckDB setting applied once, before any SQL of the project or of an analyst runs.

- **Storage version.** duckdb 2.0 writes storage version 69 by default, which no 1.x client
  (the 1.5 CLI, DBeaver's JDBC driver, most notebooks) can open. `storage_compatibility_version`
  fixes the version a file is *created* with; a file copied from an older publish keeps its
  version, so `ensure_storage_version` rewrites a staging copy whose version differs.
- **Least access for models.** `read_only` does not stop `COPY ... TO` or `ATTACH`; DuckDB's
  `enable_external_access = false` does, except for `allowed_directories`, and
  `lock_configuration` stops a later statement from switching it back. A build lists the
  folders it reads (seeds, landing, declared source locations) and the ones it writes besides
  its own database (external models' folders; the export staging folder only on the export
  step's own connection, opened after the last project SQL). A file attached *before* the limits is added
  to `allowed_paths` (with its .wal) and stays reachable: after a DETACH, SQL can attach it
  again read-write (measured, duckdb 2.0.0). So nothing but the engine's own SQL may run on a
  connection that attached a file it must protect (the change gate's, `open_engine(attach=)`).
- **Analysts' queries** run in a fresh in-memory instance that ATTACHes the published file
  read-only, then turns external access off and locks the configuration: no file can be read
  or written, and the per-process instance cache cannot hand back an old file.
"""
from __future__ import annotations

import functools
import os
from pathlib import Path

import duckdb

from warehouse.core.errors import WarehouseError
from warehouse.engine.base import Access

# The widest storage version that loses nothing our marts use (every 1.x client opens it). A
# model needing a newer storage feature (e.g. VARIANT columns) fails naming the setting.
DEFAULT_STORAGE_VERSION = "v1.0.0"
BASE_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


class QueryRefused(WarehouseError):
    """An analyst's query asked for something `query` never does (several statements)."""


def restrict(con: "duckdb.DuckDBPyConnection", access: Access) -> None:
    """From now on this connection reaches only `access`'s folders, and cannot change that."""
    con.execute("set allowed_directories = ?", [access.directories()])
    con.execute("set enable_external_access = false")
    con.execute("set lock_configuration = true")


def storage_version(path: Path | str) -> str | None:
    """The storage version a DuckDB file was created with ('v1.0.0'), or None if unknown."""
    con = duckdb.connect(config=dict(BASE_CONFIG))
    try:
        con.execute(f"attach {_literal(path)} as probe (read_only)")
        rows = con.execute("select tags from duckdb_databases() where database_name = 'probe'").fetchall()
        con.execute("detach probe")
    finally:
        con.close()
    tags = rows[0][0] if rows else {}
    return (tags or {}).get("storage_version", "").rstrip("+") or None


@functools.lru_cache(maxsize=8)
def _version_tag(wanted: str) -> str | None:
    """The storage version DuckDB reports for a file created with `wanted` (v1.1.0 is stored as
    v1.0.0, for example), found by creating an empty one. Fixed for a DuckDB library, so kept:
    a build opens its staging file up to three times (the change gate's own connection)."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="storage-version-") as scratch:
        probe = Path(scratch) / "probe.duckdb"
        duckdb.connect(str(probe), config={**BASE_CONFIG, "storage_compatibility_version": wanted}).close()
        return storage_version(probe)


def has_storage_version(con: "duckdb.DuckDBPyConnection", wanted: str) -> bool:
    """Whether the database `con` opened was created with storage version `wanted`: asked of
    the open connection itself (a probe by a second instance costs a tenth of a second)."""
    rows = con.execute("select tags from duckdb_databases() where database_name = current_database()").fetchall()
    tags = (rows[0][0] if rows else None) or {}
    return (tags.get("storage_version", "").rstrip("+") or None) == _version_tag(wanted)


def ensure_storage_version(path: Path, wanted: str) -> bool:
    """Rewrite the (closed, unpublished) file at `path` with storage version `wanted` if it has
    another one. True if it was rewritten. Used on the staging copy, never on the published file."""
    if not path.exists() or storage_version(path) == _version_tag(wanted):
        return False
    rewritten = path.with_name(f".{path.name}.storage")
    rewritten.unlink(missing_ok=True)
    con = duckdb.connect(config=dict(BASE_CONFIG))
    try:
        con.execute(f"attach {_literal(path)} as old_file (read_only)")
        con.execute(f"attach {_literal(rewritten)} as new_file (storage_version {_literal(wanted)})")
        con.execute("copy from database old_file to new_file")
        con.execute("detach new_file")
        con.execute("detach old_file")
    finally:
        con.close()
    os.replace(rewritten, path)
    return True


def open_current(path: Path | str, sandbox: bool = False,
                 readable: tuple[Path, ...] = ()) -> "duckdb.DuckDBPyConnection":
    """A read-only connection to the file that is at `path` *now*.

    `duckdb.connect(path)` returns the instance cached for that path while any connection to
    it is open in this process, so a long-lived process keeps reading the file a publish has
    since replaced. Attaching into a new in-memory instance opens the file afresh every time.
    The catalog is named after the file (`warehouse`), as when the file is opened directly.
    With `sandbox`, the connection then reads and writes no file at all (an analyst's query).
    """
    con = duckdb.connect(config=dict(BASE_CONFIG))
    try:
        alias = _identifier(Path(path).stem)
        con.execute(f"attach {_literal(path)} as {alias} (read_only)")
        con.execute(f"use {alias}")
        if sandbox:     # `readable`: folders the warehouse's own views read (external models' files)
            restrict(con, Access(read=tuple(readable)))
    except BaseException:
        con.close()
        raise
    return con


def single_statement(con: "duckdb.DuckDBPyConnection", sql: str) -> str:
    """`sql` if it is exactly one statement; `query` runs one statement, never a script."""
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryRefused(f"query failed: {exc}") from None
    if len(statements) != 1:
        raise QueryRefused(f"query runs exactly one SQL statement; this text has {len(statements)}",
                           hint="run the statements one at a time")
    return sql


def is_lock_conflict(exc: BaseException) -> bool:
    """DuckDB's 'Could not set lock on file ... Conflicting lock is held' (a read-write holder)."""
    return isinstance(exc, duckdb.Error) and "conflicting lock" in str(exc).lower()


def _literal(value: Path | str) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
