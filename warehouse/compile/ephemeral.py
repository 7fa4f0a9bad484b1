"""Ephemeral models are inlined as CTEs of the query that reads them, as dbt does."""
from __future__ import annotations

import re

from warehouse.project.nodes import Node


def with_ctes(sql: str, ctes: list[tuple[str, str]]) -> str:
    """Prepend CTEs to a query, merging with its own WITH clause when it has one."""
    if not ctes:
        return sql
    body = ",\n".join(f"{name} as (\n{query}\n)" for name, query in ctes)
    stripped = _strip_leading_comments(sql)
    match = re.match(r"with\s+(?!recursive\b)", stripped, re.IGNORECASE)
    if match:
        return f"with {body},\n{stripped[match.end():]}"
    return f"with {body}\nselect * from (\n{sql.strip().rstrip(';')}\n) as __model"


def cte_name(node: Node) -> str:
    return f"__ephemeral_{node.name}"


def _strip_leading_comments(sql: str) -> str:
    return re.sub(r"^(\s*(--[^\n]*\n|/\*.*?\*/))*\s*", "", sql, flags=re.DOTALL)
