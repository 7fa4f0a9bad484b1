"""Load: seed and landing files become typed tables, through the engine's own readers.

CSV is read with the column types declared in YAML (the engine guesses the others), Parquet
as it is with declared columns cast; XLSX sheets (reform trackers live in spreadsheets) are
read here with openpyxl and handed to the engine as Arrow, as DuckDB's excel extension would
need a download. Header problems (missing or extra columns) are found before the engine reads
a row; the engine reports a malformed row with its file, line and column.
"""
from __future__ import annotations

import csv
import os
import stat
from pathlib import Path

from warehouse.core.errors import Location, SeedError
from warehouse.engine.base import Engine
from warehouse.project.nodes import Node


def load_seed(engine: Engine, node: Node, root: Path) -> int:
    """Create or replace the seed's table; return its row count."""
    path = node.path if node.path.is_absolute() else root / node.path
    _check_regular_file(path, node)
    types = declared_types(node)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".parquet", ".xlsx"):
        raise SeedError(f"cannot load files of type {suffix}", Location(node.path))
    engine.ensure_schema(node.schema)
    where = Location(node.path, node=node.name)
    if suffix == ".csv":
        extra = {"delimiter": _delimiter(node)} if _delimiter(node) != "," else {}
        columns = _csv_columns(engine, path, node, types)
        try:
            engine.load_csv(node.schema, node.identifier, path, columns, where=where, **extra)
        except SeedError as exc:
            raise _at_file_line(exc, path, _delimiter(node)) from None
    elif suffix == ".parquet":
        _check_columns(node, _parquet_columns(path, node), types)
        try:
            engine.load_parquet(node.schema, node.identifier, path, types, where=where)
        except SeedError as exc:
            raise _parquet_cast_error(exc, path, node, types) from None
    else:
        engine.load_arrow(node.schema, node.identifier, _xlsx_table(path, node), types, where=where)
    if suffix != ".csv":
        _check_columns(node, [c for c, _ in engine.columns(node.schema, node.identifier)], types)
    return engine.row_count(node.schema, node.identifier)


def _check_regular_file(path: Path, node: Node) -> None:
    """Seed and landing files must be regular files where they appear: a symbolic link would
    publish whatever it points at (`ln -s /etc/shadow landing/leak.csv`), and reading a FIFO
    blocks the build, holding its lock, for good."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        raise SeedError(f"{node.path} disappeared before it could be loaded", Location(node.path)) from None
    if stat.S_ISLNK(info.st_mode):
        raise SeedError(f"is a symbolic link (to {os.readlink(path)}): seed and landing files must be regular "
                        "files inside their folder", Location(node.path), hint="copy the file in instead of linking it")
    if not stat.S_ISREG(info.st_mode):
        kind = "a FIFO" if stat.S_ISFIFO(info.st_mode) else "not a regular file"
        raise SeedError(f"is {kind}: seed and landing files must be regular files", Location(node.path),
                        hint="write the data to a file, then move it into the folder")
    if path.parent.resolve() != path.parent.absolute() and not path.resolve().is_relative_to(path.parent.resolve()):
        raise SeedError("resolves outside its folder", Location(node.path))


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
    """The header row (a UTF-8 byte order mark is not part of the first name)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle, delimiter=_delimiter(node)), None)
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise SeedError(f"not valid UTF-8 (byte {exc.start}): save the file as UTF-8",
                        Location(node.path, line)) from None
    except csv.Error as exc:      # e.g. a header field longer than the csv module's 128 KB limit
        raise SeedError(f"the header row cannot be read: {exc}", Location(node.path, 1),
                        hint="the first line must be the column names, separated by commas") from None
    if not header or not any(h.strip() for h in header):
        raise SeedError("the file is empty: a seed needs a header row", Location(node.path, 1))
    names = [h.strip() for h in header]
    _check_unique(names, node)
    return names


def _check_unique(names: list[str], node: Node) -> None:
    """Two columns of one name: the engine would rename the second (`name_1`) and load the wrong one."""
    for index, name in enumerate(names):
        if name in names[:index]:
            raise SeedError(f"duplicate column '{_shown(name)}' in the header (columns {names.index(name) + 1} and "
                            f"{index + 1})", Location(node.path, 1, node=node.name),
                            hint="give every column its own name")


def _at_file_line(exc: SeedError, path: Path, delimiter: str) -> SeedError:
    """DuckDB numbers CSV *records*; a quoted field spanning lines (the reform seeds have them)
    makes that differ from the line an editor shows. Translate the record to its first line,
    and drop a hint that quotes an empty line."""
    record = exc.location.line
    hint = exc.hint if exc.hint and exc.hint.strip() != "the line reads:" else None
    if record is None:
        return SeedError(exc.message, exc.location, hint)
    line = _first_line_of_record(path, record, delimiter)
    return SeedError(exc.message, Location(exc.location.file, line, exc.location.column, exc.location.node), hint)


