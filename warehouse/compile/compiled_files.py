"""Compiled SQL on disk: target/compiled/ mirrors the project, so users read exactly what ran."""
from __future__ import annotations

from pathlib import Path

from warehouse.core.secrets import mask
from warehouse.project.loader import Project
from warehouse.project.nodes import Node


def write_compiled(project: Project, node: Node, sql: str) -> Path:
    """Write compiled SQL under target/compiled/, mirroring the source path."""
    out = project.config.target_path / "compiled" / (node.path if node.path else Path(node.name + ".sql"))
    if out.suffix != ".sql":
        out = out.with_name(f"{node.name}.sql")
    sql = mask(sql)         # secret env values are never written (core/secrets.py)
    if out.is_file() and out.read_text(encoding="utf-8") == sql:
        return out          # unchanged: reading is cheaper than rewriting, and keeps its time stamp
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(sql, encoding="utf-8")
    return out
