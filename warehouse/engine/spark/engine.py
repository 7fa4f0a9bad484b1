"""SparkEngine: the `Engine` interface on Apache Spark, for models written in DuckDB SQL.

Every statement the pipeline hands over is DuckDB SQL. `_spark_sql` transpiles it through
`warehouse.engine.spark.dialect` (which rewrites or refuses sqlglot's known traps, and refuses functions
the session does not have) and renames each relation to this engine's temporary view of it.
Tables are Parquet folders written once under this engine's build folder (`layout`); an
"insert" or an incremental run writes the whole new table to a new folder (copy on write), so
a folder a published manifest points at never changes. Seeds and landing files are read by
DuckDB (the same typing and error messages as the DuckDB engine) and land as Parquet.
`_guard` is the one place Spark's exceptions become `DatabaseError`.
"""
from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Iterator, Sequence

from sqlglot import exp

from warehouse.core.errors import DatabaseError, Location, WarehouseError
from warehouse.engine.base import Capabilities, Catalog, Engine
from warehouse.engine.spark import layout, statements
from warehouse.engine.spark.layout import Manifest, Relation
from warehouse.engine.spark.session import make_ready, spark_session
from warehouse.engine.spark.target import SparkTarget, spark_target
from warehouse.engine.spark.dialect import SparkSqlError, to_spark

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import DataFrame


