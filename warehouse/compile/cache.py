"""Caches between runs, keyed by content: an unchanged project is not analysed from scratch.

Two caches live under `target/cache/` (so `run.py clean` empties them):
- Jinja's compiled templates (`JinjaBytecodeCache`): Jinja itself keys each entry by the
  template's name and checks a checksum of its source, so an edited model or macro is compiled
  again; the folder name carries Jinja's version and our code's fingerprint.
- `ResultCache`: one JSON file of results (e.g. each model's static analysis) under keys the
  caller builds from checksums of every input that can change the result. A key that is not
  found is simply computed again; nothing is ever looked up by file time or name alone.

`code_fingerprint()` is part of every key: a different reform-warehouse version, sqlglot,
Jinja or any change to our own source code starts from an empty cache.
"""
from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2.bccache import Bucket, FileSystemBytecodeCache

FORMAT = 1


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Versions of what shapes compiled output, and a hash of our own source files."""
    import sqlglot

    from warehouse import __version__

    digest = hashlib.sha256(f"{FORMAT}|{__version__}|{sqlglot.__version__}|{jinja2.__version__}".encode())
    package = Path(__file__).resolve().parents[1]
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def digest(*parts: Any) -> str:
    """sha256 of `parts` as canonical JSON (sorted keys; anything unknown as its str())."""
    text = json.dumps(parts, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def cache_dir(target: Path) -> Path:
    return target / "cache"


class JinjaBytecodeCache(FileSystemBytecodeCache):
    """Jinja's file cache that never fails a compile: an unwritable folder only costs speed."""

    def __init__(self, target: Path):
        folder = cache_dir(target) / f"jinja-{code_fingerprint()[:16]}"
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            pass
        super().__init__(str(folder))

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except OSError:
            pass

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


class ResultCache:
    """Results under content keys, read once and written once per command (one JSON file)."""

    def __init__(self, path: Path):
        self.path = path
        self._entries: dict[str, Any] = {}
        self._used: dict[str, Any] = {}
        self.hits = self.misses = 0
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("fingerprint") == code_fingerprint():
                self._entries = data.get("entries", {})
        except (OSError, ValueError, AttributeError):
            pass

    def get(self, key: str) -> Any | None:
        value = self._entries.get(key)
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
            self._used[key] = value
        return value

    def put(self, key: str, value: Any) -> None:
        self._used[key] = value

    def save(self) -> None:
        """Keep what this run used (entries of deleted or changed inputs drop out)."""
        if self._used == self._entries:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
            temporary.write_text(json.dumps({"fingerprint": code_fingerprint(), "entries": self._used},
                                            separators=(",", ":")), encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError:
            pass
