"""Load: seed and landing files become typed tables, through DuckDB's own readers.

CSV goes through `read_csv` with the column types declared in YAML, Parquet through
`read_parquet`; XLSX sheets (reform trackers live in spreadsheets) are read with openpyxl,
as DuckDB's excel extension would need a download. Header problems (missing or extra
columns) are found before DuckDB reads a row, and DuckDB's own errors are re-raised with
the file, line and column they name.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

import duckdb

from warehouse.engine.duckdb_engine import DuckDBEngine
from warehouse.core.errors import Location, SeedError
from warehouse.project.nodes import Node
from warehouse.core.relation import quote_identifier, quote_literal


def load_seed(engine: DuckDBEngine, node: Node, root: Path) -> int:
    """Create or replace the seed's table; return its row count."""
    path = node.path if node.path.is_absolute() else root / node.path
    types = declared_types(node)
    engine.ensure_schema(node.schema)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        select = _csv_select(path, node, types)
    elif suffix == ".parquet":
        select = _cast_select(f"read_parquet({quote_literal(str(path))})", types)
    elif suffix == ".xlsx":
        select = _cast_select(_xlsx_relation(engine, path, node), types)
    else:
        raise SeedError(f"cannot load files of type {suffix}", Location(node.path))
    try:
        engine.create_table(node.schema, node.identifier, select)
    except duckdb.Error as exc:
        raise _seed_error(exc, node) from None
    if suffix != ".csv":
        _check_columns(node, [c for c, _ in engine.columns(node.schema, node.identifier)], types)
    return engine.row_count(node.schema, node.identifier)


def declared_types(node: Node) -> dict[str, str]:
    """Column types from `config: column_types` and from each column's `data_type`."""
    types = {name: col.data_type for name, col in node.columns.items() if col.data_type}
    types.update(node.config.get("column_types") or {})
    return types


def _csv_select(path: Path, node: Node, types: dict[str, str]) -> str:
    """`read_csv` with every column named and typed, so a ragged row is an error on its line."""
    header = _csv_header(path, node)
    _check_columns(node, header, types)
    guessed = _sniffed_types(path) if any(c not in types for c in header) else {}
    columns = ", ".join(f"{quote_literal(c)}: {quote_literal(types.get(c) or guessed.get(c, 'VARCHAR'))}"
                        for c in header)
    options = ["header = true", "delim = ','", "quote = '\"'", "escape = '\"'", "strict_mode = true",
               "auto_detect = false", "encoding = 'utf-8'", f"columns = {{{columns}}}"]
    return f"select * from read_csv({quote_literal(str(path))}, {', '.join(options)})"


def _sniffed_types(path: Path) -> dict[str, str]:
    """DuckDB's own type guesses for undeclared columns; text where the file cannot be sniffed."""
    try:
        with duckdb.connect() as con:
            rows = con.execute("select Columns from sniff_csv(?, sample_size = -1, delim = ',')", [str(path)]).fetchall()
        return {c["name"]: c["type"] for c in rows[0][0]}
    except duckdb.Error:
        return {}


def _csv_header(path: Path, node: Node) -> list[str]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle), None)
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise SeedError(f"not valid UTF-8 (byte {exc.start}): save the file as UTF-8", Location(node.path, line)) from None
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


def _cast_select(relation: str, types: dict[str, str]) -> str:
    if not types:
        return f"select * from {relation}"
    casts = ", ".join(f"cast({quote_identifier(c)} as {t}) as {quote_identifier(c)}" for c, t in types.items())
    return f"select * replace ({casts}) from {relation}"


def _xlsx_relation(engine: DuckDBEngine, path: Path, node: Node) -> str:
    """Read one sheet (config `sheet`, default the first) into an Arrow table registered on the engine."""
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
    table = pa.table({h: pa.array([None if v is None else str(v) for v in vals], pa.string())
                      for h, vals in columns.items()})
    view = f"__xlsx_{node.name}"
    engine.con.register(view, table)
    return quote_identifier(view)


_LINE = re.compile(r"[Ll]ine:?\s*(\d+)")
_COLUMN = re.compile(r"[Cc]olumn:?\s*\"?([A-Za-z_][\w ]*?)\"?(?:\s|$|,|\))")


def _seed_error(exc: duckdb.Error, node: Node) -> SeedError:
    """DuckDB's CSV error, re-raised with the file, the line and the column it names."""
    text = str(exc)
    lines = [l.strip() for l in text.strip().splitlines()]
    line = _LINE.search(text)
    column = _COLUMN.search(text)
    original = next((l for l in lines if l.startswith("Original Line:")), None)
    reason = _reason(lines, original)
    detail = f"could not load seed {node.name}: {reason}"
    if column and column.group(1) not in reason:
        detail += f" (column {column.group(1)})"
    return SeedError(detail, Location(node.path, int(line.group(1)) if line else None, node=node.name),
                     hint=original.replace("Original Line:", "the line reads:") if original else None)


_REASONS = ("Expected Number of Columns", "unterminated quote", "Could not convert", "Error when converting",
            "Invalid unicode", "quote", "Invalid Input")


def _reason(lines: list[str], original: str | None) -> str:
    """The sentence that says what is wrong. DuckDB's 'Original Line' may span several lines
    (an unterminated quote swallows the next row), so look for the known wording first."""
    start = lines.index(original) + 1 if original else 0
    after = [l for l in lines[start:] if l]
    for keyword in _REASONS:
        found = next((l for l in after if keyword.lower() in l.lower()), None)
        if found:
            return found
    return after[0] if after else (lines[0] if lines else "unknown error")
