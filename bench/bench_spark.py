"""Benchmark: the same generated project on DuckDB and on Spark local. Prints figures; asserts nothing.

    .venv/bin/python bench/bench_spark.py --rows 1000000 [--rows 10000000] [--master local[2]]

The project: a Parquet fact of `--rows` sales rows and four small dimensions; a staging view
over the fact, one wide table joining it to every dimension (fact-sized), five aggregates (one
per grain), a QUALIFY top-3-per-region table, and `unique`/`not_null` tests on each mart key.
Both engines run the same DuckDB SQL through the `Engine` interface (Spark transpiles it), so
the figures are engine work plus our per-statement overhead. Each mart is compared across the
two engines (row counts and sums) so a fast wrong answer cannot pass unnoticed. Spark's session
start is reported apart from the build.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DIMENSIONS = {"product": 5000, "customer": 200000, "region": 12, "category": 40}
GRAINS = {"customer": "customer_id", "product": "product_id", "region": "region_id",
          "category": "category_id", "day": "day_no"}


def generate(folder: Path, rows: int) -> Path:
    """The fact and dimensions as Parquet (deterministic)."""
    import duckdb

    folder.mkdir(parents=True, exist_ok=True)
    with duckdb.connect() as con:
        con.execute(f"""copy (select range as sale_id, (range * 7919) % {DIMENSIONS['customer']} as customer_id,
                        (range * 104729) % {DIMENSIONS['product']} as product_id, range % 730 as day_no,
                        ((range * 31) % 10000) / 100.0 as amount, (range % 5) + 1 as quantity
                        from range({rows})) to '{folder}/fact.parquet' (format parquet)""")
        con.execute(f"""copy (select range as product_id, range % {DIMENSIONS['category']} as category_id,
                        'p' || range as product_name from range({DIMENSIONS['product']})) to '{folder}/product.parquet'""")
        con.execute(f"""copy (select range as customer_id, range % {DIMENSIONS['region']} as region_id
                        from range({DIMENSIONS['customer']})) to '{folder}/customer.parquet'""")
        con.execute(f"""copy (select range as region_id, 'region ' || range as region_name
                        from range({DIMENSIONS['region']})) to '{folder}/region.parquet'""")
        con.execute(f"""copy (select range as category_id, 'category ' || range as category_name
                        from range({DIMENSIONS['category']})) to '{folder}/category.parquet'""")
    return folder


def models(data: Path) -> list[tuple[str, str, str]]:
    """(kind, name, DuckDB SQL) in dependency order."""
    out = [("view", "stg_sales", f"select * from read_parquet('{data}/fact.parquet')")]
    out += [("table", f"dim_{d}", f"select * from read_parquet('{data}/{d}.parquet')") for d in DIMENSIONS]
    out.append(("table", "int_sales", """
        select s.sale_id, s.customer_id, s.product_id, s.day_no, s.amount, s.quantity,
               p.category_id, c.region_id, r.region_name, k.category_name, s.amount * s.quantity as revenue
        from main.stg_sales as s
        join main.dim_product as p on p.product_id = s.product_id
        join main.dim_customer as c on c.customer_id = s.customer_id
        join main.dim_region as r on r.region_id = c.region_id
        join main.dim_category as k on k.category_id = p.category_id"""))
    for grain, key in GRAINS.items():
        out.append(("table", f"mart_by_{grain}", f"""
            select {key}, count(*) as sales, sum(revenue) as revenue, avg(amount) as avg_amount,
                   count(*) filter (where quantity >= 3) as big_sales
            from main.int_sales group by {key}"""))
    out.append(("table", "mart_top_customers", """
        select region_id, customer_id, revenue,
               row_number() over (partition by region_id order by revenue desc, customer_id) as rank_in_region
        from (select region_id, customer_id, sum(revenue) as revenue from main.int_sales group by 1, 2)
        qualify rank_in_region <= 3"""))
    return out


def tests(marts: list[str]) -> list[str]:
    out = []
    for name in marts:
        key = "customer_id" if name == "mart_top_customers" else GRAINS[name.removeprefix("mart_by_")]
        if name != "mart_top_customers":
            out.append(f"select {key} from main.{name} group by {key} having count(*) > 1")
        out.append(f"select * from main.{name} where {key} is null")
    return out


def build(engine, project: list[tuple[str, str, str]]) -> dict[str, float]:
    timings = {}
    for kind, name, sql in project:
        started = time.perf_counter()
        (engine.create_view if kind == "view" else engine.create_table)("main", name, sql)
        timings[name] = time.perf_counter() - started
    started = time.perf_counter()
    marts = [n for _, n, _ in project if n.startswith("mart_")]
    for test in tests(marts):
        count, _, _ = engine.test_failures(test, 5)
        assert count == 0, test
    timings["tests"] = time.perf_counter() - started
    return timings


def fingerprint(engine, name: str) -> tuple:
    row = engine.fetchall(f"select count(*), round(sum(revenue), 2) from main.{name}")[0]
    return int(row[0]), float(row[1])


def run(rows: int, master: str, workdir: Path) -> None:
    data = generate(workdir / f"data-{rows}", rows)
    project = models(data)
    from warehouse.engine.duckdb_engine import DuckDBEngine

    duck = DuckDBEngine(workdir / f"duck-{rows}.duckdb")
    started = time.perf_counter()
    duck_times = build(duck, project)
    duck_total = time.perf_counter() - started

    from warehouse.engine.spark.engine import SparkEngine
    from warehouse.engine.spark.target import SparkTarget

    target = SparkTarget(master=master, warehouse_dir=workdir / f"spark-{rows}",
                         conf={"spark.sql.shuffle.partitions": os.environ.get("BENCH_SHUFFLE", "4"),
                               "spark.driver.memory": os.environ.get("BENCH_DRIVER_MEMORY", "2g")})
    started = time.perf_counter()
    spark = SparkEngine.for_target(target).open(workdir / f"spark-{rows}.json")
    session = time.perf_counter() - started
    started = time.perf_counter()
    spark_times = build(spark, project)
    spark_total = time.perf_counter() - started

    marts = [n for _, n, _ in project if n.startswith("mart_")]
    same = all(fingerprint(duck, m) == fingerprint(spark, m) for m in marts)
    print(f"\n== {rows:,} fact rows, Spark master {master} (machine: {os.cpu_count()} cores, shared) ==")
    print(f"{'step':<22}{'duckdb s':>10}{'spark s':>10}{'ratio':>8}")
    for name in [*[n for _, n, _ in project], "tests"]:
        d, s = duck_times[name], spark_times[name]
        print(f"{name:<22}{d:>10.2f}{s:>10.2f}{s / d if d else float('nan'):>8.1f}")
    print(f"{'build total':<22}{duck_total:>10.2f}{spark_total:>10.2f}{spark_total / duck_total:>8.1f}")
    print(f"spark session start: {session:.2f} s (not in the totals); marts equal across engines: {same}")
    duck.close()
    spark.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, action="append", help="fact rows (repeatable); default 1,000,000")
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    args = parser.parse_args()
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="bench-spark-"))
    try:
        for rows in args.rows or [1_000_000]:
            run(rows, args.master, workdir)
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
