"""The names and columns a model may select from, as sqlglot's schema and as project nodes."""
from __future__ import annotations

from sqlglot import exp
from sqlglot.schema import MappingSchema

from warehouse.sql.records import DIALECT


class Catalog:
    """Every node a model may select from: its columns for sqlglot, its name for lineage.

    Lives for one `analyze` call; it grows as models are analysed.
    """

    def __init__(self) -> None:
        self._schema = MappingSchema(dialect=DIALECT)
        self._pending: list[tuple[str, str, dict[str, str]]] = []
        self._by_key: dict[tuple[str, str], str] = {}
        self._by_name: dict[str, list[str]] = {}
        self._spelling: dict[str, dict[str, str]] = {}

    def declare(self, schema: str, name: str, identifier: str | None = None) -> None:
        relation = identifier or name
        key = (schema.lower(), relation.lower())
        if key not in self._by_key:
            self._by_key[key] = name
            self._by_name.setdefault(relation.lower(), []).append(name)

    def add(self, schema: str, name: str, columns: dict[str, str], identifier: str | None = None) -> None:
        self.declare(schema, name, identifier)
        if columns:
            self._pending.append((schema, identifier or name, columns))
            self._spelling[name] = {c.lower(): c for c in columns}

    @property
    def schema(self) -> MappingSchema:
        """sqlglot's schema, filled only when a model is really analysed: with every model's
        result cached, building it would cost more than everything else."""
        for schema, name, columns in self._pending:
            self._schema.add_table(exp.table_(name, db=schema, quoted=True), columns)
        self._pending.clear()
        return self._schema

    def node_for(self, table: exp.Table) -> str | None:
        """The node a table reference means; a bare name counts when it is unambiguous."""
        if table.db:
            return self._by_key.get((table.db.lower(), table.name.lower()))
        matches = self._by_name.get(table.name.lower(), [])
        return matches[0] if len(matches) == 1 else None

    def spell(self, parent: str) -> str:
        """`node.column` with the column spelt as the node declares it."""
        node, _, column = parent.partition(".")
        return f"{node}.{self._spelling.get(node, {}).get(column.lower(), column)}"

    def table_names(self) -> list[str]:
        return [f"{schema}.{relation}" for (schema, relation) in self._by_key]
