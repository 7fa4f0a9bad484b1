"""Compare relations of two catalogs of one engine: the one being built (or a later build) and the
published one (or an earlier build), attached beside it read-only."""
from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import Any

from warehouse.changes.report import ChangeStatus, ModelChange
from warehouse.sql.diff import RowDiff, Side, diff_rows, row_count, schema_change


@dataclass(frozen=True)
class Target:
    """One relation to compare, the same name on both sides."""

    unique_id: str
    name: str
    schema: str
    identifier: str
    key: tuple[str, ...] = ()
    key_source: str = ""
    diff_max_rows: int = 1_000_000     # DEFAULT_DIFF_MAX_ROWS of project/change_config.py


def compare(engine: Any, targets: list[Target], old_catalog: str, new_catalog: str | None = None) -> list[ModelChange]:
    """A `ModelChange` for every target that exists on at least one side."""
    new_relations, old_relations = engine.catalog(new_catalog), engine.catalog(old_catalog)
    changes = []
    for target in targets:
        where = (target.schema, target.identifier)
        new_cols, old_cols = new_relations.get(where), old_relations.get(where)
        if new_cols is None and old_cols is None:
            continue
        started = time.perf_counter()
        new = Side(new_catalog, target.schema, target.identifier, tuple(new_cols or ()))
        old = Side(old_catalog, target.schema, target.identifier, tuple(old_cols or ()))
        change = _compare_one(engine, target, old if old_cols is not None else None,
                              new if new_cols is not None else None)
        change.seconds = round(time.perf_counter() - started, 4)
        changes.append(change)
    return changes


def _compare_one(engine: Any, target: Target, old: Side | None, new: Side | None) -> ModelChange:
    change = ModelChange(target.unique_id, target.name, f"{target.schema}.{target.identifier}",
                         ChangeStatus.CHANGED, key_source=target.key_source)
    change.rows_after = row_count(engine, new) if new else None
    change.rows_before = row_count(engine, old) if old else None
    if old is None or new is None:
        change.status = ChangeStatus.NEW if old is None else ChangeStatus.REMOVED
        return change
    schema = schema_change(old.columns, new.columns)
    change.schema = asdict(schema)
    largest = max(change.rows_before or 0, change.rows_after or 0)
    if largest > target.diff_max_rows:
        rows = RowDiff("skipped", key=list(target.key),
                       note=f"row diff skipped: {largest:,} rows is above diff_max_rows {target.diff_max_rows:,}")
    else:
        rows = diff_rows(engine, old, new, list(target.key))
    change.rows = asdict(rows)
    if rows.method == "row_hash" and target.key:
        change.key_source = f"row hash ({rows.note.rstrip('; ')})" if rows.note else "row hash"
    same_rows = (rows.added, rows.removed, rows.changed) in ((0, 0, 0), (0, 0, None)) or (
        rows.method == "skipped" and change.rows_before == change.rows_after)
    if same_rows and not schema.any():
        change.status = ChangeStatus.UNCHANGED
    return change
