"""Measure the check stage's two paths on a representative fact table (prints figures only).

For each size, in a fresh process (so peak memory is per size): DuckDB -> Arrow -> pandas,
GX validate of a 6-expectation suite, and the SQL path for the same suite. Also GX's import
time in fresh interpreters. The figures feed docs/checks.md and the auto rule in
warehouse/check/runner.py.

    .venv/bin/python bench/bench_checks.py                      # 10k, 100k, 1M, 10M rows
    .venv/bin/python bench/bench_checks.py --rows 1000000 --repeat 3
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time

DEFAULT_SIZES = (10_000, 100_000, 1_000_000, 10_000_000)

TABLE_SQL = """
CREATE TABLE fct_orders AS
SELECT i AS order_id,
       (i * 7919) % 50000 AS customer_id,
       ['open', 'shipped', 'delivered', 'returned', 'cancelled'][i % 5 + 1] AS status,
       ((i * 37) % 100000) / 100.0 :: DECIMAL(12, 2) AS amount,
       ['DE', 'FR', 'NL', 'IT', 'ES', 'PL', 'SE'][i % 7 + 1] AS country,
       CASE WHEN i % 10 = 0 THEN NULL ELSE (i % 30) / 100.0 END AS discount,
       TIMESTAMP '2024-01-01' + INTERVAL (i % 31536000) SECOND AS ordered_at
FROM range({rows}) t(i)
"""

SUITE = [
    ("expect_column_values_to_not_be_null", {"column": "order_id"}),
    ("expect_column_values_to_be_unique", {"column": "order_id"}),
    ("expect_column_values_to_be_in_set",
     {"column": "status", "value_set": ["open", "shipped", "delivered", "returned"]}),
    ("expect_column_values_to_be_between", {"column": "amount", "min_value": 0,
                                            "max_value": 999.0}),
    ("expect_column_values_to_match_regex", {"column": "country", "regex": "^[A-Z]{2}$"}),
    ("expect_column_mean_to_be_between", {"column": "discount", "min_value": 0.1,
                                          "max_value": 0.2}),
]


def _timed(fn):
    started = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - started


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _expectations():
    from warehouse.check.model import Expectation

    return [Expectation(i, t, kw, {}, "critical") for i, (t, kw) in enumerate(SUITE)]


def _one_round(con, runner) -> dict:
    """One measurement of every step; returns seconds per step."""
    from warehouse.check.gx_path import load_frame
    from warehouse.check.sql_path import run_sql
    from warehouse.engine.duckdb_engine import DuckDBEngine

    exps = _expectations()
    arrow, t_arrow = _timed(lambda: con.sql("SELECT * FROM fct_orders").to_arrow_table())
    del arrow
    engine = DuckDBEngine.from_connection(con)      # the check gate runs on the engine interface
    loaded, t_frame = _timed(lambda: load_frame(engine, "fct_orders"))
    gx_results, t_gx = _timed(lambda: runner.validate(loaded, "bench", exps))  # noqa: F821 - run before the del
    del loaded
    sql_results, t_sql = _timed(lambda: run_sql(engine, "fct_orders", "bench", exps))
    agree = all((g.success, g.unexpected_count) == (s.success, s.unexpected_count)
                for g, s in zip(gx_results, sql_results))
    return {"duckdb_to_arrow": t_arrow, "duckdb_to_pandas": t_frame, "gx_validate": t_gx,
            "sql_path": t_sql, "paths_agree": agree}


def measure_size(rows: int, repeat: int) -> dict:
    """All steps for one table size, best of `repeat` rounds (in this process)."""
    import duckdb

    from warehouse.check.gx_path import GxRunner

    con = duckdb.connect()
    _, t_build = _timed(lambda: con.execute(TABLE_SQL.format(rows=rows)))
    runner = GxRunner()
    rounds = [_one_round(con, runner) for _ in range(repeat)]
    best = {k: min(r[k] for r in rounds) for k in rounds[0] if k != "paths_agree"}
    best["paths_agree"] = all(r["paths_agree"] for r in rounds)
    return {"rows": rows, "build_table": t_build, **best, "peak_rss_mb": _peak_rss_mb()}


def gx_import_seconds(times: int = 3) -> float:
    """Median wall time of `import great_expectations` in fresh interpreters."""
    code = "import time; t = time.perf_counter(); import great_expectations; " \
           "print(time.perf_counter() - t)"
    runs = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                 check=True).stdout) for _ in range(times)]
    return statistics.median(runs)


def _child(rows: int, repeat: int) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", "--rows", str(rows),
                           "--repeat", str(repeat)], capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _print_row(m: dict) -> None:
    print(f"{m['rows']:>11,} | {m['duckdb_to_arrow']:8.3f} | {m['duckdb_to_pandas']:9.3f} | "
          f"{m['gx_validate']:8.3f} | {m['sql_path']:7.3f} | "
          f"{m['gx_validate'] / m['sql_path']:7.1f}x | {m['peak_rss_mb']:8.0f} | "
          f"{'yes' if m['paths_agree'] else 'NO'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, action="append")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure_size(args.rows[0], args.repeat)))
        return
    print(f"machine: {os.cpu_count()} cores; suite: {len(SUITE)} expectations; "
          f"best of {args.repeat} rounds; seconds")
    print(f"GX import (median of 3 fresh processes): {gx_import_seconds():.2f} s")
    print("       rows | ->arrow  | ->pandas  | GX valid | SQL     | GX/SQL   | peak MB  | agree")
    for rows in args.rows or DEFAULT_SIZES:
        _print_row(_child(rows, args.repeat))


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    main()
