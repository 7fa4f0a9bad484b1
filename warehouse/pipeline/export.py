"""Export: models marked `export: true` (default for marts) as Parquet for BI tools.

Files are written into the staging folder while the build runs, then moved into
`exports/` by rename once the database is published, so a BI tool never reads a
half-written file. `exports/manifest.json`, written last, lists file, rows, schema and
build id.
"""
from __future__ import annotations

import json
import os
import shutil
import stat
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from warehouse.engine.base import Engine
from warehouse.core.errors import PublishError
from warehouse.core.fileio import keep_mode_and_group, write_json_atomic
from warehouse.core.vocab import NodeType
from warehouse.project.nodes import Node
from warehouse.project.loader import Project

MANIFEST = "manifest.json"


def is_exported(node: Node) -> bool:
    return node.is_exported()


def stage_exports(engine: Engine, project: Project, stage: Path, build_id: str) -> dict[str, Any]:
    """Write every exported model's Parquet into `stage`; return the manifest (not yet published).

    A build starts with no staging folder (`prepare_staging` clears it) and nothing but this step
    writes it, so a file already there was planted (a model or hook that got write access some
    other way): refuse to publish rather than swap it in with a partitioned export's folder."""
    foreign = sorted(str(p.relative_to(stage)) for p in stage.rglob("*")) if stage.exists() else []
    if foreign:
        raise PublishError(f"the export staging folder {stage} holds file(s) the export step did not write: "
                           f"{', '.join(foreign[:5])}{' ...' if len(foreign) > 5 else ''}",
                           hint="nothing was published; find what wrote them (model SQL or hooks cannot)")
    stage.mkdir(parents=True, exist_ok=True)
    entries = []
    catalog = engine.catalog()
    for node in sorted(project.of_type(NodeType.MODEL), key=lambda n: n.name):
        columns = catalog.get((node.schema, node.identifier))
        if not is_exported(node) or columns is None:
            continue
        partition_by = node.config.get("partition_by")
        partition_by = [partition_by] if isinstance(partition_by, str) else partition_by
        name = node.name if partition_by else f"{node.name}.parquet"
        engine.write_parquet(node.schema, node.identifier, stage / name, partition_by)
        entries.append({
            "model": node.name, "file": name, "partition_by": partition_by or [],
            "rows": engine.row_count(node.schema, node.identifier),
            "schema": [{"name": c, "type": t} for c, t in columns],
            # dbt's model `meta` (e.g. {is_sample: true}): what a BI user must know about the file
            "meta": node.config.get("meta") or {},
        })
    return {"build_id": build_id, "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "exports": entries}


def publish_exports(stage: Path, export_dir: Path, manifest: dict[str, Any]) -> None:
    """Move staged files into place one rename each, then write the manifest last."""
    export_dir.mkdir(parents=True, exist_ok=True)
    for entry in manifest["exports"]:
        source, target = stage / entry["file"], export_dir / entry["file"]
        keep_mode_and_group(source, target)
        if source.is_dir():
            _replace_dir(source, target)
        else:
            os.replace(source, target)
    for name in stale_exports(export_dir, manifest):
        _remove(export_dir / name)
    old_manifest = export_dir / MANIFEST
    mode = os.stat(old_manifest) if old_manifest.exists() else None
    write_json_atomic(export_dir / MANIFEST, manifest)
    if mode is not None:
        os.chmod(old_manifest, stat.S_IMODE(mode.st_mode))


def stale_exports(export_dir: Path, manifest: dict[str, Any]) -> list[str]:
    """Files the published exports manifest lists that the new one does not (their model was
    removed from the project or no longer exported): BI globs must not keep reading them.
    Only files an earlier build wrote are named; anything else in exports/ is left alone."""
    try:
        before = json.loads((export_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    keep = {e["file"] for e in manifest["exports"]}
    names = [e.get("file") for e in before.get("exports", []) if isinstance(e, dict)]
    return [n for n in names if isinstance(n, str) and n not in keep and "/" not in n and not n.startswith(".")
            and (export_dir / n).exists()]


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def _replace_dir(source: Path, target: Path) -> None:
    """Swap a partitioned export folder in. On Linux both folders are exchanged in one atomic
    step (renameat2 with RENAME_EXCHANGE), so `exports/<model>` never goes missing; elsewhere
    the old folder is moved aside first, leaving a brief gap."""
    if target.is_dir() and _exchange(source, target):
        shutil.rmtree(source)               # now the old folder
        return
    aside = target.with_name(f".{target.name}.old")
    if aside.exists():
        shutil.rmtree(aside)
    if target.exists():
        os.replace(target, aside)
    os.replace(source, target)
    if aside.exists():
        shutil.rmtree(aside)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2); False where the system cannot."""
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0
