"""How relations are named in SQL: `schema.name`, quoted only where an identifier needs it.

No catalog (database) part is ever written: the build database and the published one are
different files, and a view that named its catalog would break once the file is moved.
"""
from __future__ import annotations

import re

_PLAIN = re.compile(r"^[a-z_][a-z0-9_]*$")


def needs_quotes(name: str) -> bool:
    """An identifier needs quotes unless it is plain lower-case (as DuckDB would fold it anyway)."""
    return not (_PLAIN.match(name) and name.upper() not in _RESERVED)


def quote_identifier(name: str, always: bool = False) -> str:
    """The identifier as written in SQL, quoted only where `needs_quotes` says so (or `always`:
    expectation suites name columns as they are, spaces and keywords included)."""
    if not always and not needs_quotes(name):
        return name
    return '"' + name.replace('"', '""') + '"'


def quote_relation(schema: str, name: str) -> str:
    return f"{quote_identifier(schema)}.{quote_identifier(name)}"


def quote_literal(value: str) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def literal(value: object) -> str:
    """A YAML value as a SQL literal, for settings and COPY options: YAML already typed booleans
    and numbers, so they go bare (`true`, `4`); anything else is a quoted string."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return quote_literal(str(value))


_RESERVED = frozenset("""ALL ANALYSE ANALYZE AND ANY ARRAY AS ASC ASYMMETRIC BOTH CASE CAST CHECK COLLATE COLUMN
CONSTRAINT CREATE DEFAULT DEFERRABLE DESC DISTINCT DO ELSE END EXCEPT FALSE FETCH FOR FOREIGN FROM GRANT GROUP
HAVING IN INITIALLY INTERSECT INTO LATERAL LEADING LIMIT NOT NULL OFFSET ON ONLY OR ORDER PLACING PRIMARY
REFERENCES RETURNING SELECT SOME SYMMETRIC TABLE THEN TO TRAILING TRUE UNION UNIQUE USING VARIADIC WHEN WHERE
WINDOW WITH""".split())
