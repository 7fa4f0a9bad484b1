"""The relation a suite checks, as the SQL path sees it: name, columns, types, queries."""
from __future__ import annotations

from dataclasses import dataclass

from sqlglot import exp

from warehouse.sql import expectation_sql as q

PARTIAL_COUNT = 20  # GX's default partial_unexpected_count, used by both paths


@dataclass(frozen=True)
class Table:
    """A relation in an engine (`warehouse.engine.base.Engine`) with its column names and types,
    read once per suite. Queries are sqlglot expressions, rendered for the engine here."""

    con: object
    relation: str
    columns: tuple[str, ...]
    types: dict

    @classmethod
    def describe(cls, con, relation: str) -> "Table":
        rows = con.fetchall(q.render(exp.Describe(this=q.select(exp.Star(), source=q.relation(relation)))))
        return cls(con, relation, tuple(r[0] for r in rows), {r[0]: r[1] for r in rows})

    @property
    def source(self) -> exp.Expression:
        return q.relation(self.relation)

    def is_missing(self, name: str) -> exp.Expression:
        return q.is_missing(name, self.types.get(name))

    def present(self, name: str) -> exp.Expression:
        return q.not_(self.is_missing(name))

    def value(self, name: str) -> exp.Expression:
        """The column as GX's frame holds it: DECIMAL becomes DOUBLE (see gx_path.load_frame),
        so medians and quantiles interpolate in floats as pandas does."""
        if str(self.types.get(name, "")).upper().startswith("DECIMAL"):
            return exp.cast(q.col(name), "DOUBLE")
        return q.col(name)

    def is_text(self, name: str) -> bool:
        return str(self.types.get(name, "")).upper().split("(")[0] in q.TEXT_TYPES

    def one(self, query: exp.Expression) -> tuple:
        """The first row (the engine reads every row: DuckDB 2.0 refuses the next query while a
        result is half read)."""
        return self.con.fetchall(q.render(query))[0]

    def all(self, query: exp.Expression) -> list[tuple]:
        return self.con.fetchall(q.render(query))

    def row_count(self) -> int:
        return int(self.one(q.select(q.count_all(), source=self.source))[0])
