"""Benchmark: what keeping the published file out of model SQL's reach costs the change gate.
Prints figures; asserts nothing.

    .venv/bin/python bench/bench_change_gate_access.py [--models 100] [--rows 1000000]

Model SQL runs with DuckDB's file limits, and the change gate must read the published file. Two
ways to give it that file without giving it to model SQL:
- copy: copy the published file into the staging folder (which model SQL may read) each build
  and attach the copy (what builds did until 2026-12): seconds and bytes of the copy;
- reopen (what builds do now): close the restricted connection, compare on a connection of the
  engine's own that attached the published file before its limits were set, then reopen the
  restricted connection for on-run-end hooks: seconds of those closes and opens, no bytes.
For the reform project and a project written by bench/generate.py, each figure is the median of
three rounds, next to the wall time of a whole second build for scale.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import copy_reform_project  # noqa: E402
from warehouse.engine.base import Access  # noqa: E402
from warehouse.engine.factory import open_engine  # noqa: E402
from warehouse.project.loader import load_project  # noqa: E402

ROUNDS = 3


def build(project: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "warehouse.cli", "--project-dir", str(project), "--log-format",
                           "plain", "-q", "build"], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    if done.returncode != 0:
        raise SystemExit(f"build of {project} failed:\n{done.stdout}\n{done.stderr}")
    return time.perf_counter() - started


def copy_seconds(published: Path, scratch: Path) -> float:
    copy = scratch / "published-copy" / published.name
    copy.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    shutil.copyfile(published, copy)
    with open(copy, "rb+") as handle:       # on disk, as a build would need it before attaching
        os.fsync(handle.fileno())
    seconds = time.perf_counter() - started
    copy.unlink()
    return seconds


def reopen_seconds(project: Path, published: Path, staging: Path) -> float:
    config = load_project(project).config
    access = Access(read=(project / "seeds",))
    opened = {"storage_version": config.storage_compatibility_version, "access": access}
    engine = open_engine(config.target, staging, **opened)
    started = time.perf_counter()
    engine.close()
    compare = open_engine(config.target, staging, attach=((published, "__published"),), **opened)
    compare.close()
    engine = open_engine(config.target, staging, **opened)
    seconds = time.perf_counter() - started
    engine.close()
    return seconds


def measure(label: str, project: Path, scratch: Path) -> None:
    build(project)
    second_build = build(project)
    published = project / "warehouse.duckdb"
    staging = scratch / "staging.duckdb"
    shutil.copyfile(published, staging)
    copies = [copy_seconds(published, scratch) for _ in range(ROUNDS)]
    reopens = [reopen_seconds(project, published, staging) for _ in range(ROUNDS)]
    size = published.stat().st_size
    print(f"{label:<34} published {size / 1e6:8.1f} MB | copy {statistics.median(copies):6.3f} s, "
          f"{size / 1e6:8.1f} MB written | reopen {statistics.median(reopens):6.3f} s, 0 MB | "
          f"second build {second_build:6.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=100)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-gate-access-") as temp:
        work = Path(temp)
        measure("reform project", copy_reform_project(work / "reform"), work)
        generated = work / "generated"
        subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), str(generated), "--models",
                        str(args.models), "--rows", str(args.rows)], check=True, capture_output=True)
        measure(f"generated {args.models} models, {args.rows:,} rows", generated, work)


if __name__ == "__main__":
    main()
