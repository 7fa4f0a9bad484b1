"""Writing files so that a reader (or a crash) never sees half of one."""
from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

from warehouse.core.secrets import mask, mask_data


def write_json_atomic(path: Path, data: Any, indent: int | None = 2) -> None:
    """Write to a temporary file beside `path`, flush it to disk, then rename it into place.

    `indent=None` writes compact JSON through the C encoder: several times faster for large
    files such as the manifest of a project with thousands of nodes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    with temporary.open("w", encoding="utf-8") as handle:
        handle.write(mask(json.dumps(mask_data(data), indent=indent, ensure_ascii=False, default=str)) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def link_or_copy(source: Path | str, target: Path | str) -> None:
    """A hard link (no copy, instant) where the file system allows it, else a copy: exports on a
    share or history on another disk cannot be linked."""
    import shutil

    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def keep_mode_and_group(new: Path, old: Path) -> None:
    """Give `new` the permission bits and group of the `old` file it is about to replace.

    A rename publishes the new file with the build user's umask: an admin's `chmod 640` and
    `chgrp analysts` on the published file would be lost at every publish."""
    try:
        info = os.stat(old)
    except FileNotFoundError:
        return
    if not new.exists():
        return
    os.chmod(new, stat.S_IMODE(info.st_mode))
    if os.stat(new).st_gid != info.st_gid:
        try:
            os.chown(new, -1, info.st_gid)
        except PermissionError:     # the build user is not in that group: the mode is still kept
            pass


def read_header(path: Path, delimiter: str = ",") -> list[str]:
    """The column names of a CSV (first row; a byte order mark is not part of the first name) or
    a Parquet file (its footer), without reading the data; [] for other files or a bad file."""
    import csv

    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            with path.open(encoding="utf-8-sig", newline="") as handle:
                return [h.strip() for h in next(csv.reader(handle, delimiter=delimiter), [])]
        if suffix == ".parquet":
            import pyarrow.parquet as pq

            return list(pq.read_schema(path).names)
    except Exception:  # noqa: BLE001 - unreadable here: the load stage reports it, naming the line
        return []
    return []
