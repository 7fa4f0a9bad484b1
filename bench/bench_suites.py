"""The check gate's SQL path against Great Expectations, on whole suites (prints figures only).

Two workloads, each path in a fresh process, so GX's import is counted where a build pays it:
- the reform project's suites (data_checks/) on its published warehouse;
- a 1M-row table with a suite that uses the types the SQL path gained in issue 11 (regex
  lists, lengths, strftime, increasing, median, stdev, quantiles, distinct sets, most common
  value, pair equality and sets, multicolumn sums, column counts).

    .venv/bin/python bench/bench_suites.py                     # builds a reform copy in a temp dir
    .venv/bin/python bench/bench_suites.py --built /path/to/built/reform/project --rows 1000000
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

WIDE_TABLE = """
CREATE TABLE wide AS
SELECT i AS id, (i * 7919) % 50000 AS customer_id,
       ['open', 'shipped', 'delivered', 'returned'][i % 4 + 1] AS status,
       'C-' || lpad(CAST(i % 100000 AS VARCHAR), 6, '0') AS code,
       strftime(DATE '2020-01-01' + INTERVAL (i % 2000) DAY, '%Y-%m-%d') AS day,
       ((i * 37) % 100000) / 100.0 AS amount,
       CASE WHEN i % 10 = 0 THEN NULL ELSE (i % 30) / 100.0 END AS discount,
       i % 13 AS a, i % 7 AS b, 20 - (i % 13) - (i % 7) AS c
FROM range({rows}) t(i)
"""

WIDE_SUITE = [
    ("expect_column_values_to_match_regex_list", {"column": "code", "regex_list": ["^C-", r"\d{6}$"],
                                                  "match_on": "all"}),
    ("expect_column_values_to_not_match_regex", {"column": "code", "regex": "X"}),
    ("expect_column_value_lengths_to_be_between", {"column": "code", "min_value": 8, "max_value": 8}),
    ("expect_column_value_lengths_to_equal", {"column": "day", "value": 10}),
    ("expect_column_values_to_match_strftime_format", {"column": "day", "strftime_format": "%Y-%m-%d"}),
    ("expect_column_values_to_be_increasing", {"column": "id", "strictly": True}),
    ("expect_column_median_to_be_between", {"column": "amount", "min_value": 400, "max_value": 600}),
    ("expect_column_stdev_to_be_between", {"column": "amount", "min_value": 100}),
    ("expect_column_quantile_values_to_be_between", {"column": "amount", "quantile_ranges": {
        "quantiles": [0.05, 0.5, 0.95], "value_ranges": [[0, 100], [400, 600], [900, 1000]]}}),
    ("expect_column_unique_value_count_to_be_between", {"column": "status", "min_value": 4, "max_value": 4}),
    ("expect_column_distinct_values_to_equal_set", {"column": "status",
                                                    "value_set": ["open", "shipped", "delivered", "returned"]}),
    ("expect_column_distinct_values_to_contain_set", {"column": "a", "value_set": [0, 12]}),
    ("expect_column_most_common_value_to_be_in_set", {"column": "b", "value_set": [0, 1], "ties_okay": True}),
    ("expect_column_pair_values_to_be_equal", {"column_A": "a", "column_B": "a"}),
    ("expect_column_pair_values_to_be_in_set", {"column_A": "status", "column_B": "b", "value_pairs_set": [
        ["open", 0], ["shipped", 1]], "mostly": 0.01}),
    ("expect_multicolumn_sum_to_equal", {"column_list": ["a", "b", "c"], "sum_total": 20}),
    ("expect_table_column_count_to_equal", {"value": 10}),
    ("expect_column_values_to_not_be_null", {"column": "discount", "mostly": 0.85}),
]


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _child_reform(database: str, path: str) -> dict:
    import duckdb

    from warehouse.check import load_suites, run_suites
    from warehouse.core.relation import quote_relation
    from warehouse.engine.duckdb_engine import DuckDBEngine

    con = duckdb.connect(database, read_only=True)
    rows = con.execute("SELECT table_schema, table_name FROM information_schema.tables").fetchall()
    relations = {name: quote_relation(schema, name) for schema, name in rows}
    suites = load_suites(ROOT / "data_checks")
    results = run_suites(DuckDBEngine.from_connection(con), suites, relations.__getitem__, path=path)
    return {"suites": len(suites), "expectations": sum(len(s.expectations) for s in suites),
            "answers": [(r.suite, r.index, r.success, r.unexpected_count) for s in results for r in s.results],
            "paths": sorted({s.path for s in results})}


def _child_wide(rows: int, path: str) -> dict:
    import duckdb

    from warehouse.check import run_suites
    from warehouse.check.model import Expectation, Suite
    from warehouse.engine.duckdb_engine import DuckDBEngine

    con = duckdb.connect()
    con.execute(WIDE_TABLE.format(rows=rows))
    exps = tuple(Expectation(i, t, kw, {}) for i, (t, kw) in enumerate(WIDE_SUITE))
    started, cpu = time.perf_counter(), _cpu()   # the table is not part of the check's cost
    (result,) = run_suites(DuckDBEngine.from_connection(con), [Suite("wide", None, None, "SELECT * FROM wide",
                                                                     exps, {})], str, path=path)
    return {"seconds_after_table": time.perf_counter() - started, "cpu_after_table": _cpu() - cpu,
            "expectations": len(exps), "answers": [(r.index, r.success, r.unexpected_count) for r in result.results],
            "errors": [r.exception for r in result.results if r.exception], "paths": [result.path]}


def _run_child(*args: str) -> dict:
    """One fresh interpreter: wall and CPU seconds from start (imports included) to the end."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True,
                          check=True, cwd=ROOT)
    found = json.loads(done.stdout.strip().splitlines()[-1])
    found["process_seconds"] = time.perf_counter() - started
    return found