class SparkEngine(Engine):
    """Spark (local, standalone, YARN, Kubernetes or Spark Connect) over a manifest of Parquet tables."""

    dialect: ClassVar[str] = "spark"
    capabilities: ClassVar[Capabilities] = Capabilities(transactions=False, file_swap=False, merge=True,
                                                        partitioned_parquet=True)
    target: ClassVar[SparkTarget] = SparkTarget()

    @classmethod
    def for_target(cls, target: SparkTarget) -> "type[SparkEngine]":
        """This engine bound to one target (the publish primitive's class methods need it)."""
        return type(cls.__name__, (cls,), {"target": target})

    def __init__(self, path: Path | str, read_only: bool = False, target: SparkTarget | None = None):
        self.path = Path(path)
        self.read_only = read_only
        if target is not None:
            self.target = target
        self.manifest = Manifest.read(self.path)
        # A staging manifest names the published warehouse's folder; a published one is in it.
        self.warehouse_dir = Path(self.manifest.warehouse_dir or self.path.resolve().parent)
        self.token = layout.new_token()
        self._spark: Any = None
        self._registered: set[str] = set()
        self._functions: dict[str, bool] = {}
        self._reads: list[str] = []
        self._scratch: Any = None
        self._attached: dict[str, SparkEngine] = {}

    def configure(self, target: Any) -> None:
        """Apply a profile target (its `options`, as written in profiles.yml) and check that this
        machine can run it (Java, pyspark: installed on first use) before the build starts."""
        options = getattr(target, "options", target)
        file = getattr(target, "file", None)
        self.target = spark_target(dict(options), Path.cwd(), Location(file) if file else None)
        make_ready(self.target)

    @property
    def spark(self) -> Any:
        """This engine's own child of the process's session, started on first use: its temporary
        views (the relations) are its own, so a build and a reader in one process never mix."""
        if self._spark is None:
            root = spark_session(self.target)
            try:
                self._spark = root.newSession()
            except Exception:                   # noqa: BLE001 - Spark Connect has no child sessions
                self._spark = root
        return self._spark

    # -- names and SQL -------------------------------------------------------------------------
    @staticmethod
    def _key(schema: str, name: str) -> str:
        return f"{schema}.{name}".lower()

    @staticmethod
    def _view(key: str) -> str:
        return "__wh__" + key.replace(".", "__")

    def _resolve(self, schema: str, name: str, catalog: str | None = None) -> str | None:
        if catalog is not None:
            return self._attached[catalog]._resolve(schema, name) if catalog in self._attached else None
        key = self._key(schema, name)
        if key not in self.manifest.relations:
            return None
        self._register(key)
        self._reads.append(key)
        return self._view(key)

    def attach(self, path: Path | str, alias: str) -> None:
        """Another warehouse's manifest, read-only, its relations reachable as `alias.schema.name`
        (registered in this engine's session under names of their own)."""
        other = type(self)(path, read_only=True)
        other._spark, other.token = self.spark, f"{alias}-{other.token}"
        other._view = lambda key: f"__wh_{alias}__" + key.replace(".", "__")     # type: ignore[method-assign]
        self._attached[alias] = other

    def detach(self, alias: str) -> None:
        self._attached.pop(alias, None)

    def _function_exists(self, name: str) -> bool:
        if name not in self._functions:
            self._functions[name] = bool(self.spark.catalog.functionExists(name))
        return self._functions[name]

    def _spark_sql(self, sql: str | list, where: Location | None) -> str:
        """DuckDB SQL as Spark SQL over this engine's relations; a refusal is a DatabaseError."""
        self._reads = []
        try:
            return to_spark(sql, self._function_exists, self._resolve).sql
        except SparkSqlError as error:
            raise DatabaseError("SparkTranspileError", str(error), where,
                                hint="models are written in DuckDB SQL; this construct has no faithful "
                                     "Spark translation (see docs/scale-out.md)") from None

    def transpile(self, sql: str, where: Location | None = None) -> str:
        """Translate DuckDB `sql` without running it (relations keep their names): the transpile
        gate calls this for every model before anything runs. A refusal is a DatabaseError."""
        try:
            return to_spark(sql, self._function_exists).sql
        except SparkSqlError as error:
            raise DatabaseError("SparkTranspileError", str(error), where,
                                hint="models are written in DuckDB SQL; this construct has no faithful "
                                     "Spark translation (see docs/scale-out.md)") from None

    @contextlib.contextmanager
    def _guard(self, where: Location | None) -> Iterator[None]:
        """Spark's exceptions (analysis, execution, py4j) as the project's DatabaseError."""
        from py4j.protocol import Py4JError
        from pyspark.errors import PySparkException

        try:
            yield
        except PySparkException as exc:
            kind = exc.getCondition() if hasattr(exc, "getCondition") else type(exc).__name__
            detail = str(exc).split("\n== ", 1)[0].strip().splitlines()[0]
            raise DatabaseError(kind or type(exc).__name__, detail, where) from None
        except Py4JError as exc:
            raise DatabaseError(type(exc).__name__, str(exc).splitlines()[0], where) from None

    def _df(self, sql: str, where: Location | None) -> "DataFrame":
        spark_sql = self._spark_sql(sql, where)
        with self._guard(where):
            return self.spark.sql(spark_sql)

    # -- registering relations -----------------------------------------------------------------
    def _register(self, key: str) -> None:
        if key in self._registered:
            return
        relation = self.manifest.relations[key]
        self._registered.add(key)
        try:
            with self._guard(Location(key)):
                if relation.kind == "table":
                    self.spark.read.parquet(str(self._folder(relation))).createOrReplaceTempView(self._view(key))
                else:
                    for dependency in relation.reads:
                        if dependency in self.manifest.relations:
                            self._register(dependency)
                    self.spark.sql(f"CREATE OR REPLACE TEMPORARY VIEW `{self._view(key)}` AS {relation.sql}")
        except BaseException:
            self._registered.discard(key)
            raise

    def _folder(self, relation: Relation) -> Path:
        return self.warehouse_dir / str(relation.location)

    def _replace(self, key: str, relation: Relation) -> None:
        """Record a new version of `key`; views registered on the old one are registered again."""
        self.manifest.relations[key] = relation
        self._registered = {k for k in self._registered if self.manifest.relations[k].kind == "table" and k != key}
        self._register(key)

    def _write_table(self, schema: str, name: str, frame: "DataFrame", where: Location | None,
                     expect_rows: int | None = None) -> None:
        """Write `frame` as a new Parquet folder of this build and make it the table `schema.name`
        (unless it has not `expect_rows` rows: a rewrite that must keep the row count)."""
        self._refuse_if_read_only()
        location = self._new_location(schema, name)
        with self._guard(where):
            frame.write.parquet(str(self.warehouse_dir / location))
            columns = _columns(frame)
        if expect_rows is not None:
            written = _footer_rows(self.warehouse_dir / location)
            if written != expect_rows:
                shutil.rmtree(self.warehouse_dir / location, ignore_errors=True)
                raise DatabaseError("InvalidInputException", f"UPDATE of {schema}.{name} matched a row more than once "
                                    f"({written} rows written, {expect_rows} expected)", where)
        self._replace(self._key(schema, name), Relation("table", columns, location=location))

    def _new_location(self, schema: str, name: str) -> str:
        """A folder of this build no table uses yet (a table rebuilt in one build gets a second)."""
        location, suffix = f"builds/{self.token}/{schema}/{name}", 1
        while (self.warehouse_dir / location).exists():
            suffix += 1
            location = f"builds/{self.token}/{schema}/{name}.{suffix}"
        return location

    def _refuse_if_read_only(self) -> None:
        if self.read_only:
            raise DatabaseError("ReadOnly", "the published Spark warehouse is opened read-only", Location(self.path))

    # -- running SQL ---------------------------------------------------------------------------
    def execute(self, sql: str, params: Sequence[Any] | None = None, where: Location | None = None) -> None:
        for statement in statements.parse_or_raise(statements.bind(sql, params), where):
            statements.run_statement(self, statement, where)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]], where: Location | None = None) -> None:
        parsed = [s for row in rows for s in statements.parse_or_raise(statements.bind(sql, row), where)]
        if parsed and all(isinstance(s, exp.Insert) and isinstance(s.expression, exp.Values) for s in parsed):
            first = parsed[0]         # one INSERT of every row: one new folder, not one per row
            first.expression.set("expressions", [t for s in parsed for t in s.expression.expressions])
            parsed = [first]
        for statement in parsed:
            statements.run_statement(self, statement, where)

    def fetchall(self, sql: str, params: Sequence[Any] | None = None, where: Location | None = None) -> list[tuple]:
        return self.query(statements.bind(sql, params), where)[1]

    def single_statement(self, sql: str) -> str:
        """`sql` if it is exactly one statement (read as the DuckDB SQL users write); `query` runs no scripts."""
        import sqlglot

        try:
            found = [s for s in sqlglot.parse(sql, read="duckdb") if s is not None]
        except sqlglot.errors.ParseError as exc:
            raise WarehouseError(f"query failed: {exc}") from None
        if len(found) != 1:
            raise WarehouseError(f"query runs exactly one SQL statement; this text has {len(found)}",
                                 hint="run the statements one at a time")
        return sql

    def query(self, sql: str, where: Location | None = None) -> tuple[list[str], list[tuple]]:
        frame = self._df(sql, where)
        with self._guard(where):
            return list(frame.columns), [tuple(row) for row in frame.collect()]

    def fetch_arrow(self, sql: str, where: Location | None = None) -> "pa.Table":
        frame = self._df(sql, where)
        with self._guard(where):
            return frame.toArrow()

    def test_failures(self, sql: str, sample: int, where: Location | None = None) -> tuple[int, list[str], list[tuple]]:
        frame = self._df(sql, where)
        with self._guard(where):
            count = frame.count()
            if not count:
                return 0, [], []
            return count, list(frame.columns), [tuple(r) for r in frame.limit(sample).collect()]

    def max_epoch(self, schema: str, name: str, column: str, where: Location | None = None) -> float | None:
        """Seconds since the epoch; with the session time zone UTC, naive values read as UTC."""
        quoted = column.replace("`", "``")
        self._resolve(schema, name)
        with self._guard(where):
            value = self.spark.sql(f"SELECT CAST(MAX(CAST(`{quoted}` AS TIMESTAMP)) AS DOUBLE) "
                                   f"FROM `{self._view(self._key(schema, name))}`").collect()[0][0]
        return None if value is None else float(value)

    # -- the catalog ---------------------------------------------------------------------------
    def catalog(self, database: str | None = None) -> Catalog:
        """From the manifest (no query); of an attached warehouse when `database` names one."""
        if database is not None and database in self._attached:
            return self._attached[database].catalog()
        if database is not None:
            return {}
        return {tuple(k.split(".", 1)): list(r.columns) for k, r in self.manifest.relations.items()}  # type: ignore[misc]

    def relations(self) -> list[tuple[str, str, str]]:
        return [(*k.split(".", 1), r.kind) for k, r in sorted(self.manifest.relations.items())]  # type: ignore[misc]

    def relation_type(self, schema: str, name: str) -> str | None:
        relation = self.manifest.relations.get(self._key(schema, name))
        return relation.kind if relation else None

    def columns(self, schema: str, name: str) -> list[tuple[str, str]]:
        relation = self.manifest.relations.get(self._key(schema, name))
        return list(relation.columns) if relation else []

    def row_count(self, schema: str, name: str, where: Location | None = None) -> int:
        """A table's count from its Parquet footers (no Spark job); a view's by running it."""
        key = self._key(schema, name)
        relation = self.manifest.relations.get(key)
        if relation is not None and relation.kind == "table":
            return _footer_rows(self._folder(relation))
        self._register(key)
        with self._guard(where):
            return self.spark.table(f"`{self._view(key)}`").count()

    # -- materializing -------------------------------------------------------------------------
    def ensure_schema(self, schema: str) -> None:
        """Schemas are the first part of a relation's name here; nothing to create."""

    def create_view(self, schema: str, name: str, sql: str, where: Location | None = None) -> None:
        self._refuse_if_read_only()
        spark_sql = self._spark_sql(sql, where)
        reads = list(dict.fromkeys(self._reads))
        with self._guard(where):
            columns = _columns(self.spark.sql(spark_sql))
        self._replace(self._key(schema, name), Relation("view", columns, sql=spark_sql, reads=reads))

    def create_table(self, schema: str, name: str, sql: str, where: Location | None = None) -> None:
        self._write_table(schema, name, self._df(sql, where), where)

    def incremental(self, schema: str, name: str, sql: str, strategy: str, unique_key: list[str] | None,
                    where: Location | None = None, predicates: list[str] | None = None,
                    update_columns: list[str] | None = None) -> int:
        """Copy on write (`spark.incremental`): the table's new rows by `strategy`, written to a new
        folder of this build; the folder the published manifest names is never changed."""
        from warehouse.engine.spark import incremental

        incoming = self._df(sql, where)
        with self._guard(where):
            incoming = incoming.localCheckpoint()       # computed once: it may read the table itself
            count = incoming.count()
        incremental.apply(self, schema, name, incoming, strategy, unique_key, predicates, update_columns, where)
        return count

    def _append(self, schema: str, name: str, incoming: "DataFrame", where: Location | None) -> None:
        """INSERT INTO ... [BY NAME]: the incremental `append` rewrite."""
        from warehouse.engine.spark import incremental

        incremental.apply(self, schema, name, incoming, "append", None, None, None, where)

    def drop_relation(self, schema: str, name: str) -> None:
        key = self._key(schema, name)
        if self.manifest.relations.pop(key, None) is not None:
            self._registered.discard(key)
            self.spark.catalog.dropTempView(self._view(key))

    # -- loading files: read by DuckDB, landed as Parquet ----------------------------------------
    def _duckdb(self) -> Any:
        if self._scratch is None:
            from warehouse.engine.duckdb_engine import DuckDBEngine

            self._scratch = DuckDBEngine(":memory:")
        return self._scratch

    def _land(self, schema: str, name: str, load: Any) -> None:
        """Run `load(scratch)` (creates main.__load in DuckDB) and write it, once, as the table's
        Parquet folder of this build: DuckDB's typing and error messages, Spark's layout."""
        self._refuse_if_read_only()
        scratch = self._duckdb()
        load(scratch)
        location = self._new_location(schema, name)
        folder = self.warehouse_dir / location
        folder.mkdir(parents=True)
        scratch.write_parquet("main", "__load", folder / "part-00000.parquet", None)
        scratch.drop_relation("main", "__load")
        with self._guard(Location(folder)):
            columns = _columns(self.spark.read.parquet(str(folder)))
        self._replace(self._key(schema, name), Relation("table", columns, location=location))

    def sniff_csv(self, path: Path, delimiter: str = ",") -> dict[str, str]:
        return self._duckdb().sniff_csv(path, delimiter)

    def load_csv(self, schema: str, name: str, path: Path, columns: list[tuple[str, str]],
                 where: Location | None = None, delimiter: str = ",") -> None:
        self._land(schema, name, lambda d: d.load_csv("main", "__load", path, columns, where, delimiter))

    def load_parquet(self, schema: str, name: str, path: Path, casts: dict[str, str],
                     where: Location | None = None) -> None:
        self._land(schema, name, lambda d: d.load_parquet("main", "__load", path, casts, where))

    def load_arrow(self, schema: str, name: str, table: "pa.Table", casts: dict[str, str],
                   where: Location | None = None) -> None:
        self._land(schema, name, lambda d: d.load_arrow("main", "__load", table, casts, where))

    # -- writing files -------------------------------------------------------------------------
    def write_parquet(self, schema: str, name: str, path: Path, partition_by: list[str] | None) -> None:
        """The same layout as DuckDB's exports: one `<name>.parquet` file, or a folder of
        `column=value/data_0.parquet` partitions (each value's rows in one task, so one file).
        Spark writes a folder of `part-*` files beside `path` first; they are renamed as DuckDB names them."""
        key = self._key(schema, name)
        self._register(key)
        path = Path(path)
        scratch = path.with_name(f".{path.name}.spark-{self.token}")
        with self._guard(Location(path)):
            frame = self.spark.table(f"`{self._view(key)}`")
            if partition_by:
                frame.repartition(*partition_by).write.partitionBy(*partition_by).parquet(str(scratch))
            else:
                frame.coalesce(1).write.parquet(str(scratch))
        _drop_checksums(scratch)
        if partition_by:
            for folder in {part.parent for part in scratch.rglob("part-*.parquet")}:
                for number, part in enumerate(sorted(folder.glob("part-*.parquet"))):
                    part.rename(folder / f"data_{number}.parquet")
            os.replace(scratch, path)
            return
        parts = sorted(scratch.glob("part-*.parquet"))
        os.replace(parts[0], path)
        shutil.rmtree(scratch)

    def scratch(self) -> "SparkEngine":
        """Unit tests' engine: tables are DataFrames held in the session, not Parquet (`inline`)."""
        from warehouse.engine.spark.inline import InlineSparkEngine

        return InlineSparkEngine(self)

    def close(self) -> None:
        if self._scratch is not None:
            self._scratch.close()
            self._scratch = None
        if not self.read_only:
            self.manifest.warehouse_dir = str(self.warehouse_dir)
            self.manifest.write(self.path)

    # -- the publish primitive -----------------------------------------------------------------
    @classmethod
    def open(cls, path: Path | str, read_only: bool = False, storage_version: str | None = None) -> "SparkEngine":
        """`storage_version` is DuckDB's on-disk format for older clients: Parquet has no such choice."""
        return cls(path, read_only=read_only)

    @classmethod
    def open_published(cls, path: Path | str, sandbox: bool = False,
                       readable: tuple[Path, ...] = ()) -> "SparkEngine":
        """The manifest is read once: this engine keeps reading that build even if another publishes.
        `sandbox`/`readable` limit DuckDB's file access; a local Spark session has no such switch."""
        return cls(path, read_only=True)

    @classmethod
    def prepare_staging(cls, published: Path, staging: Path, replaced: set[tuple[str, str]] | None = None,
                        storage_version: str | None = None) -> str | None:
        """Carrying a table over costs nothing here (the manifest points at its folder), so
        `replaced` is not needed: every published relation starts in the staging manifest."""
        layout.copy_manifest(published, staging)
        return None

    @classmethod
    def check_no_writer(cls, published: Path) -> None:
        """Readers of a manifest never write to it or to the folders it names: nothing to check."""

    @classmethod
    def make_current(cls, staging: Path, published: Path) -> None:
        layout.make_current(staging, published)


def _columns(frame: "DataFrame") -> list[tuple[str, str]]:
    return [(f.name, f.dataType.simpleString().upper()) for f in frame.schema.fields]


def _footer_rows(folder: Path) -> int:
    """A Parquet folder's row count from its footers (no Spark job)."""
    import pyarrow.parquet as pq

    return sum(pq.ParquetFile(part).metadata.num_rows for part in folder.glob("*.parquet"))


def _drop_checksums(folder: Path) -> None:
    """Hadoop's local file system writes `.crc` files beside each part; DuckDB's exports have none."""
    for crc in folder.rglob(".*.crc"):
        crc.unlink()


__all__ = ["SparkEngine"]
