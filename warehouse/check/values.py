"""Turn values from DuckDB, numpy or pandas into plain JSON values.

Both paths pass their observed values and examples through `jsonable`, so a DECIMAL read by
DuckDB and the float GX saw compare equal, and results can be written as JSON unchanged.
"""
from __future__ import annotations

from warehouse.core.relation import quote_identifier
from warehouse.core.values import jsonable

__all__ = ["jsonable", "quote_ident"]


def quote_ident(name: str) -> str:
    """A column of a suite, always quoted so any name (spaces, quotes, keywords) works."""
    return quote_identifier(str(name), always=True)
