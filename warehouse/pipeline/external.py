"""dbt-duckdb's `external` materialization: the model's rows written as files, read back by a view.

Config as dbt-duckdb documents it: `location` (default `<model>.<format>`), `format` (parquet,
csv, json; default from the location's suffix, else parquet), `partition_by`, `options` (extra
COPY options, e.g. `{compression: zstd}` or `{delimiter: ';'}`). Unlike dbt-duckdb, files are never
overwritten in place. A build writes them once, into a folder of its own
(`<exports>/.external/<build id>/<location>`), and the model's view reads them there: the published
warehouse and its files change together, and a reader holding an older warehouse keeps reading that
build's files (kept as long as the published history). A copy at `<exports>/<location>` (a hard link:
no second write) is published with the Parquet exports, by the same atomic rename, for tools that read
files. A relative `location` is taken inside the export folder.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from warehouse.core.errors import ModelError
from warehouse.core.relation import quote_identifier as q
from warehouse.core.relation import literal, quote_literal
from warehouse.core.vocab import Materialization, NodeType
from warehouse.project.nodes import Node

if TYPE_CHECKING:
    from warehouse.engine.base import Engine

FORMATS = ("parquet", "csv", "json")
READERS = {"parquet": "read_parquet", "csv": "read_csv_auto", "json": "read_json_auto"}


def is_external(node: Node) -> bool:
    return node.resource_type == NodeType.MODEL and node.materialized == Materialization.EXTERNAL


def file_format(node: Node) -> str:
    configured = node.config.get("format")
    suffix = Path(str(node.config.get("location") or "")).suffix.lstrip(".").lower()
    kind = str(configured or (suffix if suffix in FORMATS else "parquet")).lower()
    if kind not in FORMATS:
        raise ModelError(f"external model {node.name}: format must be parquet, csv or json, not '{kind}'",
                         node.location)
    return kind


def relative_location(node: Node) -> Path:
    """Where the model's file (or partitioned folder) lives, relative to the export folder."""
    location = Path(str(node.config.get("location") or f"{node.name}.{file_format(node)}"))
    if location.is_absolute() or ".." in location.parts:
        raise ModelError(f"external model {node.name}: location '{location}' must be a path inside the export folder",
                         node.location, hint="use a relative path such as 'orders/orders.parquet'")
    if partition_by(node):
        return location.with_suffix("") if location.suffix else location
    return location


def partition_by(node: Node) -> list[str]:
    value = node.config.get("partition_by")
    return [value] if isinstance(value, str) else list(value or [])


def write_external(engine: "Engine", node: Node, sql: str, folder: Path) -> tuple[int, dict[str, Any]]:
    """Write the query's rows under `folder` and (re)point the model's view at them."""
    kind, path = file_format(node), folder / relative_location(node)
    path.parent.mkdir(parents=True, exist_ok=True)
    options = [f"format {kind}"]
    if kind == "csv":
        options.append("header true")
    if partition_by(node):
        options.append(f"partition_by ({', '.join(q(c) for c in partition_by(node))}), overwrite_or_ignore true")
    options += [f"{key} {literal(value)}" for key, value in (node.config.get("options") or {}).items()]
    engine.execute(f"copy (\n{sql}\n) to {quote_literal(str(path))} ({', '.join(options)})", where=node.location)
    point_view(engine, node, folder)
    rows = engine.row_count(node.schema, node.identifier, where=node.location)
    return rows, {"location": str(path), "format": kind}


def point_view(engine: "Engine", node: Node, folder: Path) -> None:
    """The view over the model's files in `folder` (staging during a build, the export folder after)."""
    path = folder / relative_location(node)
    reader = READERS[file_format(node)]
    if partition_by(node):
        source = f"{reader}({quote_literal(str(path / '**' / ('*.' + file_format(node))))}, hive_partitioning = true)"
    else:
        source = f"{reader}({quote_literal(str(path))})"
    engine.ensure_schema(node.schema)
    engine.create_view(node.schema, node.identifier, f"select * from {source}", where=node.location)


def stage_copy(node: Node, built: Path, stage: Path) -> None:
    """Hard-link (or copy) the build's files of `node` into the export staging folder."""
    import shutil

    source, target = built / relative_location(node), stage / relative_location(node)
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        shutil.copytree(source, target, copy_function=_link_or_copy, dirs_exist_ok=True)
    else:
        _link_or_copy(source, target)


def _link_or_copy(source: Any, target: Any) -> None:
    import os
    import shutil

    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def prune_builds(root: Path, keep: int, current: str) -> None:
    """Remove the file folders of all but the `keep` newest builds (build ids sort by time)."""
    import shutil

    if not root.is_dir():
        return
    builds = sorted((p for p in root.iterdir() if p.is_dir() and p.name != current), key=lambda p: p.name)
    for old in builds[:max(len(builds) - keep, 0)]:
        shutil.rmtree(old, ignore_errors=True)


def export_entry(engine: "Engine", node: Node) -> dict[str, Any]:
    """The exports/manifest.json entry of an external model (published with the exports)."""
    columns = engine.columns(node.schema, node.identifier)
    location = relative_location(node)
    # exports publish top-level names (a file, or a folder swapped whole): a location in a
    # subfolder publishes that folder
    return {"model": node.name, "file": location.parts[0], "location": str(location),
            "partition_by": partition_by(node),
            "format": file_format(node), "external": True,
            "rows": engine.row_count(node.schema, node.identifier),
            "schema": [{"name": c, "type": t} for c, t in columns]}



