"""Would running independent models on several threads make builds faster? Prints figures.

    .venv/bin/python bench/bench_threads.py [--models 40] [--rows 300000]

Builds `--models` independent tables (a join and an aggregate each, like an intermediate
model) from one seed table, first one after another on one connection, then from a pool of
2 and 4 threads, each thread with its own cursor. DuckDB already parallelises each query
over the machine's cores, so the question is whether small models leave cores idle.
"""
from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb

MODEL = ("create or replace table m{i} as select a.grp, count(*) as n, sum(a.amount * b.amount) as s "
         "from seed a join seed b on a.id = b.id + {i} group by a.grp")


def run(path: Path, models: int, threads: int) -> float:
    con = duckdb.connect(str(path))
    started = time.perf_counter()
    if threads == 1:
        for i in range(models):
            con.execute(MODEL.format(i=i))
    else:
        def one(i: int) -> None:
            cursor = con.cursor()
            cursor.execute(MODEL.format(i=i))
            cursor.close()
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(one, range(models)))
    elapsed = time.perf_counter() - started
    con.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--models", type=int, default=40)
    parser.add_argument("--rows", type=int, default=300_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.duckdb"
        with duckdb.connect(str(path)) as con:
            con.execute(f"create table seed as select range as id, range % 101 as grp, random() as amount "
                        f"from range({args.rows})")
        print(f"{os.cpu_count()} cores; {args.models} independent models over {args.rows:,} rows")
        for threads in (1, 2, 4):
            samples = [run(path, args.models, threads) for _ in range(3)]
            print(f"threads={threads}: median {statistics.median(samples):.2f} s  (runs: "
                  + ", ".join(f"{s:.2f}" for s in samples) + ")")


if __name__ == "__main__":
    main()
