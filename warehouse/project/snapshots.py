"""Snapshots as dbt declares them: `{% snapshot name %}` blocks in SQL files and dbt 1.9's YAML form.

One parser per resource type (as dbt-core's `SnapshotParser`). A SQL file under the snapshot
paths may hold several blocks; each becomes a `snapshot` node whose template is the file with
everything outside its own block blanked (newlines kept), so Jinja errors name the real line.
A YAML entry with `relation:` (`ref('x')` or `source('a', 'b')`) defines a snapshot without SQL;
a YAML entry without it documents a SQL snapshot (description, config, columns, tests).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from warehouse.core.errors import Location, ProjectError
from warehouse.project.nodes import Node, node_id
from warehouse.core.yamlio import Mapping, load_yaml, nearest, read_utf8, reject_unknown_keys

BLOCK_SEPARATOR = "::"      # template name of one block: "snapshots/file.sql::block_name"
_START = re.compile(r"{%-?\s*snapshot\s+(\w+)\s*-?%}")
_END = re.compile(r"{%-?\s*endsnapshot\s*-?%}")

STRATEGIES = ("timestamp", "check")
HARD_DELETES = ("ignore", "invalidate", "new_record")
META_COLUMNS = ("dbt_scd_id", "dbt_updated_at", "dbt_valid_from", "dbt_valid_to", "dbt_is_deleted")
SNAPSHOT_CONFIG_KEYS = frozenset({
    "strategy", "unique_key", "updated_at", "check_cols", "hard_deletes", "invalidate_hard_deletes",
    "dbt_valid_to_current", "snapshot_meta_column_names", "target_schema", "target_database",
})
ENTRY_KEYS = ("name", "relation", "description", "config", "columns", "data_tests", "tests", "meta", "docs", "tags")


def find_blocks(text: str, path: Path) -> list[tuple[str, int, int, int]]:
    """Every `{% snapshot name %} ... {% endsnapshot %}` of a file: (name, line, body start, body end)."""
    blocks, position = [], 0
    while (start := _START.search(text, position)) is not None:
        end = _END.search(text, start.end())
        line = text.count("\n", 0, start.start()) + 1
        if end is None:
            raise ProjectError(f"snapshot '{start[1]}' has no {{% endsnapshot %}}", Location(path, line))
        blocks.append((start[1], line, start.end(), end.start()))
        position = end.end()
    return blocks


def block_source(text: str, block: str) -> str:
    """The file's text with everything but the body of `block` blanked; line numbers unchanged."""
    for name, _, start, end in find_blocks(text, Path("?")):
        if name == block:
            return _blank(text[:start]) + text[start:end] + _blank(text[end:])
    raise ProjectError(f"no snapshot block '{block}'")


def _blank(text: str) -> str:
    return "\n" * text.count("\n")


def add_snapshots(project: Any, snapshot_paths: list[Path], folder_config: Any) -> None:
    """Create a node for every SQL block and YAML-defined snapshot under the snapshot paths."""
    root = project.root
    for base in snapshot_paths:
        if not base.exists():
            continue
        for path in sorted(base.rglob("*.sql")):
            rel = path.relative_to(root)
            folders = path.relative_to(base).parent.parts
            text = read_utf8(path, rel)
            for name, line, start, end in find_blocks(text, rel):
                node = _node(project.config.name, name, rel, folders, folder_config(folders, name))
                node.raw_sql = text[start:end]
                node.config["__block"] = f"{rel}{BLOCK_SEPARATOR}{name}"
                node.config["__line"] = line
                _register(project, node)
        for path in sorted(p for p in base.rglob("*.y*ml") if p.suffix in (".yml", ".yaml")):
            folders = path.relative_to(base).parent.parts
            apply_yaml(project, path, load_yaml(path, path.relative_to(root)), folder_config(folders, None))


