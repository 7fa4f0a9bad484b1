"""The `_warehouse_changes` table: what each published build changed, kept in the warehouse itself.

One row per model a build changed (unchanged models are not stored), written into the staging
database just before it is published, so each published file (and each history file kept for
rollback) holds the changes of every build up to its own.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

CHANGES_TABLE = "_warehouse_changes"
COLUMNS = ("build_id varchar, recorded_at timestamptz, unique_id varchar, model varchar, relation varchar, "
           "status varchar, rows_before bigint, rows_after bigint, rows_added bigint, rows_removed bigint, "
           "rows_changed bigint, summary varchar, report json")


def carry_over(engine: Any, published_catalog: str) -> None:
    """Keep the published history when the staging database did not start as a copy of it."""
    where = ("main", CHANGES_TABLE)
    if where in engine.catalog() or where not in engine.catalog(published_catalog):
        return
    engine.execute(f'create table main.{CHANGES_TABLE} as select * from "{published_catalog}".main.{CHANGES_TABLE}')


def store(engine: Any, build_id: str, changes: list[dict[str, Any]]) -> None:
    """Append this build's changed models to `_warehouse_changes` (the database about to be published)."""
    engine.execute(f"create table if not exists main.{CHANGES_TABLE} ({COLUMNS})")
    now = datetime.now(timezone.utc)
    rows = []
    for c in changes:
        if c["status"] == "unchanged":
            continue
        diff = c.get("rows") or {}
        rows.append([build_id, now, c["unique_id"], c["name"], c["relation"], c["status"], c.get("rows_before"),
                     c.get("rows_after"), diff.get("added"), diff.get("removed"), diff.get("changed"), c["summary"],
                     json.dumps(c, default=str)])
    if rows:
        engine.executemany(f"insert into main.{CHANGES_TABLE} values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def load(engine: Any, builds: int = 30) -> list[dict[str, Any]]:
    """The stored changes of the latest `builds` builds, newest first: [{build_id, recorded_at, changes}]."""
    if ("main", CHANGES_TABLE) not in engine.catalog():
        return []
    rows = engine.fetchall(
        f"select build_id, cast(recorded_at as varchar), report from main.{CHANGES_TABLE} where build_id in "
        f"(select build_id from main.{CHANGES_TABLE} group by build_id order by max(recorded_at) desc limit ?) "
        "order by recorded_at desc, model", [builds])
    out: dict[str, dict[str, Any]] = {}
    for build_id, recorded_at, report in rows:
        entry = out.setdefault(build_id, {"build_id": build_id, "recorded_at": recorded_at, "changes": []})
        entry["changes"].append(json.loads(report))
    return list(out.values())
