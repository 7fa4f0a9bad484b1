"""Turn values from DuckDB, numpy or pandas into plain JSON values.

Both paths pass their observed values and examples through `jsonable`, so a DECIMAL read by
DuckDB and the float GX saw compare equal, and results can be written as JSON unchanged.
"""
from __future__ import annotations

import datetime
import math
import uuid
from decimal import Decimal


def _scalar(value):
    if type(value).__name__ in ("NAType", "NaTType"):  # pandas missing markers; NaT is a
        return None                                     # datetime subclass, so test first
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, Decimal):
        return _scalar(float(value))
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (uuid.UUID, bytes, datetime.timedelta)):
        return str(value)
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return _scalar(value.item())
    return str(value)


def jsonable(value):
    """A JSON-ready copy of `value`: NaN becomes None, tuples become lists, dates ISO strings."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    return _scalar(value)


def sql_literal(value) -> str:
    """A DuckDB literal for a suite value. Strings stay untyped literals so that DuckDB casts
    them to the column's type ('2024-01-01' against a DATE column) as GX's comparisons do."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float, Decimal)):
        if isinstance(value, float) and not math.isfinite(value):
            return f"'{value}'::DOUBLE"
        return repr(value) if not isinstance(value, Decimal) else str(value)
    return "'" + str(value).replace("'", "''") + "'"


def quote_ident(name: str) -> str:
    """A DuckDB identifier, quoted so any column name (spaces, quotes, keywords) works."""
    return '"' + str(name).replace('"', '""') + '"'
