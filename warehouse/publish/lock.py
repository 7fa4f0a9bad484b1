"""One build at a time: a lock file holding the holder's pid, host and start time.

A second build fails fast naming the holder (exit code 3). A lock left by a build that
died on this host is stale: it is taken over, and the report says so. A lock written on
another host is never taken over: its pid means nothing here.

The file's content is for people; the exclusion itself is an advisory `flock` on the file,
which the kernel drops when the holder dies (even by kill -9). So "died" does not rest on
the pid alone (a pid can be reused after a crash or a reboot), and two races of a
content-only lock are closed: a second build reading the file in the instant between its
creation and its content being written (and taking the empty file for a stale one), and two
builds taking over the same stale lock at once (the second deleting the first's fresh lock).
"""
from __future__ import annotations

import fcntl
import json
import os
import socket
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from warehouse.core.errors import LockHeld, Location


@dataclass
class BuildLock:
    path: Path
    build_id: str
    took_over: dict | None = None   # the stale holder we replaced, if any
    _fd: int | None = field(default=None, repr=False)

    def __enter__(self) -> "BuildLock":
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for _ in range(5):
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            flocked = True
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                raise self._held(read_holder(self.path) or {}) from None
            except OSError:
                flocked = False        # a file system without flock (some NFS set-ups): pids only
            if not _same_file(fd, self.path):
                # The holder released (deleted) the file between our open and our flock: retry.
                os.close(fd)
                continue
            holder = _read_fd(fd)
            if holder is not None and not _is_stale(holder, flocked):
                os.close(fd)
                raise self._held(holder)
            if holder is not None or os.fstat(fd).st_size:
                # Nobody holds the flock: whoever wrote this is gone.
                self.took_over = {**(holder or {"unreadable": True}), "alive": _alive(holder)}
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(self._holder()).encode(), 0)
            os.fsync(fd)
            self._fd = fd
            return
        raise LockHeld("could not take the build lock (other builds kept taking it)", Location(self.path))

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            holder = read_holder(self.path)
            if holder and holder.get("pid") == os.getpid() and holder.get("build_id") == self.build_id \
                    and _same_file(self._fd, self.path):
                self.path.unlink(missing_ok=True)     # still flocked: nobody can take it in between
        finally:
            os.close(self._fd)
            self._fd = None

    def _held(self, holder: dict) -> LockHeld:
        if not holder:
            return LockHeld("another build holds the lock (it is just starting)", Location(self.path),
                            hint="wait for it to finish")
        return LockHeld(
            f"another build holds the lock: pid {holder.get('pid')} on {holder.get('host')}, "
            f"started {holder.get('started_at')} (build {holder.get('build_id')})",
            Location(self.path),
            hint="wait for it to finish; if that process is gone, delete the lock file",
        )

    def _holder(self) -> dict:
        return {"pid": os.getpid(), "host": socket.gethostname(), "build_id": self.build_id,
                "started_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}


def read_holder(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _read_fd(fd: int) -> dict | None:
    try:
        data = json.loads(os.pread(fd, 1 << 16, 0) or b"null")
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path))
    except FileNotFoundError:
        return False


def _is_stale(holder: dict, flocked: bool = True) -> bool:
    """Whether a holder recorded in the lock file is gone.

    Called once we hold the flock, so no build on this host holds the lock: stale, unless
    the holder ran on another host (which may not honour our flock, e.g. some NFS set-ups).
    Without a flock to go by, a holder on this host is stale only if its pid is gone.
    """
    if holder.get("host") != socket.gethostname():
        return False
    return flocked or _alive(holder) is not True


def _alive(holder: dict | None) -> bool | None:
    """Whether the recorded pid still exists here (then it was reused: worth reporting)."""
    pid = (holder or {}).get("pid")
    if not isinstance(pid, int) or pid <= 0:
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
