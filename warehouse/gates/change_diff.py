"""`run.py diff`: the change report between two databases that are not being built right now:
the development copy and the published warehouse, or two published builds kept in history.

Both files are opened read-only (the newer one, with the older attached beside it), so a
diff never disturbs a build or a reader. Keys and gates come from the current project.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from warehouse.core.errors import WarehouseError

OLD_CATALOG = "__old"


def build_files(kept: list[Path], published: Path, open_read_only: Any) -> dict[str, Path]:
    """Published builds still on disk (`kept` history files, then the published one), by build id."""
    found: dict[str, Path] = {}
    for path in [*kept, published]:
        if path.exists():
            build_id = published_build_id(open_read_only(path))
            if build_id:
                found[build_id] = path
    return found


def published_build_id(engine: Any) -> str | None:
    """The build that published this file: the latest row of its `_warehouse_runs`."""
    try:
        if ("main", "_warehouse_runs") not in engine.catalog():
            return None
        rows = engine.fetchall("select build_id from main._warehouse_runs order by started_at desc limit 1")
        return rows[0][0] if rows else None
    finally:
        engine.close()


def resolve(name: str | None, builds: dict[str, Path], published: Path) -> Path:
    """A build id (or a unique prefix or suffix of one), a path to a .duckdb file, or None for the published build."""
    if name is None or name == "published":
        return published
    if Path(name).suffix == ".duckdb" and Path(name).exists():
        return Path(name)
    matches = [b for b in builds if b == name] or [b for b in builds if b.startswith(name) or b.endswith(name)]
    if len(matches) != 1:
        known = ", ".join(builds) or "none"
        what = "matches several builds" if matches else "is not a build kept in history"
        raise WarehouseError(f"'{name}' {what}", hint=f"builds on disk: {known} (keep-published sets how many)")
    return builds[matches[0]]


def diff_files(project: Any, uids: list[str], new: Path, old: Path, engine: Any) -> list[dict[str, Any]]:
    """Compare `new` (opened as `engine`) with `old`; the report records with gates applied."""
    from warehouse.changes.compare import compare
    from warehouse.gates.change_gate import apply_gates, targets
    from warehouse.project.change_config import change_config

    engine.attach(old, OLD_CATALOG)
    try:
        changes = compare(engine, targets(project, uids), OLD_CATALOG)
    finally:
        engine.detach(OLD_CATALOG)
    for change in changes:
        node = project.nodes[change.unique_id]
        apply_gates(change, node, change_config(node.config, node.location), allow_breaking=False)
    return [c.to_json() for c in changes]
