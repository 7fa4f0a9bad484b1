"""Compare a fresh build of the reform project with a baseline build (the "no change visible to
users" check of a refactoring): the build's output lines, every table's rows in the published
warehouse, and every export's rows.

    .venv/bin/python bench/compare_baseline.py /work/team/baseline
    .venv/bin/python bench/compare_baseline.py --make /tmp/ref --code /path/to/other/checkout

The baseline folder holds `warehouse.duckdb`, `exports/` and `build_output.txt` (the output of
`python3 run.py build`). Timings, build ids and set-up lines are ignored; rows are compared as
sorted lists of values. Prints what differs and the figures; exits 1 when anything differs.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import copy_reform_project  # noqa: E402

_TIMING = re.compile(r"\(\d+\.\d+s\)|in \d+\.\d+s|\d{8}T\d{6}Z-[0-9a-f]{6}")


def output_lines(text: str) -> list[str]:
    """Build output without set-up noise, timings and build ids."""
    keep = []
    for line in text.splitlines():
        if line.startswith(("run.py:", "WARNING: Location", "real", "user", "sys")) or not line.strip():
            continue
        keep.append(_TIMING.sub("<t>", line))
    return keep


def tables(database: Path) -> dict[str, list[tuple]]:
    import duckdb

    with duckdb.connect(str(database), read_only=True) as con:
        names = con.execute("select table_schema, table_name from information_schema.tables "
                            "where table_name not like '\\_warehouse%' escape '\\' order by 1, 2").fetchall()
        return {f"{s}.{n}": sorted(con.execute(f'select * from "{s}"."{n}"').fetchall(), key=repr) for s, n in names}


def exports(folder: Path) -> dict[str, list[tuple]]:
    import duckdb

    found = {}
    with duckdb.connect() as con:
        for path in sorted(folder.glob("*.parquet")):
            found[path.name] = sorted(con.execute("select * from read_parquet(?)", [str(path)]).fetchall(), key=repr)
    return found


def diff(kind: str, before: dict, after: dict) -> list[str]:
    problems = [f"{kind} {k}: only in the baseline" for k in before.keys() - after.keys()]
    problems += [f"{kind} {k}: only in the new build" for k in after.keys() - before.keys()]
    problems += [f"{kind} {k}: rows differ ({len(before[k])} vs {len(after[k])})"
                 for k in sorted(before.keys() & after.keys()) if before[k] != after[k]]
    return problems


def make_baseline(folder: Path, code: Path) -> None:
    """Build this tree's reform project with the warehouse code of another checkout (`code`), and
    keep what a later comparison needs: the database, the exports and the build output."""
    import os

    with tempfile.TemporaryDirectory() as tmp:
        project = copy_reform_project(Path(tmp) / "reform")
        done = subprocess.run([sys.executable, "-m", "warehouse.cli", "--project-dir", str(project),
                               "--log-format", "plain", "build"], capture_output=True, text=True, cwd=project,
                              env={**os.environ, "PYTHONPATH": str(code)})
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "build_output.txt").write_text(done.stdout + done.stderr)
        shutil.copy2(project / "warehouse.duckdb", folder / "warehouse.duckdb")
        shutil.copytree(project / "exports", folder / "exports", dirs_exist_ok=True)
    print(f"baseline from {code}: exit {done.returncode}, {folder}")


def main(baseline: Path) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        project = copy_reform_project(Path(tmp) / "reform")
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "warehouse.cli", "--project-dir", str(project),
                               "--log-format", "plain", "build"], capture_output=True, text=True, cwd=project)
        seconds = time.perf_counter() - started
        problems = [] if done.returncode == 0 else [f"build exited {done.returncode}"]
        old, new = output_lines((baseline / "build_output.txt").read_text()), output_lines(done.stdout + done.stderr)
        if old != new:
            import difflib

            problems += ["output: " + line for line in difflib.unified_diff(old, new, "baseline", "now", n=0, lineterm="")]
        old_tables, new_tables = tables(baseline / "warehouse.duckdb"), tables(project / "warehouse.duckdb")
        problems += diff("table", old_tables, new_tables)
        problems += diff("export", exports(baseline / "exports"), exports(project / "exports"))
        shutil.rmtree(project / ".warehouse", ignore_errors=True)
    print(f"build: {seconds:.1f} s; {len(new)} output lines, {len(new_tables)} tables, "
          f"{sum(map(len, new_tables.values()))} rows compared")
    print("\n".join(problems) if problems else "identical: output lines, table rows and export rows")
    return 1 if problems else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--make"]:
        make_baseline(Path(sys.argv[2]), Path(sys.argv[4]))
        sys.exit(0)
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "/work/team/baseline")))
