"""Loading files with DuckDB's own readers, and its CSV errors read back into file, line, column.

`read_csv` gets every column named and typed (strict mode, no auto-detection), so a ragged
or malformed row is an error on its line; the wording of DuckDB's CSV errors is DuckDB's, so
it is parsed here and nowhere else.
"""
from __future__ import annotations

import re
from pathlib import Path

import duckdb
from sqlglot import exp

from warehouse.core.errors import Location, SeedError
from warehouse.engine import statements as sql_


def read_csv(path: Path, columns: list[tuple[str, str]], delimiter: str = ",") -> exp.Select:
    """SELECT * FROM read_csv(path, ...) with every column named and typed."""
    options = {
        "header": sql_.literal(True), "delim": sql_.literal(delimiter), "quote": sql_.literal('"'),
        "escape": sql_.literal('"'), "strict_mode": sql_.literal(True), "auto_detect": sql_.literal(False),
        "encoding": sql_.literal("utf-8"), "columns": sql_.struct_of_strings(columns),
    }
    return sql_.select_star(sql_.table_function("read_csv", path, **options), {})


def sniff_csv(path: Path, delimiter: str = ",") -> dict[str, str]:
    """DuckDB's own type guesses for a CSV's columns; {} where the file cannot be sniffed."""
    try:
        with duckdb.connect() as con:
            rows = con.execute("select Columns from sniff_csv(?, sample_size = -1, delim = ?)",
                               [str(path), delimiter]).fetchall()
        return {c["name"]: c["type"] for c in rows[0][0]}
    except duckdb.Error:
        return {}


_LINE = re.compile(r"[Ll]ine:?\s*(\d+)")
_COLUMN = re.compile(r"[Cc]olumn:?\s*\"?([A-Za-z_][\w ]*?)\"?(?:\s|$|,|\))")
_LINE_SIZE = re.compile(r"Maximum line size of (\d+) bytes exceeded\. Actual Size:\s*(\d+) bytes")
_REASONS = ("Expected Number of Columns", "unterminated quote", "Could not convert", "Error when converting",
            "Invalid unicode", "quote", "Invalid Input")
# DuckDB ends a CSV error with a suggestion and the reader's options (`quote = " (Set By User)`):
# none of that says what is wrong, so the reason is looked for before it.
_TRAILER = ("Possible Solution", "Possible fixes", "file = ")
HINT_CHARS = 200    # the quoted line in a hint: enough to recognise it, never megabytes of it


def seed_error(text: str, where: Location) -> SeedError:
    """DuckDB's load error, as a SeedError naming the file, the line and the column it mentions."""
    lines = [line.strip() for line in text.strip().splitlines()]
    line = _LINE.search(text)
    column = _COLUMN.search(text)
    index = next((i for i, line in enumerate(lines) if line.startswith("Original Line:")), None)
    quoted = lines[index].removeprefix("Original Line:").strip() if index is not None else ""
    if index is not None and not quoted and index + 1 < len(lines):
        index += 1                  # a CRLF file: DuckDB puts the row on the line after the label
        quoted = lines[index]
    reason = _reason(lines, index)
    detail = f"could not load seed {where.node}: {reason}"
    if column and column.group(1) not in reason and not _LINE_SIZE.search(text):
        detail += f" (column {column.group(1)})"
    return SeedError(detail, Location(where.file, int(line.group(1)) if line else None, node=where.node),
                     hint=_quoted_line(quoted))


def _reason(lines: list[str], original: int | None) -> str:
    """The sentence that says what is wrong. DuckDB's 'Original Line' may span several lines
    (an unterminated quote swallows the next row), so look for the known wording first."""
    too_long = _LINE_SIZE.search("\n".join(lines))
    if too_long:
        limit, actual = int(too_long.group(1)), int(too_long.group(2))
        return (f"the line is {actual:,} bytes long, more than the {limit:,} bytes a CSV line may have "
                "(split the text over several fields or rows)")
    start = original + 1 if original is not None else 0
    after = []
    for line in lines[start:]:
        if line.startswith(_TRAILER):
            break
        if line:
            after.append(line)
    for keyword in _REASONS:
        found = next((line for line in after if keyword.lower() in line.lower()), None)
        if found:
            return found
    return after[0] if after else (lines[0] if lines else "unknown error")


def _quoted_line(quoted: str) -> str | None:
    """'the line reads: ...', cut to HINT_CHARS; None when DuckDB quoted nothing."""
    if not quoted:
        return None
    if len(quoted) > HINT_CHARS:
        quoted = f"{quoted[:HINT_CHARS]} [...]"
    return f"the line reads: {quoted}"
