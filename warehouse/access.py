"""Least file access for the SQL of models and tests (the engine enforces the `Access` it is given)."""
from __future__ import annotations

import itertools
import re
from pathlib import Path

from warehouse.core.vocab import NodeType
from warehouse.engine.base import Access
from warehouse.session import Session


def model_access(s: Session) -> Access | None:
    """Least access for the SQL of models and tests: read the seed and landing folders (also the
    seed folders of installed packages) and the declared locations of external sources; write
    only the export staging folder (the engine's own Parquet exports) and the external models'
    folders besides the staging database. None (no restriction, said as a warning) when the
    project has Python models: DuckDB's replacement scans, which they use, need external access."""
    config = s.project.config
    python = [n.name for n in s.project.nodes.values() if str(n.path or "").endswith(".py")]
    if python:
        s.reporter.event("least_access_off", f"Python models ({', '.join(sorted(python)[:3])}) need DuckDB's "
                         "external access: model SQL of this project runs without the file limits "
                         "(docs/operations.md, security model)", level="warn")
        return None
    read = [*config.seed_paths, *config.landing_paths]
    for node in s.project.nodes.values():
        if node.resource_type == NodeType.SEED and node.path is not None:
            read.append((node.path if node.path.is_absolute() else s.project.root / node.path).parent)
        elif node.resource_type == NodeType.SOURCE and node.config.get("external_location"):
            folder = _location_folder(str(node.config["external_location"]))
            if folder is not None:
                read.append(folder)
    external = (s.workspace.export_dir / ".external", s.workspace.dev_db.parent / "external")
    if s.options.command == "build" and s.workspace.published.exists():
        # the change gate compares with the published warehouse: it reads a copy in the staging
        # folder, never the published file (which model SQL could otherwise attach and write)
        import shutil

        copy = s.workspace.staging_dir / "published-copy" / s.workspace.published.name
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(s.workspace.published, copy)
        s.published_copy = copy
        read.append(copy.parent)
    return Access(read=tuple(dict.fromkeys(read)), write=(s.workspace.export_stage, *external))


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

