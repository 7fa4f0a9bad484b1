"""State: what the published warehouse was built from, for `--select state:modified+`.

The published database carries the manifest of the build that produced it
(`_warehouse_manifest`), so the comparison is always against the data actually published,
by content hash (SQL, seeds, config), never by file times.
"""
from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

from warehouse.core.errors import SelectionError, WarehouseError
from warehouse.core.vocab import NodeType
from warehouse.project.loader import Project


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
    before = {**previous.get("nodes", {}), **previous.get("sources", {})}   # dbt keeps sources apart
    if method == "new":
        # A node a selective build carried over without ever building it has no checksum: still new.
        return {uid for uid in project.nodes if uid not in before or before[uid].get("checksum") is None}
    if method != "modified":
        raise SelectionError(f"unknown state selector 'state:{method}'", hint="use state:modified or state:new")
    return {uid for uid in project.nodes
            if uid not in before or before[uid].get("checksum") != node_checksum(project, uid)}


def sha256(text: str | bytes) -> str:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()


def file_hash(path: Path) -> str:
    """sha256 of a regular file's bytes; a symbolic link or FIFO (refused by load) is hashed by
    what it is, never opened: reading a FIFO would block for good."""
    info = os.lstat(path)
    if not stat.S_ISREG(info.st_mode):
        return hashlib.sha256(f"not a regular file: mode {info.st_mode:o}".encode()).hexdigest()
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def node_checksum(project: Project, uid: str) -> str:
    """Content hash for `state:modified`: what the node is made of, never file times.

    Models: their SQL, the macros and vars it may use, and their config. Seeds: the file's
    bytes and declared types. Tests: their definition.
    """
    node = project.nodes[uid]
    config = json.dumps(node.config, sort_keys=True, default=str)
    if node.resource_type == NodeType.SEED and node.path:
        path = node.path if node.path.is_absolute() else project.root / node.path
        body = file_hash(path) if path.exists() else ""
    elif node.resource_type in (NodeType.MODEL, NodeType.SNAPSHOT):
        macros = "".join(p.read_text(encoding="utf-8") for p in project.macro_files)
        body = node.raw_sql + macros + json.dumps(project.config.vars, sort_keys=True, default=str)
    else:
        body = node.raw_sql or json.dumps(node.test_metadata, sort_keys=True, default=str)
    columns = json.dumps({c.name: c.data_type for c in node.columns.values()}, sort_keys=True)
    return sha256(f"{body}\n{config}\n{columns}")
