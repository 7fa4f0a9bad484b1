"""The plain records the sql layer is handed: relations whose columns are known, and compiled
models. They carry no project objects, so this layer never depends on how a project is loaded."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# Models are DuckDB SQL whatever the engine runs (other engines transpile them: sql/transpile.py).
DIALECT = "duckdb"


@dataclass(frozen=True)
class Relation:
    """A seed, source or landing table whose columns are known from YAML or loading."""

    name: str
    schema: str
    columns: dict[str, str]  # column -> DuckDB type, in table order
    identifier: str | None = None  # the relation's name in the database, when not `name` (an alias)


@dataclass(frozen=True)
class SqlModel:
    """A compiled model as the engine hands it over."""

    name: str
    schema: str
    path: Path
    raw_sql: str
    compiled_sql: str
    documented_columns: tuple[str, ...]
    layer: str
    static_check: bool = True
    identifier: str | None = None  # the relation's name in the database, when not `name` (an alias)
