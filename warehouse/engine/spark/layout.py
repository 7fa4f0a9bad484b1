"""The Spark warehouse on disk: immutable Parquet per build, and one manifest that says which.

    <warehouse_dir>/builds/<token>/<schema>/<name>/part-*.parquet   written once, never changed
    <warehouse_dir>/current.json                                  the published warehouse

A manifest lists every relation: a table's folder (relative to the warehouse directory) and
columns, a view's Spark SQL. A build starts from a copy of the published manifest (tables it
does not rebuild stay where they are: nothing is copied), writes every table it builds into
its own new folder, and keeps its manifest in the staging path. Publishing is one rename of
that manifest onto `current.json`: a reader that read the old manifest keeps reading the old
folders (they stay until pruned), one that reads the new one sees only complete tables. A
failed build leaves `current.json` as it was; its folders are garbage, removed by `prune`.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from warehouse.core.fileio import write_json_atomic

FORMAT = "reform-warehouse/spark-manifest/1"


@dataclass
class Relation:
    kind: str                                   # "table" | "view"
    columns: list[tuple[str, str]] = field(default_factory=list)
    location: str | None = None                 # table: folder relative to the warehouse directory
    sql: str | None = None                      # view: Spark SQL over other relations' view names
    reads: list[str] = field(default_factory=list)   # view: "schema.name" it reads (registration order)
    comment: str | None = None                  # COMMENT ON (a post-hook's), kept with the relation


@dataclass
class Manifest:
    relations: dict[str, Relation] = field(default_factory=dict)     # "schema.name" -> Relation
    warehouse_dir: str | None = None    # where `location`s are; a staging manifest lives elsewhere

    @classmethod
    def read(cls, path: Path) -> "Manifest":
        """The manifest at `path`, or an empty one (nothing published yet)."""
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        return cls({key: Relation(**{**value, "columns": [tuple(c) for c in value.get("columns", [])]})
                    for key, value in data.get("relations", {}).items()}, data.get("warehouse_dir"))

    def write(self, path: Path) -> None:
        write_json_atomic(Path(path), {
            "format": FORMAT, "written_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "warehouse_dir": self.warehouse_dir,
            "relations": {k: asdict(v) for k, v in sorted(self.relations.items())},
        })

    def folders(self) -> set[str]:
        return {r.location.split("/")[1] for r in self.relations.values() if r.location}


def new_token() -> str:
    """A fresh build folder name: sortable by time, unique across concurrent writers."""
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ") + "-" + secrets.token_hex(3)


def copy_manifest(published: Path, staging: Path) -> None:
    """Start a build's manifest as the published one (or empty), remembering where the published
    warehouse lives: the build writes its folders there, beside the ones it may keep."""
    manifest = Manifest.read(published)
    manifest.warehouse_dir = str(Path(published).resolve().parent)
    manifest.write(staging)


def make_current(staging: Path, published: Path, keep: int = 3) -> None:
    """Publish: the staging manifest replaces `current.json` in one rename. The manifest it replaces
    is kept in `history/` (newest `keep`), and build folders no kept manifest names are removed."""
    published.parent.mkdir(parents=True, exist_ok=True)
    history = published.parent / "history"
    if published.exists():
        history.mkdir(exist_ok=True)
        shutil.copyfile(published, history / f"{published.stem}.{new_token()}.json")
    if published.parent.stat().st_dev != staging.stat().st_dev:
        temporary = published.with_name(f".{published.name}.incoming")
        shutil.copyfile(staging, temporary)
        os.replace(temporary, published)
        staging.unlink()
    else:
        os.replace(staging, published)
    kept = sorted(history.glob("*.json")) if history.is_dir() else []
    for old in kept[: max(0, len(kept) - keep)]:
        old.unlink()
    current = Manifest.read(published)
    newest = max(current.folders(), default=None)
    prune(published.parent, [published, *kept[-keep:]], older_than_token=newest)


def prune(warehouse_dir: Path, keep: list[Path], older_than_token: str | None = None) -> list[str]:
    """Delete build folders no kept manifest refers to (those of failed builds, and of builds
    whose manifests left history). Folders newer than `older_than_token` are left alone: a build
    may be writing them right now."""
    builds = warehouse_dir / "builds"
    if not builds.is_dir():
        return []
    used = set().union(*(Manifest.read(m).folders() for m in keep)) if keep else set()
    removed = []
    for folder in sorted(builds.iterdir()):
        if folder.name in used or (older_than_token is not None and folder.name >= older_than_token):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder.name)
    return removed
