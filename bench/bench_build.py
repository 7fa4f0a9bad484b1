"""Benchmark: start-up, compile and build times of the engine. Prints figures; asserts nothing.

    .venv/bin/python bench/bench_build.py [--models 200] [--rows 200000]

Measures, each as the median of a few runs in fresh processes (what a scheduler or a user sees):
`--help`, `ls`, `compile` and `build` of the reform project, and `build` of a generated project
with layered models over larger seeds.
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


def timed(args: list[str], cwd: Path, runs: int = 3) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "warehouse.cli", "--log-format", "plain", "-q", *args],
                              cwd=cwd, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
        samples.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise SystemExit(f"{args} failed:\n{done.stdout}\n{done.stderr}")
    return statistics.median(samples)


def synthetic_project(folder: Path, models: int, rows: int) -> Path:
    """A staging -> intermediate -> marts project: 4 seeds, `models` models in three layers."""
    (folder / "seeds").mkdir(parents=True)
    for layer in ("staging", "intermediate", "marts"):
        (folder / "models" / layer).mkdir(parents=True)
    (folder / "dbt_project.yml").write_text(
        "name: synthetic\nseeds:\n  synthetic:\n    +schema: raw\nmodels:\n  synthetic:\n    staging:\n"
        "      +schema: staging\n    intermediate:\n      +schema: intermediate\n    marts:\n"
        "      +materialized: table\n")
    import duckdb

    with duckdb.connect() as con:
        for i in range(4):
            con.execute(f"copy (select range as id, range % 97 as grp, random() * 1000 as amount, "
                        f"'s' || (range % 13) as status from range({rows})) to '{folder}/seeds/raw_{i}.csv' (header)")
    per_layer = max(1, models // 3)
    for i in range(per_layer):
        (folder / "models/staging" / f"stg_{i}.sql").write_text(
            f"select id, grp, amount, status from {{{{ ref('raw_{i % 4}') }}}} where amount >= 0")
        (folder / "models/intermediate" / f"int_{i}.sql").write_text(
            f"select a.grp, a.status, sum(a.amount) as total, count(*) as n\n"
            f"from {{{{ ref('stg_{i}') }}}} as a join {{{{ ref('stg_{(i + 1) % per_layer}') }}}} as b using (id)\n"
            f"group by 1, 2")
        (folder / "models/marts" / f"mart_{i}.sql").write_text(
            f"select grp, sum(total) as total, sum(n) as n, rank() over (order by sum(total) desc) as rnk\n"
            f"from {{{{ ref('int_{i}') }}}} group by grp")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--models", type=int, default=150)
    parser.add_argument("--rows", type=int, default=200_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        reform = copy_reform_project(Path(tmp) / "reform")
        print(f"machine: {os.cpu_count()} cores, python {sys.version.split()[0]}")
        print(f"--help                          {timed(['--help'], reform):7.2f} s")
        timed(["build"], reform, runs=1)
        print(f"reform: ls                      {timed(['ls'], reform):7.2f} s")
        print(f"reform: compile (+static check) {timed(['compile'], reform):7.2f} s")
        print(f"reform: build (all gates)       {timed(['build'], reform):7.2f} s")
        print(f"reform: build --no-checks       {timed(['build', '--no-checks'], reform):7.2f} s")
        synthetic = synthetic_project(Path(tmp) / "synthetic", args.models, args.rows)
        first = timed(["build", "--no-checks"], synthetic, runs=1)
        print(f"synthetic ({args.models} models, 4 x {args.rows:,} rows): first build {first:7.2f} s, "
              f"rebuild {timed(['build', '--no-checks'], synthetic):7.2f} s, "
              f"compile {timed(['compile'], synthetic):7.2f} s")
        shutil.rmtree(synthetic)


if __name__ == "__main__":
    main()
