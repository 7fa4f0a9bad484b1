"""The engine interface: everything the pipeline asks of a database, and nothing more.

Stages (load, run, test, check, export, freshness, publish) are typed against `Engine` and
never see a driver, a connection or a driver exception. An implementation (DuckDB today,
Spark next) issues its own SQL built as sqlglot expressions in its dialect, turns its
driver's exceptions into `DatabaseError`/`SeedError` carrying the node and location it was
given (`where`), and says through `capabilities` where it differs from the others.

The class methods are the *publish primitive*: a build writes into a staging target that the
engine makes current in one atomic step (for DuckDB, a file swap recorded by the journal of
`warehouse.publish.workspace`).
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Sequence

from warehouse.core.errors import Location

if TYPE_CHECKING:
    import pyarrow as pa

Catalog = dict[tuple[str, str], list[tuple[str, str]]]
"""(schema, relation) -> [(column, type)], in column order."""


@dataclass(frozen=True)
class Access:
    """The folders a build's SQL may reach besides its own database: it reads `read` (seeds,
    landing, declared source locations) and writes `write` (external models' folders; the
    export staging folder on the export step's own connection).
    An engine that cannot tell reads from writes allows both on every folder listed.

    Engines apply it with an optional method `restrict(access)` (as `configure(target)` is
    optional), called by `engine.factory.open_engine` after the target's settings and before any
    model SQL: DuckDB's is `enable_external_access = false` + `allowed_directories` +
    `lock_configuration`. An engine without it runs model SQL with its own access (say so in
    its docs)."""

    read: tuple[Path, ...] = ()
    write: tuple[Path, ...] = ()

    def directories(self) -> list[str]:
        """Each folder as written and as resolved (a symlinked project path), ending in '/'."""
        found: list[str] = []
        for folder in (*self.read, *self.write):
            for form in (Path(folder).absolute(), Path(folder).resolve()):
                text = str(form).rstrip("/") + "/"
                if text not in found:
                    found.append(text)
        return found


@dataclass(frozen=True)
class Capabilities:
    """Where engines differ; stages ask these instead of checking an engine's class."""

    transactions: bool        # several statements commit or roll back together
    file_swap: bool           # the warehouse is one file made current by a rename (history hard-links it)
    merge: bool               # incremental_strategy merge (MERGE INTO)
    partitioned_parquet: bool  # write_parquet(partition_by=...) writes a hive-partitioned folder


class Engine(ABC):
    """One open database. Every method that runs SQL takes `where`, the place in the project the
    SQL comes from, so that an error names the file, line and node."""

    dialect: ClassVar[str]
    capabilities: ClassVar[Capabilities]
    path: Path | str

    # -- running SQL ---------------------------------------------------------------------------
    @abstractmethod
    def execute(self, sql: str, params: Sequence[Any] | None = None, where: Location | None = None) -> None:
        """Run a statement for its effect."""

    @abstractmethod
    def executemany(self, sql: str, rows: Sequence[Sequence[Any]], where: Location | None = None) -> None:
        """Run one parameterised statement once per row."""

    @abstractmethod
    def fetchall(self, sql: str, params: Sequence[Any] | None = None, where: Location | None = None) -> list[tuple]:
        """Run a query and return all its rows."""

    @abstractmethod
    def query(self, sql: str, where: Location | None = None) -> tuple[list[str], list[tuple]]:
        """Run a query and return (column names, rows)."""

    @abstractmethod
    def single_statement(self, sql: str) -> str:
        """`sql` if it is exactly one statement, else a WarehouseError (`query` runs no scripts)."""

    @abstractmethod
    def fetch_arrow(self, sql: str, where: Location | None = None) -> "pa.Table":
        """Run a query and return its result as an Arrow table (for pandas/GX)."""

    @abstractmethod
    def test_failures(self, sql: str, sample: int, where: Location | None = None) -> tuple[int, list[str], list[tuple]]:
        """Run a data test's query: (how many rows it returns, column names, the first `sample` rows)."""

    @abstractmethod
    def max_epoch(self, schema: str, name: str, column: str, where: Location | None = None) -> float | None:
        """max(column) in seconds since the epoch (naive values read as UTC), for freshness."""

    # -- the catalog ---------------------------------------------------------------------------
    @abstractmethod
    def catalog(self, database: str | None = None) -> Catalog:
        """Every relation's columns, in one query (of an attached database when named)."""

    @abstractmethod
    def attach(self, path: Path | str, alias: str) -> None:
        """Make another warehouse readable beside this one, read-only, as catalog `alias`: the
        change report compares a build with the published warehouse (or two builds) this way."""

    @abstractmethod
    def detach(self, alias: str) -> None:
        """Forget a database `attach` added (no error if it is not attached)."""

    @abstractmethod
    def relations(self) -> list[tuple[str, str, str]]:
        """(schema, name, 'view' | 'table') of every relation."""

    @abstractmethod
    def relation_type(self, schema: str, name: str) -> str | None:
        """'view', 'table', or None when there is no such relation."""

    @abstractmethod
    def columns(self, schema: str, name: str) -> list[tuple[str, str]]:
        """[(column, type)] of one relation."""

    @abstractmethod
    def row_count(self, schema: str, name: str, where: Location | None = None) -> int:
        """How many rows one relation has."""

    # -- materializing -------------------------------------------------------------------------
    @abstractmethod
    def ensure_schema(self, schema: str) -> None:
        """Create the schema unless it exists."""

    @abstractmethod
    def create_view(self, schema: str, name: str, sql: str, where: Location | None = None) -> None:
        """Create or replace a view of the model's SQL (a table of that name is dropped first)."""

    @abstractmethod
    def create_table(self, schema: str, name: str, sql: str, where: Location | None = None) -> None:
        """Create or replace a table from the model's SQL (a view of that name is dropped first)."""

    @abstractmethod
    def incremental(self, schema: str, name: str, sql: str, strategy: str, unique_key: list[str] | None,
                    where: Location | None = None, predicates: list[str] | None = None,
                    update_columns: list[str] | None = None) -> int:
        """Add the query's rows to an existing table by `strategy` (append, delete+insert, merge),
        limiting delete/merge to dbt's `incremental_predicates`; a merge updates only
        `update_columns` of matched rows (None: every column the query has). Return how many rows
        the query gave."""

    def persist_docs(self, schema: str, name: str, kind: str, description: str | None,
                     columns: dict[str, str]) -> None:
        """dbt's persist_docs: store descriptions as the relation's and its columns' comments.
        Engines without comments keep the default: nothing (the docs stay in the manifest)."""

    @abstractmethod
    def drop_relation(self, schema: str, name: str) -> None:
        """Drop a view or table (and what depends on it) if it exists."""

    # -- loading files -------------------------------------------------------------------------
    @abstractmethod
    def sniff_csv(self, path: Path, delimiter: str = ",") -> dict[str, str]:
        """The engine's own type guesses for a CSV's columns ({} when it cannot tell)."""

    @abstractmethod
    def load_csv(self, schema: str, name: str, path: Path, columns: list[tuple[str, str]],
                 where: Location | None = None, delimiter: str = ",") -> None:
        """Create a table from a CSV with exactly these (column, type) pairs; a malformed row is a
        SeedError naming its line."""

    @abstractmethod
    def load_parquet(self, schema: str, name: str, path: Path, casts: dict[str, str],
                     where: Location | None = None) -> None:
        """Create a table from a Parquet file, casting the named columns."""

    @abstractmethod
    def load_arrow(self, schema: str, name: str, table: "pa.Table", casts: dict[str, str],
                   where: Location | None = None) -> None:
        """Create a table from an Arrow table (XLSX sheets are read in Python), casting the named columns."""

    # -- writing files -------------------------------------------------------------------------
    @abstractmethod
    def write_parquet(self, schema: str, name: str, path: Path, partition_by: list[str] | None) -> None:
        """Write one relation as Parquet (zstd); a folder partitioned by columns when asked."""

    @abstractmethod
    def close(self) -> None:
        """Close the connection; a staging database is complete on disk after this."""

    @abstractmethod
    def scratch(self) -> "Engine":
        """An empty database of this engine's kind and target that lives in memory only (dbt unit
        tests: their mocked inputs and results never reach the staging or published warehouse)."""

    def configure(self, target: Any) -> None:
        """Apply a profile target's engine settings (extensions, settings, attached databases);
        an engine with none to apply keeps this no-op."""

    # -- the publish primitive -----------------------------------------------------------------
    @classmethod
    @abstractmethod
    def open(cls, path: Path | str, read_only: bool = False, storage_version: str | None = None) -> "Engine":
        """Open (or create) the database at `path`; ':memory:' for a scratch database.
        `storage_version`: the on-disk format older clients can read (rewriting the file first
        if it has another)."""

    @classmethod
    @abstractmethod
    def open_published(cls, path: Path | str, sandbox: bool = False, readable: tuple[Path, ...] = ()) -> "Engine":
        """Open the published warehouse read-only, safely against a concurrent publish (an empty
        scratch database when nothing is published yet), always the file there now (never a
        cached handle of a file a publish has replaced). `sandbox`: its SQL reaches no file at
        all but `readable` (an analyst's query; `readable` = the external models' files)."""

    @classmethod
    @abstractmethod
    def prepare_staging(cls, published: Path, staging: Path, replaced: set[tuple[str, str]] | None = None,
                        storage_version: str | None = None) -> str | None:
        """Start the staging target of a build from the published warehouse (if any): a copy, or,
        given the (schema, name) of every relation the build `replaced` anew, the published
        catalog with the data of only the other tables (what must survive the build).
        `storage_version`: the on-disk format the staging target is created in. Returns why,
        given `replaced`, the engine copied the whole warehouse instead (for the build to
        report), else None."""

    @classmethod
    @abstractmethod
    def check_no_writer(cls, published: Path) -> None:
        """Refuse (PublishError) to replace the published warehouse while someone writes to it."""

    @classmethod
    @abstractmethod
    def make_current(cls, staging: Path, published: Path) -> None:
        """Make the closed staging target the published warehouse, in one atomic step."""
