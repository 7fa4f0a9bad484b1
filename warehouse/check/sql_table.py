"""The relation a suite checks, as the SQL path sees it: name, columns, types, queries."""
from __future__ import annotations

from dataclasses import dataclass

from warehouse.check.values import quote_ident

PARTIAL_COUNT = 20  # GX's default partial_unexpected_count, used by both paths
_FLOAT_TYPES = ("FLOAT", "DOUBLE", "REAL", "FLOAT4", "FLOAT8")


@dataclass(frozen=True)
class Table:
    """A relation in a DuckDB connection with its column names and types, read once per suite."""

    con: object
    relation: str
    columns: tuple[str, ...]
    types: dict

    @classmethod
    def describe(cls, con, relation: str) -> "Table":
        rows = con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()
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
        """The first row. fetchall(), not fetchone(): DuckDB 2.0 keeps a partly read result
        open and refuses the connection's next query until it is drained."""
        return self.con.execute(sql).fetchall()[0]

    def all(self, sql: str) -> list[tuple]:
        return self.con.execute(sql).fetchall()

    def row_count(self) -> int:
        return int(self.one(f"SELECT count(*) FROM {self.relation}")[0])
