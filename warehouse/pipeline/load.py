"""Load: seed and landing files become typed tables, through the engine's own readers.

CSV is read with the column types declared in YAML (the engine guesses the others), Parquet
as it is with declared columns cast; XLSX sheets (reform trackers live in spreadsheets) are
read here with openpyxl and handed to the engine as Arrow, as DuckDB's excel extension would
need a download. Header problems (missing or extra columns) are found before the engine reads
a row; the engine reports a malformed row with its file, line and column.
"""
from __future__ import annotations

import csv
from pathlib import Path

from warehouse.core.errors import Location, SeedError
from warehouse.engine.base import Engine
from warehouse.project.nodes import Node


def load_seed(engine: Engine, node: Node, root: Path) -> int:
    """Create or replace the seed's table; return its row count."""
    path = node.path if node.path.is_absolute() else root / node.path
    types = declared_types(node)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".parquet", ".xlsx"):
        raise SeedError(f"cannot load files of type {suffix}", Location(node.path))
    engine.ensure_schema(node.schema)
    where = Location(node.path, node=node.name)
    if suffix == ".csv":
        extra = {"delimiter": _delimiter(node)} if _delimiter(node) != "," else {}
        columns = _csv_columns(engine, path, node, types)
        engine.load_csv(node.schema, node.identifier, path, columns, where=where, **extra)
    elif suffix == ".parquet":
        engine.load_parquet(node.schema, node.identifier, path, types, where=where)
    else:
        engine.load_arrow(node.schema, node.identifier, _xlsx_table(path, node), types, where=where)
    if suffix != ".csv":
        _check_columns(node, [c for c, _ in engine.columns(node.schema, node.identifier)], types)
    return engine.row_count(node.schema, node.identifier)


def declared_types(node: Node) -> dict[str, str]:
    """Column types from `config: column_types` and from each column's `data_type`."""
    types = {name: col.data_type for name, col in node.columns.items() if col.data_type}
    types.update(node.config.get("column_types") or {})
    return types


def _csv_columns(engine: Engine, path: Path, node: Node, types: dict[str, str]) -> list[tuple[str, str]]:
    """Every column of the header with its type: declared, else the engine's guess, else text;
    all named and typed, so a ragged row is an error on its line."""
    header = _csv_header(path, node)
    _check_columns(node, header, types)
    extra = (_delimiter(node),) if _delimiter(node) != "," else ()
    guessed = engine.sniff_csv(path, *extra) if any(c not in types for c in header) else {}
    return [(c, types.get(c) or guessed.get(c, "VARCHAR")) for c in header]


def _delimiter(node: Node) -> str:
    """dbt's seed `delimiter` config: one character (or `\\t`), a comma by default."""
    delimiter = str(node.config.get("delimiter") or ",")
    if delimiter == "\\t":
        return "\t"
    if len(delimiter) != 1:
        raise SeedError(f"delimiter of seed {node.name} must be one character, not {delimiter!r}", node.location)
    return delimiter


def _csv_header(path: Path, node: Node) -> list[str]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle, delimiter=_delimiter(node)), None)
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise SeedError(f"not valid UTF-8 (byte {exc.start}): save the file as UTF-8",
                        Location(node.path, line)) from None
    if not header or not any(h.strip() for h in header):
        raise SeedError("the file is empty: a seed needs a header row", Location(node.path, 1))
    return [h.strip() for h in header]


def _check_columns(node: Node, actual: list[str], types: dict[str, str]) -> None:
    """The file must have exactly the columns documented in YAML (when any are documented),
    and at least every column given a type."""
    documented = list(node.columns)
    missing = [c for c in (documented or list(types)) if c not in actual]
    extra = [c for c in actual if c not in documented] if documented else []
    if missing:
        raise SeedError(f"missing column(s) {', '.join(missing)} (the file has: {', '.join(actual)})",
                        Location(node.path, 1, node=node.name), hint=f"documented in {node.properties_path}")
    if extra:
        raise SeedError(f"unexpected column(s) {', '.join(extra)} not documented for seed {node.name}",
                        Location(node.path, 1, node=node.name),
                        hint=f"add them to {node.properties_path} or remove them from the file")


def _xlsx_table(path: Path, node: Node):
    """One sheet (config `sheet`, default the first) as an Arrow table of text columns."""
    import openpyxl
    import pyarrow as pa

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book[node.config["sheet"]] if node.config.get("sheet") else book.worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
    except KeyError:
        raise SeedError(f"no sheet named '{node.config['sheet']}' (sheets: {', '.join(book.sheetnames)})",
                        Location(node.path)) from None
    finally:
        book.close()
    if not rows:
        raise SeedError("the sheet is empty: a seed needs a header row", Location(node.path, 1))
    header = [str(h).strip() if h is not None else f"column{i}" for i, h in enumerate(rows[0])]
    columns = {h: [r[i] if i < len(r) else None for r in rows[1:]] for i, h in enumerate(header)}
    return pa.table({h: pa.array([None if v is None else str(v) for v in vals], pa.string())
                     for h, vals in columns.items()})
