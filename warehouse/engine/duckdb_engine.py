"""DuckDB, the first `Engine`: one database file (or memory), one connection.

Every statement goes through `_run`, the one place where `duckdb.Error` becomes the project's
`DatabaseError` with the location the caller gave. The SQL issued here is built in
`statements` and rendered in DuckDB's dialect; models' SQL is passed through as written.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Sequence

import duckdb
from sqlglot import exp

from warehouse.core.errors import DatabaseError, Location, ProjectError
from warehouse.core.relation import literal, quote_identifier, quote_literal
from warehouse.engine import duckdb_access, duckdb_files, duckdb_load
from warehouse.engine import statements as sql_
from warehouse.engine.base import Access, Capabilities, Catalog, Engine

if TYPE_CHECKING:
    import pyarrow as pa

_CATALOG = ("select schema_name, table_name, column_name, data_type from duckdb_columns() "
            "where database_name = current_database() order by schema_name, table_name, column_index")
_CATALOG_OF = _CATALOG.replace("database_name = current_database()", "database_name = ?")
_RELATIONS = ("select table_schema, table_name, table_type from information_schema.tables "
              "where table_catalog = current_database() order by 1, 2")
_RELATION_TYPE = "select table_type from information_schema.tables where table_schema = ? and table_name = ?"
_COLUMNS = ("select column_name, data_type from information_schema.columns "
            "where table_schema = ? and table_name = ? order by ordinal_position")


class DuckDBEngine(Engine):
    """DuckDB, on one database file (or in memory)."""

    dialect: ClassVar[str] = "duckdb"
    capabilities: ClassVar[Capabilities] = Capabilities(transactions=True, file_swap=True, merge=True,
                                                        partitioned_parquet=True)

    def __init__(self, path: Path | str = ":memory:", read_only: bool = False, threads: int | None = None,
                 storage_version: str | None = None):
        """`storage_version`: the version a new file is created with (1.x clients read it)."""
        self.path = path
        config: dict[str, Any] = {"threads": threads} if threads else {}
        # Extensions cannot be downloaded on machines without internet: never try.
        config["autoinstall_known_extensions"] = False
        config["autoload_known_extensions"] = False
        if storage_version:
            config["storage_compatibility_version"] = storage_version
        try:
            self.con = duckdb.connect(str(path), read_only=read_only, config=config)
        except duckdb.Error as exc:
            raise DatabaseError(type(exc).__name__, str(exc), Location(path)) from None

    def restrict(self, access: Access) -> None:
        """From now on SQL reaches only `access`'s folders besides this database, and cannot undo
        that (after `configure`, whose settings and ATTACHes come first)."""
        try:
            duckdb_access.restrict(self.con, access)
        except duckdb.Error as exc:
            raise DatabaseError(type(exc).__name__, str(exc), Location(self.path)) from None

    def configure(self, target: Any) -> None:
        """Apply a profile target's `extensions`, `settings` and `attach` (dbt-duckdb's keys).

        Only extensions built into this DuckDB can be loaded: they cannot be downloaded here."""
        where = f"{target.file or 'profiles.yml'} (target {target.name})"
        available = {name for name, installed, mode in self.con.execute(
            "select extension_name, installed, install_mode from duckdb_extensions()").fetchall()
            if installed or mode == "STATICALLY_LINKED"}
        for name in target.extensions:
            if name not in available:
                raise ProjectError(f"{where}: extension '{name}' is not built into this DuckDB and cannot be "
                                   "downloaded", hint=f"built in: {', '.join(sorted(available))}")
            self.con.execute(f"load {quote_identifier(name)}")
        for key, value in target.settings.items():
            try:
                self.con.execute(f"set {quote_identifier(str(key))} = {literal(value)}")
            except duckdb.Error as exc:
                raise ProjectError(f"{where}: setting {key}: {exc}") from None
        for entry in target.attach:
            options = [f"type {entry['type']}"] if entry.get("type") else []
            if entry.get("read_only"):
                options.append("read_only")
            suffix = f" ({', '.join(options)})" if options else ""
            try:
                self.con.execute(f"attach if not exists {quote_literal(entry['path'])} as "
                                 f"{quote_identifier(entry['alias'])}{suffix}")
            except duckdb.Error as exc:
                raise ProjectError(f"{where}: attach {entry['path']}: {exc}") from None

    @classmethod
    def from_connection(cls, con: "duckdb.DuckDBPyConnection", path: Path | str = ":memory:") -> "DuckDBEngine":
        """Wrap a connection opened elsewhere (tests, `open_published`)."""
        engine = cls.__new__(cls)
        engine.path, engine.con = path, con
        return engine

    # -- running SQL ---------------------------------------------------------------------------
    def _run(self, sql: str, params: Sequence[Any] | None = None, where: Location | None = None):
        try:
            return self.con.execute(sql, params or [])
        except duckdb.Error as exc:
            raise DatabaseError(type(exc).__name__, str(exc), where) from None

    def _render(self, expression: exp.Expression, model_sql: str | None = None) -> str:
        return sql_.render(expression, self.dialect, model_sql)

    def execute(self, sql: str, params: Sequence[Any] | None = None, where: Location | None = None) -> None:
        self._run(sql, params, where)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]], where: Location | None = None) -> None:
        try:
            self.con.executemany(sql, rows)
        except duckdb.Error as exc:
            raise DatabaseError(type(exc).__name__, str(exc), where) from None

    def fetchall(self, sql: str, params: Sequence[Any] | None = None, where: Location | None = None) -> list[tuple]:
        # fetchall(), never fetchone(): DuckDB 2.0 refuses the next query while a result is half read.
        return self._run(sql, params, where).fetchall()

    def query(self, sql: str, where: Location | None = None) -> tuple[list[str], list[tuple]]:
        cursor = self._run(sql, None, where)
        names = [d[0] for d in cursor.description or []]
        return names, cursor.fetchall()

    def single_statement(self, sql: str) -> str:
        return duckdb_access.single_statement(self.con, sql)

    def fetch_arrow(self, sql: str, where: Location | None = None) -> "pa.Table":
        try:
            return self.con.sql(sql).to_arrow_table()
        except duckdb.Error as exc:
            raise DatabaseError(type(exc).__name__, str(exc), where) from None

    def test_failures(self, sql: str, sample: int, where: Location | None = None) -> tuple[int, list[str], list[tuple]]:
        count = self.fetchall(self._render(sql_.count_of_query(), sql), where=where)[0][0]
        if not count:
            return 0, [], []
        names, rows = self.query(self._render(sql_.sample_of_query(sample), sql), where=where)
        return count, names, rows

    def max_epoch(self, schema: str, name: str, column: str, where: Location | None = None) -> float | None:
        """Computed as epoch seconds in SQL: fetching a TIMESTAMPTZ value into Python needs pytz,
        which is not installed. Naive values (TIMESTAMP, DATE, text) are taken to be UTC, as dbt does."""
        types = {c.lower(): kind.upper() for c, kind in self.columns(schema, name)}
        value: exp.Expression = exp.Max(this=sql_.column(column))
        if not types.get(column.lower(), "").startswith("TIMESTAMP WITH TIME ZONE"):
            value = exp.Cast(this=value, to=exp.DataType.build("TIMESTAMP"))
        query = exp.select(exp.Anonymous(this="epoch", expressions=[value])).from_(sql_.table(schema, name))
        epoch = self.fetchall(self._render(query), where=where)[0][0]
        return None if epoch is None else float(epoch)

    # -- the catalog ---------------------------------------------------------------------------
    def catalog(self, database: str | None = None) -> Catalog:
        """information_schema costs a few milliseconds per query; asking once per node made
        reading the catalog a tenth of a build, so this is one query over duckdb_columns()."""
        found: Catalog = {}
        rows = self.fetchall(_CATALOG) if database is None else self.fetchall(_CATALOG_OF, [database])
        for schema, name, column, kind in rows:
            found.setdefault((schema, name), []).append((column, kind))
        return found

    def attach(self, path: Path | str, alias: str) -> None:
        self.execute(self._render(sql_.attach_read_only(path, alias)))

    def detach(self, alias: str) -> None:
        self.execute(self._render(sql_.detach(alias)))

    def relations(self) -> list[tuple[str, str, str]]:
        return [(r[0], r[1], "view" if r[2] == "VIEW" else "table") for r in self.fetchall(_RELATIONS)]

    def relation_type(self, schema: str, name: str) -> str | None:
        rows = self.fetchall(_RELATION_TYPE, [schema, name])
        if not rows:
            return None
        return "view" if rows[0][0] == "VIEW" else "table"

    def columns(self, schema: str, name: str) -> list[tuple[str, str]]:
        return [(r[0], r[1]) for r in self.fetchall(_COLUMNS, [schema, name])]

    def row_count(self, schema: str, name: str, where: Location | None = None) -> int:
        return self.fetchall(self._render(sql_.count_rows(sql_.table(schema, name))), where=where)[0][0]

    # -- materializing -------------------------------------------------------------------------
    def ensure_schema(self, schema: str) -> None:
        self.execute(self._render(sql_.create_schema(schema)))

    def create_view(self, schema: str, name: str, sql: str, where: Location | None = None) -> None:
        self._drop_if_other(schema, name, "view")
        self.execute(self._render(sql_.create_as("VIEW", sql_.table(schema, name)), sql), where=where)

    def create_table(self, schema: str, name: str, sql: str, where: Location | None = None) -> None:
        self._drop_if_other(schema, name, "table")
        self.execute(self._render(sql_.create_as("TABLE", sql_.table(schema, name)), sql), where=where)

    def incremental(self, schema: str, name: str, sql: str, strategy: str, unique_key: list[str] | None,
                    where: Location | None = None, predicates: list[str] | None = None,
                    update_columns: list[str] | None = None) -> int:
        """Stage the query's rows in a temporary table, then append / delete+insert / merge them,
        all in one transaction so a failure leaves the table as it was."""
        target = sql_.table(schema, name)
        self.execute("begin transaction")
        try:
            self.execute(self._render(sql_.create_as("TABLE", sql_.incoming(), temporary=True), sql), where=where)
            if strategy == "merge":
                columns = [c for c, _ in self.columns(schema, name)]
                self.execute(self._render(sql_.merge(target, unique_key or [], columns, predicates, update_columns)),
                             where=where)
            else:
                if unique_key:
                    self.execute(self._render(sql_.delete_matching(target, unique_key, predicates)), where=where)
                self.execute(self._render(sql_.insert_by_name(target)), where=where)
            count = self.fetchall(self._render(sql_.count_rows(sql_.incoming())))[0][0]
            self.execute(self._render(sql_.drop("TABLE", sql_.incoming(), if_exists=False)))
            self.execute("commit")
        except BaseException:
            self.execute("rollback")
            raise
        return count

    def persist_docs(self, schema: str, name: str, kind: str, description: str | None,
                     columns: dict[str, str]) -> None:
        relation = f"{quote_identifier(schema)}.{quote_identifier(name)}"
        if description is not None:
            what = "view" if kind == "view" else "table"
            self.execute(f"comment on {what} {relation} is {quote_literal(description)}")
        present = {c for c, _ in self.columns(schema, name)}
        for column, text in columns.items():
            if column in present:
                self.execute(f"comment on column {relation}.{quote_identifier(column)} is {quote_literal(text)}")

    def drop_relation(self, schema: str, name: str) -> None:
        kind = self.relation_type(schema, name)
        if kind:
            self.execute(self._render(sql_.drop(kind.upper(), sql_.table(schema, name))))

    def _drop_if_other(self, schema: str, name: str, wanted: str) -> None:
        kind = self.relation_type(schema, name)
        if kind and kind != wanted:
            self.execute(self._render(sql_.drop(kind.upper(), sql_.table(schema, name), if_exists=False)))

    # -- loading files -------------------------------------------------------------------------
    def sniff_csv(self, path: Path, delimiter: str = ",") -> dict[str, str]:
        """DuckDB's own type guesses, from a scratch connection so the build's is left alone."""
        return duckdb_load.sniff_csv(path, delimiter)

    def load_csv(self, schema: str, name: str, path: Path, columns: list[tuple[str, str]],
                 where: Location | None = None, delimiter: str = ",") -> None:
        select = duckdb_load.read_csv(path, columns, delimiter)
        self._load(schema, name, self._render(select), where)

    def load_parquet(self, schema: str, name: str, path: Path, casts: dict[str, str],
                     where: Location | None = None) -> None:
        select = sql_.select_star(sql_.table_function("read_parquet", path), casts)
        self._load(schema, name, self._render(select), where)

    def load_arrow(self, schema: str, name: str, table: "pa.Table", casts: dict[str, str],
                   where: Location | None = None) -> None:
        view = f"__arrow_{name}"
        self.con.register(view, table)
        try:
            self._load(schema, name, self._render(sql_.select_star(sql_.table(None, view), casts)), where)
        finally:
            self.con.unregister(view)

    def _load(self, schema: str, name: str, select: str, where: Location | None) -> None:
        try:
            self.create_table(schema, name, select)
        except DatabaseError as exc:
            raise duckdb_load.seed_error(exc.detail, where or Location(name)) from None

    # -- writing files -------------------------------------------------------------------------
    def write_parquet(self, schema: str, name: str, path: Path, partition_by: list[str] | None) -> None:
        options: list[tuple[str, exp.Expression]] = [("format", exp.var("parquet")), ("compression", exp.var("zstd"))]
        if partition_by:
            options += [("partition_by", exp.Tuple(expressions=[sql_.column(c) for c in partition_by])),
                        ("overwrite_or_ignore", sql_.literal(True))]
        self.execute(self._render(sql_.copy_to(sql_.table(schema, name), path, options)))

    def close(self) -> None:
        self.con.close()

    # -- the publish primitive -----------------------------------------------------------------
    def scratch(self) -> "DuckDBEngine":
        return type(self)(":memory:")

    @classmethod
    def open(cls, path: Path | str, read_only: bool = False, storage_version: str | None = None) -> "DuckDBEngine":
        """`storage_version`: a new file is created with it; an existing one with another version is
        rewritten first (checked on the opened connection: a build opens its staging file up to
        three times, see build.stage_changes)."""
        engine = cls(path, read_only=read_only, storage_version=storage_version)
        if storage_version and not read_only and str(path) != ":memory:":
            try:
                matches = duckdb_access.has_storage_version(engine.con, storage_version)
            except duckdb.Error as exc:
                engine.close()
                raise DatabaseError(type(exc).__name__, str(exc), Location(path)) from None
            if not matches:
                engine.close()
                duckdb_access.ensure_storage_version(Path(path), storage_version)
                engine = cls(path, read_only=read_only, storage_version=storage_version)
        return engine

    @classmethod
    def open_published(cls, path: Path | str, sandbox: bool = False,
                       readable: tuple[Path, ...] = ()) -> "DuckDBEngine":
        if not Path(path).exists():
            engine = cls(":memory:")
            if sandbox:
                engine.restrict(Access())
            return engine
        return cls.from_connection(duckdb_files.open_published(path, sandbox=sandbox, readable=readable), path)

    @classmethod
    def prepare_staging(cls, published: Path, staging: Path, replaced: set[tuple[str, str]] | None = None,
                        storage_version: str | None = None) -> str | None:
        return duckdb_files.copy_database(published, staging, replaced, storage_version)

    @classmethod
    def check_no_writer(cls, published: Path) -> None:
        duckdb_files.check_no_writer(published)

    @classmethod
    def make_current(cls, staging: Path, published: Path) -> None:
        duckdb_files.make_current(staging, published)