def _build_reform() -> Path:
    sys.path.insert(0, str(ROOT))
    from tests.conftest import cli, copy_reform_project

    project = copy_reform_project(Path(tempfile.mkdtemp(prefix="bench_suites_")) / "reform")
    outcome = cli(project, "build")
    if outcome.code != 0:
        raise SystemExit(f"reform build failed:\n{outcome.text[-2000:]}")
    return project


def _report(title: str, sql: dict, gx: dict) -> None:
    agree = sql["answers"] == gx["answers"]
    print(f"\n{title}: {sql.get('suites', 1)} suite(s), {sql['expectations']} expectations; "
          f"paths used: sql run {sql['paths']}, gx run {gx['paths']}; answers identical: {'yes' if agree else 'NO'}")
    print(f"{'':22} | {'SQL path':>9} | {'GX path':>9} | GX / SQL")
    for key, label in (("process_seconds", "process wall s"), ("cpu", "process CPU s"),
                       ("seconds_after_table", "checks only, wall s"), ("cpu_after_table", "checks only, CPU s")):
        if key in sql:
            print(f"{label:22} | {sql[key]:9.2f} | {gx[key]:9.2f} | {gx[key] / max(sql[key], 1e-9):6.1f}x")
    if sql.get("errors") or gx.get("errors"):
        print(f"errors: sql {sql.get('errors')} gx {gx.get('errors')}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--built", type=Path, help="a reform project already built (skips the build)")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--child", nargs="*")
    args = parser.parse_args()
    if args.child is not None:
        kind, target, path = args.child
        found = _child_reform(target, path) if kind == "reform" else _child_wide(int(target), path)
        found["cpu"] = _cpu()
        print(json.dumps(found, default=str))
        return
    load = os.getloadavg()[0]
    print(f"load average {load:.1f} on {os.cpu_count()} cores; GX figures include its import (fresh process)")
    project = args.built or _build_reform()
    database = str(project / "warehouse.duckdb")
    _report("reform suites", _run_child("reform", database, "sql"), _run_child("reform", database, "gx"))
    _report(f"{args.rows:,}-row table, widened types", _run_child("wide", str(args.rows), "sql"),
            _run_child("wide", str(args.rows), "gx"))


if __name__ == "__main__":
    main()