def apply_yaml(project: Any, path: Path, data: Any, defaults: dict | None = None) -> None:
    """The `snapshots:` list of one YAML file (under snapshots/ or models/)."""
    if not data:
        return
    entries = data.get("snapshots") if isinstance(data, dict) else None
    rel = path.relative_to(project.root)
    for entry in entries or []:
        if not isinstance(entry, dict) or "name" not in entry:
            raise ProjectError("each entry under snapshots: needs a 'name'", _loc(entry, rel))
        reject_unknown_keys(entry, ENTRY_KEYS, f"snapshot '{entry['name']}'", rel)
        node = project.nodes.get(node_id("snapshot", project.config.name, str(entry["name"])))
        if "relation" in entry:
            if node is not None:
                raise ProjectError(f"snapshot '{entry['name']}' is defined twice: {node.path} and {rel}",
                                   _loc(entry, rel))
            node = _node(project.config.name, str(entry["name"]), rel, (), dict(defaults or {}))
            node.config["__relation"] = str(entry["relation"])
            node.config["__line"] = _loc(entry, rel, "relation").line
            _register(project, node)
        elif node is None:
            known = [n.name for n in project.of_type("snapshot")]
            hint = nearest(str(entry["name"]), known)
            raise ProjectError(f"snapshot '{entry['name']}' is documented here but defined nowhere",
                               _loc(entry, rel, "name"),
                               hint=f"did you mean '{hint}'?" if hint
                               else "add relation: ref('...') to define it in YAML")
        from warehouse.project.properties import _fill      # shared with models: description, config, columns, tests

        _fill(node, {k: v for k, v in entry.items() if k != "relation"}, rel)


def _node(package: str, name: str, rel: Path, folders: tuple[str, ...], config: dict) -> Node:
    return Node(unique_id=node_id("snapshot", package, name), name=name, resource_type="snapshot", path=rel,
                fqn=(*folders, name), config={**config, "materialized": "snapshot"})


def _register(project: Any, node: Node) -> None:
    clash = project.nodes.get(node.unique_id) or project.by_name(node.name, ("model", "seed", "snapshot"))
    if clash is not None:
        raise ProjectError(f"two nodes are named '{node.name}': {clash.path} and {node.path}", Location(node.path),
                           hint="models, seeds and snapshots share one namespace; rename one")
    node.package_name = project.config.name
    project.add(node)


def validate(node: Node) -> None:
    """The snapshot's own config, checked once its config() calls are known (after parsing)."""
    config = node.config
    where = Location(node.path, config.get("__line"), node=node.name)
    strategy = config.get("strategy")
    if strategy not in STRATEGIES:
        raise ProjectError(f"snapshot {node.name} needs strategy: timestamp or check (got {strategy!r})", where)
    if not config.get("unique_key"):
        raise ProjectError(f"snapshot {node.name} needs a unique_key (a column, or a list of them)", where)
    if strategy == "timestamp" and not config.get("updated_at"):
        raise ProjectError(f"snapshot {node.name}: strategy timestamp needs updated_at (a column name)", where)
    if strategy == "check" and not config.get("check_cols"):
        raise ProjectError(f"snapshot {node.name}: strategy check needs check_cols ('all' or a list)", where)
    mode = hard_deletes(node)
    if mode not in HARD_DELETES:
        hint = nearest(str(mode), HARD_DELETES)
        raise ProjectError(f"snapshot {node.name}: hard_deletes must be one of {', '.join(HARD_DELETES)}, not {mode!r}",
                           where, hint=f"did you mean '{hint}'?" if hint else None)
    names = config.get("snapshot_meta_column_names") or {}
    for key in names:
        if key not in META_COLUMNS:
            raise ProjectError(f"snapshot {node.name}: unknown snapshot_meta_column_names key '{key}'", where,
                               hint=f"one of {', '.join(META_COLUMNS)}")
    if config.get("target_schema") and not config.get("schema"):
        config["schema"] = config["target_schema"]      # dbt's legacy absolute schema for snapshots


def snapshot_columns(node: Node) -> list[tuple[str, str]]:
    """Before its first build, a snapshot's columns as documented, plus dbt's metadata columns
    (the static check of a model reading it needs them)."""
    if not node.columns:
        return []
    names = node.config.get("snapshot_meta_column_names") or {}
    meta = [m for m in META_COLUMNS if m != "dbt_is_deleted" or hard_deletes(node) == "new_record"]
    documented = [(c.name, c.data_type or "VARCHAR") for c in node.columns.values()]
    known = {c for c, _ in documented}
    return documented + [(names.get(m, m), "VARCHAR") for m in meta if names.get(m, m) not in known]


def hard_deletes(node: Node) -> str:
    """dbt 1.9's `hard_deletes`, or the legacy `invalidate_hard_deletes: true`."""
    if node.config.get("hard_deletes"):
        return str(node.config["hard_deletes"])
    return "invalidate" if node.config.get("invalidate_hard_deletes") else "ignore"


def _loc(entry: Any, rel: Path, key: str | None = None) -> Location:
    if isinstance(entry, Mapping):
        return Location(rel, entry.key_lines.get(key, entry.line) if key else entry.line)
    return Location(rel)
