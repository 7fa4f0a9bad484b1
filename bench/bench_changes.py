"""Benchmark: what the change report adds to a build. Prints figures; asserts nothing.

    .venv/bin/python bench/bench_changes.py [--rows 1000000 10000000]

For each size: a project with a Parquet fact seed of N rows and two tables over it (a keyed copy
and an unkeyed aggregate) is built and published; then the fact changes (1% of rows get a new
amount, 0.1% are removed, 0.1% added) and it is built again three ways: with the change report
(row diffs on), with row diffs skipped (`diff_max_rows: 0`: schema and counts only), and the
time the report itself took (the `seconds` of each model's record in run_results.json).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PROJECT = """name: bench_changes
seeds:
  bench_changes:
    +schema: raw
models:
  bench_changes:
    marts:
      +materialized: table
      +export: false
"""


def write_fact(path: Path, rows: int, changed: bool) -> None:
    import duckdb

    shift = rows // 1000 if changed else 0          # 0.1% removed at the start, 0.1% added at the end
    amount = "case when i % 100 = 7 then -1.0 else (i % 10007) * 1.5 end" if changed else "(i % 10007) * 1.5"
    with duckdb.connect() as con:
        con.execute(f"copy (select i as id, i % 997 as grp, {amount} as amount, 'status_' || (i % 5) as status, "
                    f"md5(i::varchar) as note from range({shift}, {rows + shift}) t(i)) to '{path}' (format parquet)")


def make_project(folder: Path, rows: int) -> Path:
    (folder / "seeds").mkdir(parents=True)
    (folder / "models" / "marts").mkdir(parents=True)
    (folder / "dbt_project.yml").write_text(PROJECT)
    write_fact(folder / "seeds" / "fact.parquet", rows, changed=False)
    (folder / "models/marts/fct_copy.sql").write_text("select id, grp, amount, status, note from {{ ref('fact') }}")
    (folder / "models/marts/agg_groups.sql").write_text(
        "select grp, status, count(*) as n, sum(amount) as amount from {{ ref('fact') }} group by all")
    (folder / "models/marts/_marts.yml").write_text(
        "version: 2\nmodels:\n  - name: fct_copy\n    config: {unique_key: id}\n  - name: agg_groups\n")
    (folder / "seeds/_seeds.yml").write_text("version: 2\nseeds:\n  - name: fact\n    config: {unique_key: id}\n")
    return folder


def build(project: Path) -> tuple[float, dict]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "warehouse.cli", "--project-dir", str(project), "--log-format",
                           "plain", "-q", "build", "--no-checks", "--no-static-check"],
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"build failed:\n{done.stdout}\n{done.stderr}")
    results = json.loads((project / "target" / "run_results.json").read_text())
    return wall, results


def report_seconds(results: dict) -> float:
    return sum(c["seconds"] for c in results.get("changes", []))


def run(rows: int) -> None:
    with tempfile.TemporaryDirectory(prefix="bench_changes_") as tmp:
        project = make_project(Path(tmp) / "p", rows)
        first, _ = build(project)
        write_fact(project / "seeds" / "fact.parquet", rows, changed=True)
        wall, results = build(project)
        lines = [c["summary"] for c in results["changes"] if c["status"] != "unchanged"]
        per_model = {c["name"]: c["seconds"] for c in results["changes"]}
        write_fact(project / "seeds" / "fact.parquet", rows, changed=False)
        (project / "dbt_project.yml").write_text(
            PROJECT.replace("    +schema: raw\n", "    +schema: raw\n    +diff_max_rows: 0\n") + "      +diff_max_rows: 0\n")
        skipped_wall, skipped = build(project)
        print(f"\n{rows:,} fact rows (3 tables of {rows:,}, {rows:,} and ~5k rows)")
        print(f"  first build (nothing published yet)        {first:7.2f} s wall")
        print(f"  build with the change report (row diffs)   {wall:7.2f} s wall; report {report_seconds(results):6.2f} s "
              f"({100 * report_seconds(results) / wall:4.1f}% of the build)")
        print(f"  build with row diffs skipped (counts only) {skipped_wall:7.2f} s wall; report "
              f"{report_seconds(skipped):6.2f} s")
        print("  report seconds per relation: " + ", ".join(f"{k} {v:.2f}" for k, v in per_model.items()))
        for line in lines:
            print(f"    {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    for rows in parser.parse_args().rows:
        run(rows)


if __name__ == "__main__":
    main()
