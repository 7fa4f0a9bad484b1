"""The key a model's rows are matched on when it is compared with its published version.

In order: the `unique_key` config, a contract's primary key (model- or column-level
`constraints`), a `unique` test on one column, a `unique_combination_of_columns` test. A model
with none is compared on whole-row hashes.
"""
from __future__ import annotations

from enum import StrEnum
from typing import Any


class KeySource(StrEnum):
    UNIQUE_KEY = "unique_key"
    CONTRACT = "contract primary key"
    UNIQUE_TEST = "unique test"
    COMBINATION_TEST = "unique_combination_of_columns test"
    NONE = "row hash"


def model_key(project: Any, node: Any) -> tuple[list[str], KeySource]:
    """The columns that identify one row of `node`, and where that came from."""
    configured = node.config.get("unique_key")
    if configured:
        return ([configured] if isinstance(configured, str) else [str(k) for k in configured]), KeySource.UNIQUE_KEY
    for constraint in node.constraints:
        if str(constraint.get("type", "")).lower() == "primary_key" and constraint.get("columns"):
            return [str(c) for c in constraint["columns"]], KeySource.CONTRACT
    primary = [c.name for c in node.columns.values()
               if any(isinstance(x, dict) and str(x.get("type", "")).lower() == "primary_key" for x in c.constraints)]
    if primary:
        return primary, KeySource.CONTRACT
    tests = [t.test_metadata or {} for t in project.of_type("test")]
    tests = [t for t in tests if t.get("attached_to") == node.unique_id]
    unique = [t.get("column") or (t.get("kwargs") or {}).get("column_name")
              for t in tests if t.get("test_name") == "unique"]
    unique = [c for c in unique if c]
    if unique:
        order = list(node.columns)
        return [sorted(unique, key=lambda c: order.index(c) if c in order else len(order))[0]], KeySource.UNIQUE_TEST
    for t in tests:
        combination = (t.get("kwargs") or {}).get("combination_of_columns")
        if t.get("test_name") == "unique_combination_of_columns" and isinstance(combination, list) and combination:
            return [str(c) for c in combination], KeySource.COMBINATION_TEST
    return [], KeySource.NONE
