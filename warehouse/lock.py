"""One build at a time: a lock file holding the holder's pid, host and start time.

A second build fails fast naming the holder (exit code 3). A lock left by a build that
died (its pid is gone on this host) is stale: it is taken over, and the report says so.
"""
from __future__ import annotations

import json
import os
import socket
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from warehouse.errors import LockHeld, Location


@dataclass
class BuildLock:
    path: Path
    build_id: str
    took_over: dict | None = None   # the stale holder we replaced, if any

    def __enter__(self) -> "BuildLock":
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                holder = read_holder(self.path)
                if holder is not None and not _is_stale(holder):
                    raise LockHeld(
                        f"another build holds the lock: pid {holder.get('pid')} on {holder.get('host')}, "
                        f"started {holder.get('started_at')} (build {holder.get('build_id')})",
                        Location(self.path),
                        hint="wait for it to finish; if that process is gone, delete the lock file",
                    ) from None
                self.took_over = holder or {"unreadable": True}
                self.path.unlink(missing_ok=True)
                continue
            with os.fdopen(fd, "w") as handle:
                json.dump(self._holder(), handle)
            return
        raise LockHeld("could not take the build lock (another build took it at the same moment)", Location(self.path))

    def release(self) -> None:
        holder = read_holder(self.path)
        if holder and holder.get("pid") == os.getpid() and holder.get("build_id") == self.build_id:
            self.path.unlink(missing_ok=True)

    def _holder(self) -> dict:
        return {"pid": os.getpid(), "host": socket.gethostname(), "build_id": self.build_id,
                "started_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}


def read_holder(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def _is_stale(holder: dict) -> bool:
    """Stale when the holder ran on this host and its pid no longer exists."""
    if holder.get("host") != socket.gethostname():
        return False
    pid = holder.get("pid")
    if not isinstance(pid, int):
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
