"""The raw-DuckDB floor: the SQL a build compiled, executed directly, with nothing around it.

    python bench/floor.py PLAN.json DATABASE [--no-tests]

PLAN.json is written by `bench/run.py` from reform-warehouse's own artifacts of a build of the
same project (`target/manifest.json`, `target/compiled/`, `target/run_results.json`): the seed
loads, then every model as `create or replace view|table ... as <compiled SQL>` in dependency
order, then every test as `select count(*) from (<compiled test SQL>)`. This process imports
only duckdb: what is left of a build's time above this one is the tool's own overhead.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    import duckdb

    plan = json.loads(Path(argv[0]).read_text())
    database = Path(argv[1])
    for leftover in (database, database.with_name(database.name + ".wal")):
        leftover.unlink(missing_ok=True)
    con = duckdb.connect(str(database))
    for sql in plan["seeds"] + plan["models"]:
        con.execute(sql)
    failing = 0
    if "--no-tests" not in argv:
        for sql in plan["tests"]:
            failing += bool(con.execute(f"select count(*) from (\n{sql}\n) as __failures").fetchone()[0])
    con.close()
    print(f"{len(plan['seeds'])} seeds, {len(plan['models'])} models, "
          f"{0 if '--no-tests' in argv else len(plan['tests'])} tests ({failing} failing)")
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
