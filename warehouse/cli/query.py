"""Printing query results: a table for people, CSV or JSON for other programs."""
from __future__ import annotations

import csv
import json
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any


def render(names: list[str], rows: list[tuple], fmt: str, stream: IO[str]) -> None:
    if fmt == "csv":
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(names)
        writer.writerows(rows)
    elif fmt == "json":
        stream.write(json.dumps([dict(zip(names, map(_plain, r))) for r in rows], ensure_ascii=False, indent=1) + "\n")
    else:
        _table(names, rows, stream)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _table(names: list[str], rows: list[tuple], stream: IO[str]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(*names, show_lines=False, header_style="bold")
    for row in rows:
        table.add_row(*("NULL" if v is None else str(v) for v in row))
    console = Console(file=stream, width=max(120, min(240, 20 * len(names))))
    console.print(table)
    console.print(f"{len(rows)} row(s)")
