"""The relation a suite checks, as the SQL path sees it: name, columns, types, queries."""
from __future__ import annotations

from dataclasses import dataclass

from warehouse.check.values import quote_ident

PARTIAL_COUNT = 20  # GX's default partial_unexpected_count, used by both paths
_FLOAT_TYPES = ("FLOAT", "DOUBLE", "REAL", "FLOAT4", "FLOAT8")


@dataclass(frozen=True)
class Table:
    """A relation in an engine (`warehouse.engine.base.Engine`) with its column names and types,
    read once per suite."""

    con: object
    relation: str
    columns: tuple[str, ...]
    types: dict

    @classmethod
    def describe(cls, con, relation: str) -> "Table":
        rows = con.fetchall(f"DESCRIBE SELECT * FROM {relation}")
        return cls(con, relation, tuple(r[0] for r in rows), {r[0]: r[1] for r in rows})

    def col(self, name: str) -> str:
        return quote_ident(name)

    def is_missing(self, name: str) -> str:
        """SQL that is true where pandas would see a missing value: NULL, and NaN in floats
        (DuckDB keeps NaN apart from NULL; pandas, and so GX, treats both as missing)."""
        col = self.col(name)
        if str(self.types.get(name, "")).upper() in _FLOAT_TYPES:
            return f"({col} IS NULL OR isnan({col}))"
        return f"({col} IS NULL)"

    def one(self, sql: str) -> tuple:
        """The first row (the engine reads every row: DuckDB 2.0 refuses the next query while a
        result is half read)."""
        return self.con.fetchall(sql)[0]

    def all(self, sql: str) -> list[tuple]:
        return self.con.fetchall(sql)

    def row_count(self) -> int:
        return int(self.one(f"SELECT count(*) FROM {self.relation}")[0])
