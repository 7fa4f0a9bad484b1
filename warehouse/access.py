"""Least file access for the SQL of models and tests (the engine enforces the `Access` it is given)."""
from __future__ import annotations

import itertools
import re
from pathlib import Path

from warehouse.core.vocab import NodeType
from warehouse.engine.base import Access
from warehouse.engine.factory import open_engine
from warehouse.session import Session


def model_access(s: Session) -> Access:
    """Least access for the SQL of models and tests: read the seed and landing folders (also the
    seed folders of installed packages) and the declared locations of external sources; write
    only the external models' folders besides the staging database. Not the export staging
    folder: the engine's exports run on a connection of their own (`export_access`), or a model
    or hook could plant files that are published with them. Python models run under the same
    limits: what they return is registered with DuckDB explicitly (engine/python_model.py)."""
    config = s.project.config
    read = [*config.seed_paths, *config.landing_paths]
    for node in s.project.nodes.values():
        if node.resource_type == NodeType.SEED and node.path is not None:
            read.append((node.path if node.path.is_absolute() else s.project.root / node.path).parent)
        elif node.resource_type == NodeType.SOURCE and node.config.get("external_location"):
            folder = _location_folder(str(node.config["external_location"]))
            if folder is not None:
                read.append(folder)
    external = (s.workspace.export_dir / ".external", s.workspace.dev_db.parent / "external")
    return Access(read=tuple(dict.fromkeys(read)), write=external)


def export_access(s: Session) -> Access:
    """The export step's access: what models reach (exported views still read their inputs) and
    the export staging folder. Only for a connection opened after the last project SQL ran."""
    models = s.access or model_access(s)
    return Access(read=models.read, write=(*models.write, s.workspace.export_stage))


def open_limited(s: Session, attach: tuple[tuple[Path, str], ...] = (), access: Access | None = None) -> None:
    """(Re)open `s.engine` on the command's database (`s.database`), limited to `access` (by
    default `s.access`, the models'; the export step passes its own, `export_access`).

    With `attach`, the connection is the engine's own for a comparison: DuckDB keeps a file attached
    before the limits are set reachable (read-write, after a DETACH), so no project SQL may run
    on it, and the caller reopens without `attach` before any does (stages.stage_changes)."""
    if s.engine is not None:
        s.engine.close()
        s.engine = None
    s.engine = open_engine(s.project.config.target, s.database, access=access or s.access, attach=attach,
                           storage_version=s.project.config.storage_compatibility_version)
    s.compiler.engine = s.engine


def _location_folder(location: str) -> Path | None:
    """The folder an external source reads: its path (or a call's first quoted path) up to the
    first part with a glob character. None for a URL (remote reads need an extension anyway)."""
    quoted = re.search(r"\(\s*'([^']*)'", location)
    path = quoted.group(1) if quoted else location
    if "://" in path or not path:
        return None
    parts = Path(path).parts
    fixed = [p for p in itertools.takewhile(lambda p: not any(c in p for c in "*?[{"), parts)]
    return Path(*fixed) if len(fixed) < len(parts) else Path(path).parent