def _first_line_of_record(path: Path, record: int, delimiter: str) -> int:
    """The physical line (1-based) where CSV record `record` (1-based, the header is 1) starts."""
    limit = csv.field_size_limit(MAX_FIELD_BYTES)     # a field of 200 KB before the bad row is legal
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, delimiter=delimiter)
            for _ in range(record - 1):
                if next(reader, None) is None:
                    return record
            return reader.line_num + 1
    except (csv.Error, UnicodeDecodeError):
        return record
    finally:
        csv.field_size_limit(limit)


# The engine's limit on one CSV line (DuckDB's max_line_size default); the csv module's own
# 128 KB field limit is raised to it while the record is mapped to its line.
MAX_FIELD_BYTES = 2_000_000


def _parquet_columns(path: Path, node: Node) -> list[str]:
    """The column names in a Parquet file's footer, read before loading (a missing declared
    column is then named, not a binder error)."""
    import pyarrow.parquet as pq

    try:
        names = list(pq.read_schema(path).names)
    except Exception as exc:  # noqa: BLE001 - pyarrow's errors for a corrupt file vary
        raise SeedError(f"not a readable Parquet file: {exc}", Location(node.path)) from None
    _check_unique(names, node)
    return names


def _parquet_cast_error(exc: SeedError, path: Path, node: Node, types: dict[str, str]) -> SeedError:
    """A declared type the file's column cannot be cast to: say the column, both types and
    where the type was declared, instead of the engine's cast wording alone."""
    import pyarrow.parquet as pq

    column = next((c for c in types if f"source column {c}" in exc.message or f'"{c}"' in exc.message), None)
    if column is None:
        return exc
    stored = pq.read_schema(path).field(column).type
    return SeedError(f"column {column} holds {stored} in the file, which cannot be read as the declared "
                     f"{types[column]}: {exc.message.split(': ', 1)[-1]}", Location(node.path, node=node.name),
                     hint=f"the type is declared in {node.properties_path}; fix the file or the declaration")


def _check_columns(node: Node, actual: list[str], types: dict[str, str]) -> None:
    """The file must have exactly the columns documented in YAML (when any are documented),
    and at least every column given a type."""
    documented = list(node.columns)
    missing = [c for c in (documented or list(types)) if c not in actual]
    extra = [c for c in actual if c not in documented] if documented else []
    if missing:
        raise SeedError(f"missing column(s) {', '.join(missing)} (the file has: {', '.join(map(_shown, actual))})",
                        Location(node.path, 1, node=node.name),
                        hint=_invisible_hint(actual) or f"documented in {node.properties_path}")
    if extra:
        raise SeedError(f"unexpected column(s) {', '.join(map(_shown, extra))} not documented for seed {node.name}",
                        Location(node.path, 1, node=node.name),
                        hint=_invisible_hint(extra)
                        or f"add them to {node.properties_path} or remove them from the file")


def _invisible(char: str) -> bool:
    """A character an editor or terminal does not show: a byte order mark, a zero-width space, a control."""
    import unicodedata

    return unicodedata.category(char) in ("Cf", "Cc", "Zl", "Zp") or (char.isspace() and char != " ")


def _shown(name: str) -> str:
    """A column name with its invisible characters written out (`<U+FEFF>customer_id`)."""
    return "".join(f"<U+{ord(c):04X}>" if _invisible(c) else c for c in name)


def _invisible_hint(names: list[str]) -> str | None:
    """Say which header name hides a character, and what it is, since the message cannot show it."""
    import unicodedata

    for name in names:
        hidden = [c for c in name if _invisible(c)]
        if hidden:
            what = ", ".join(f"U+{ord(c):04X} " + ("BYTE ORDER MARK" if c == "\ufeff" else
                                                   unicodedata.name(c, "CONTROL CHARACTER")) for c in hidden)
            return (f"column name {_shown(name)!r} contains an invisible character ({what}): "
                    "save the file again without it (as UTF-8 without a byte order mark)")
    return None


# An XLSX is a zip: a few MB can unpack to gigabytes (a "zip bomb" held the build lock while it
# grew to 2.7 GB). Real trackers unpack to a few MB.
MAX_XLSX_UNPACKED = 256 * 1024 * 1024


def _xlsx_table(path: Path, node: Node):
    """One sheet (config `sheet`, default the first) as an Arrow table of text columns."""
    import zipfile

    import openpyxl
    import pyarrow as pa

    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
        if unpacked > MAX_XLSX_UNPACKED:
            raise SeedError(f"unpacks to {unpacked / 2**20:,.0f} MB, more than the {MAX_XLSX_UNPACKED / 2**20:.0f} MB "
                            "a workbook may have", Location(node.path), hint="save the sheet as CSV or Parquet")
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except SeedError:
        raise
    except Exception as exc:  # noqa: BLE001 - zipfile/openpyxl/XML errors of a damaged file vary
        raise SeedError(f"not a readable XLSX workbook: {type(exc).__name__}: {exc}", Location(node.path),
                        hint="open and save it again in a spreadsheet program, or export the sheet as CSV") from None
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
    _check_unique(header, node)
    columns = {h: [r[i] if i < len(r) else None for r in rows[1:]] for i, h in enumerate(header)}
    return pa.table({h: pa.array([None if v is None else str(v) for v in vals], pa.string())
                     for h, vals in columns.items()})
