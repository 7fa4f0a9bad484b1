"""Turn values from DuckDB, numpy or pandas into plain JSON values.

Both paths pass their observed values and examples through `jsonable`, so a DECIMAL read by
DuckDB and the float GX saw compare equal, and results can be written as JSON unchanged.
"""
from __future__ import annotations

import math
from decimal import Decimal

from warehouse.core.relation import quote_identifier
from warehouse.core.values import jsonable

__all__ = ["jsonable", "quote_ident", "sql_literal"]


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
    """A column of a suite, always quoted so any name (spaces, quotes, keywords) works."""
    return quote_identifier(str(name), always=True)
