"""Merge the JSON of one or more `bench/run.py --json` runs into one table and one chart.

    .venv/bin/python bench/report.py compile.json build.json --svg docs/img/benchmarks.svg

Large runs (5,000 models, 10M rows) are best made separately, late and once; this puts their
rows beside the others. Prints the markdown table of `run.py` (ratios first, then medians).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from chart import ratios, svg  # noqa: E402
from run import Row, Sample, table  # noqa: E402


def load(paths: list[Path]) -> tuple[list[dict], list[dict]]:
    environments, rows = [], []
    for path in paths:
        data = json.loads(path.read_text())
        environments.append(data["environment"])
        rows += data["rows"]
    return environments, rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("json", nargs="+", type=Path)
    parser.add_argument("--svg", type=Path)
    args = parser.parse_args()
    environments, rows = load(args.json)
    for env in environments:
        print(f"- {env['date']}: {env['ours']}, {env.get('dbt', 'no dbt')}, duckdb {env['duckdb']}, "
              f"sqlglot {env['sqlglot']}, Python {env['python']}; {env['machine']}; load {env['load_at_start']:.1f}")
    typed = [Row(r["work"], {t: [Sample(**s) for s in ss] for t, ss in r["samples"].items()}, r["load"], r["extra"])
             for r in rows]
    print()
    print(table(typed))
    for row in typed:
        if row.extra:
            print(f"\ndisk after the builds of '{row.work}': {json.dumps(row.extra)}")
    if args.svg:
        args.svg.write_text(svg(ratios(rows), f"reform-warehouse vs dbt-duckdb and raw DuckDB "
                                              f"({environments[0]['date'][:10]}; lower is faster)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
