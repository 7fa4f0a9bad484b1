"""State: what the published warehouse was built from, for `--select state:modified+`.

The published database carries the manifest of the build that produced it
(`_warehouse_manifest`), so the comparison is always against the data actually published,
by content hash (SQL, seeds, config), never by file times.
"""
from __future__ import annotations

import json
from pathlib import Path

from warehouse.core.errors import SelectionError, WarehouseError
from warehouse.project.loader import Project
from warehouse.publish.artifacts import node_checksum


def published_manifest(database: Path, engine_name: str = "duckdb") -> dict | None:
    """The manifest stored in the published database, or None when there is none yet."""
    if not database.exists():
        return None
    from warehouse.engine import engine_class

    try:
        engine = engine_class(engine_name).open_published(database)  # safe if a publish swaps the file meanwhile
        try:
            rows = engine.fetchall("select manifest from main._warehouse_manifest")
        finally:
            engine.close()
    except WarehouseError:      # DatabaseError (no manifest table, unreadable file) or PublishError
        return None
    return json.loads(rows[0][0]) if rows else None


def modified_nodes(project: Project, compiler: object, previous: dict, method: str) -> set[str]:
    """`state:modified` (changed or new nodes) and `state:new`."""
    before = previous.get("nodes", {})
    if method == "new":
        # A node a selective build carried over without ever building it has no checksum: still new.
        return {uid for uid in project.nodes if uid not in before or before[uid].get("checksum") is None}
    if method != "modified":
        raise SelectionError(f"unknown state selector 'state:{method}'", hint="use state:modified or state:new")
    return {uid for uid in project.nodes
            if uid not in before or before[uid].get("checksum") != node_checksum(project, uid)}
