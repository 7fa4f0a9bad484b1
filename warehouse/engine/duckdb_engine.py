"""The execution engine: every call the pipeline makes to a database goes through here.

`Engine` is the small interface (run SQL, read the catalog, create relations, write
Parquet); `DuckDBEngine` is its first implementation. A Spark engine implements the same
methods, so materializations, tests and exports never speak to DuckDB directly.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol, Sequence

import duckdb

from warehouse.core.relation import quote_identifier, quote_literal, quote_relation


class Engine(Protocol):
    dialect: str

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> None: ...
    def fetchall(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple]: ...
    def relation_type(self, schema: str, name: str) -> str | None: ...
    def columns(self, schema: str, name: str) -> list[tuple[str, str]]: ...
    def ensure_schema(self, schema: str) -> None: ...
    def create_view(self, schema: str, name: str, sql: str) -> None: ...
    def create_table(self, schema: str, name: str, sql: str) -> None: ...
    def insert_by_name(self, schema: str, name: str, sql: str, unique_key: list[str] | None) -> int: ...
    def drop_relation(self, schema: str, name: str) -> None: ...
    def row_count(self, schema: str, name: str) -> int: ...
    def write_parquet(self, schema: str, name: str, path: Path, partition_by: list[str] | None) -> None: ...
    def close(self) -> None: ...


class DuckDBEngine:
    """DuckDB, on one database file (or in memory)."""

    dialect = "duckdb"

    def __init__(self, path: Path | str = ":memory:", read_only: bool = False, threads: int | None = None):
        self.path = path
        config = {"threads": threads} if threads else {}
        # Extensions cannot be downloaded on machines without internet: never try.
        config["autoinstall_known_extensions"] = False
        config["autoload_known_extensions"] = False
        self.con = duckdb.connect(str(path), read_only=read_only, config=config)

    @classmethod
    def from_connection(cls, con: "duckdb.DuckDBPyConnection", path: Path | str) -> "DuckDBEngine":
        """Wrap a connection opened elsewhere (e.g. `publish.open_published`)."""
        engine = cls.__new__(cls)
        engine.path, engine.con = path, con
        return engine

    # -- plain SQL ---------------------------------------------------------------------------
    def execute(self, sql: str, params: Sequence[Any] | None = None) -> None:
        self.con.execute(sql, params or [])

    def fetchall(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple]:
        return self.con.execute(sql, params or []).fetchall()

    def query(self, sql: str) -> tuple[list[str], list[tuple]]:
        cursor = self.con.execute(sql)
        names = [d[0] for d in cursor.description or []]
        return names, cursor.fetchall()

    # -- catalog -----------------------------------------------------------------------------
    def relation_type(self, schema: str, name: str) -> str | None:
        rows = self.fetchall(
            "select table_type from information_schema.tables where table_schema = ? and table_name = ?",
            [schema, name])
        if not rows:
            return None
        return "view" if rows[0][0] == "VIEW" else "table"

    def columns(self, schema: str, name: str) -> list[tuple[str, str]]:
        return [(r[0], r[1]) for r in self.fetchall(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = ? and table_name = ? order by ordinal_position", [schema, name])]

    def catalog(self) -> dict[tuple[str, str], list[tuple[str, str]]]:
        """Every relation's columns in one query: (schema, name) -> [(column, type)].

        information_schema costs a few milliseconds per query; asking once per node made
        reading the catalog a tenth of a build."""
        found: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for schema, name, column, kind in self.fetchall(
                "select schema_name, table_name, column_name, data_type from duckdb_columns() "
                "where database_name = current_database() order by schema_name, table_name, column_index"):
            found.setdefault((schema, name), []).append((column, kind))
        return found

    def relations(self) -> list[tuple[str, str, str]]:
        return [(r[0], r[1], "view" if r[2] == "VIEW" else "table") for r in self.fetchall(
            "select table_schema, table_name, table_type from information_schema.tables "
            "where table_catalog = current_database() order by 1, 2")]

    def ensure_schema(self, schema: str) -> None:
        self.execute(f"create schema if not exists {quote_identifier(schema)}")

    # -- materializing -----------------------------------------------------------------------
    def create_view(self, schema: str, name: str, sql: str) -> None:
        self._drop_if_other(schema, name, "view")
        self.execute(f"create or replace view {quote_relation(schema, name)} as\n{sql}")

    def create_table(self, schema: str, name: str, sql: str) -> None:
        self._drop_if_other(schema, name, "table")
        self.execute(f"create or replace table {quote_relation(schema, name)} as\n{sql}")

    def insert_by_name(self, schema: str, name: str, sql: str, unique_key: list[str] | None) -> int:
        """Append the query's rows; with a unique key, first delete the rows they replace."""
        target = quote_relation(schema, name)
        self.execute("begin transaction")
        try:
            self.execute(f"create or replace temp table __incoming as\n{sql}")
            if unique_key:
                match = " and ".join(f"t.{quote_identifier(k)} is not distinct from s.{quote_identifier(k)}"
                                     for k in unique_key)
                self.execute(f"delete from {target} as t where exists (select 1 from __incoming as s where {match})")
            self.execute(f"insert into {target} by name select * from __incoming")
            count = self.fetchall("select count(*) from __incoming")[0][0]
            self.execute("drop table __incoming")
            self.execute("commit")
        except Exception:
            self.execute("rollback")
            raise
        return count

    def drop_relation(self, schema: str, name: str) -> None:
        kind = self.relation_type(schema, name)
        if kind:
            self.execute(f"drop {kind} if exists {quote_relation(schema, name)} cascade")

    def _drop_if_other(self, schema: str, name: str, wanted: str) -> None:
        kind = self.relation_type(schema, name)
        if kind and kind != wanted:
            self.execute(f"drop {kind} {quote_relation(schema, name)} cascade")

    def row_count(self, schema: str, name: str) -> int:
        return self.fetchall(f"select count(*) from {quote_relation(schema, name)}")[0][0]

    # -- files -------------------------------------------------------------------------------
    def write_parquet(self, schema: str, name: str, path: Path, partition_by: list[str] | None) -> None:
        options = "format parquet, compression zstd"
        if partition_by:
            cols = ", ".join(quote_identifier(c) for c in partition_by)
            options += f", partition_by ({cols}), overwrite_or_ignore true"
        self.execute(f"copy (select * from {quote_relation(schema, name)}) to {quote_literal(str(path))} ({options})")

    def close(self) -> None:
        self.con.close()
