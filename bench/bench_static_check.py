"""How long `analyze` takes on a generated project of ~200 models (prints figures, asserts nothing).

The engine runs `analyze` at the start of every build, so its cost is paid every time.
Layers mirror a real project: staging models rename and cast raw tables, intermediate models
join staging models in CTEs with window functions, marts aggregate intermediate models.

    .venv/bin/python bench/bench_static_check.py [--models 200] [--repeat 5]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlglot  # noqa: E402

from warehouse.sql.static_check import Relation, SqlModel, analyze  # noqa: E402

EXTRA = [f"attr_{i}" for i in range(8)]


def relations(count: int) -> list[Relation]:
    base = {"id": "INTEGER", "parent_id": "INTEGER", "amount": "DECIMAL(12,2)", "status": "VARCHAR",
            "created_at": "TIMESTAMP"}
    return [Relation(f"src_{i}", "raw", {**base, **dict.fromkeys(EXTRA, "VARCHAR")}) for i in range(count)]


def _model(name: str, layer: str, body: str, refs: dict[str, tuple[str, str]], **values: object) -> SqlModel:
    """`body` rendered twice: with ref()/source() calls (raw) and with table names (compiled)."""
    raw_refs = {
        key: f"{{{{ source('raw', '{node}') }}}}" if schema == "raw" else f"{{{{ ref('{node}') }}}}"
        for key, (schema, node) in refs.items()
    }
    compiled_refs = {key: f'"{schema}"."{node}"' for key, (schema, node) in refs.items()}
    raw, compiled = body.format(**values, **raw_refs), body.format(**values, **compiled_refs)
    return SqlModel(name, layer, Path(f"models/{layer}/{name}.sql"), raw, compiled, (), layer)


STAGING = """select
    id as e{index}_id,
    parent_id,
    cast(amount as double) as amount,
    case when status in ('ok', 'done') then 'closed' else lower(status) end as status,
    date_trunc('day', created_at) as created_day,
    {extra}
from {source}
where id is not null"""

INTERMEDIATE = """with a as (
    select * from {ref_a}
),
b as (
    select * from {ref_b} where status <> 'closed'
),
joined as (
    select
        a.e{a}_id as id,
        a.amount,
        b.amount as other_amount,
        a.status,
        b.created_day,
        row_number() over (partition by a.parent_id order by b.created_day desc) as recency
    from a
    left join b on a.parent_id = b.e{b}_id
)
select id, amount, other_amount, status, created_day,
    sum(amount) over (partition by status order by created_day) as running_amount
from joined
where recency = 1"""

MART = """with orders as (
    select * from {ref_a}
),
other as (
    select id, running_amount from {ref_b}
)
select
    orders.status,
    date_trunc('month', orders.created_day) as month,
    count(*) as n,
    sum(orders.amount) as amount,
    avg(other.running_amount) as avg_running,
    max(orders.other_amount) filter (where orders.amount > 0) as max_other
from orders
join other using (id)
group by all
having count(*) > 1"""


def staging(index: int, sources: int) -> SqlModel:
    extra = ",\n    ".join(f"trim({c}) as {c}" for c in EXTRA)
    refs = {"source": ("raw", f"src_{index % sources}")}
    return _model(f"stg_{index}", "staging", STAGING, refs, index=index, extra=extra)


def intermediate(index: int, staged: int) -> SqlModel:
    a, b = index % staged, (index * 7 + 3) % staged
    refs = {"ref_a": ("staging", f"stg_{a}"), "ref_b": ("staging", f"stg_{b}")}
    return _model(f"int_{index}", "intermediate", INTERMEDIATE, refs, a=a, b=b)


def mart(index: int, inter: int) -> SqlModel:
    a, b = index % inter, (index * 5 + 1) % inter
    refs = {"ref_a": ("intermediate", f"int_{a}"), "ref_b": ("intermediate", f"int_{b}")}
    return _model(f"mart_{index}", "marts", MART, refs)


def project(total: int) -> tuple[list[SqlModel], list[Relation]]:
    n_stg, n_int = total * 2 // 5, total * 7 // 20
    n_mart = total - n_stg - n_int
    rels = relations(max(1, total // 10))
    models = [staging(i, len(rels)) for i in range(n_stg)]
    models += [intermediate(i, n_stg) for i in range(n_int)]
    models += [mart(i, n_int) for i in range(n_mart)]
    return models, rels


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    models, rels = project(args.models)

    timings = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        analysis = analyze(models, rels)
        timings.append(time.perf_counter() - start)
    print(f"{len(models)} models, {len(rels)} relations, {args.repeat} runs")
    print(f"diagnostics: {len(analysis.diagnostics)} (expected 0)")
    print(f"first run: {timings[0] * 1000:8.1f} ms total, {timings[0] / len(models) * 1000:6.2f} ms/model")
    best, median = min(timings), statistics.median(timings)
    print(f"best run:  {best * 1000:8.1f} ms total, {best / len(models) * 1000:6.2f} ms/model")
    print(f"median:    {median * 1000:8.1f} ms total, {median / len(models) * 1000:6.2f} ms/model")
    _per_layer(models, rels)
    parse = min(_timed_parse(models) for _ in range(3))
    print(f"sqlglot.parse alone: {parse / len(models) * 1000:6.2f} ms/model ({parse / best:.0%} of the best run)")


def _timed_parse(models: list[SqlModel]) -> float:
    start = time.perf_counter()
    for model in models:
        sqlglot.parse(model.compiled_sql, dialect="duckdb")
    return time.perf_counter() - start


def _per_layer(models: list[SqlModel], rels: list[Relation]) -> None:
    """Per-layer cost: time analysing layers cumulatively and take differences."""
    previous = 0.0
    cumulative: list[SqlModel] = []
    for layer in ("staging", "intermediate", "marts"):
        cumulative += [m for m in models if m.layer == layer]
        elapsed = min(_timed(cumulative, rels) for _ in range(3))
        count = sum(1 for m in models if m.layer == layer)
        print(f"  {layer:<13} {count:4d} models  {(elapsed - previous) / count * 1000:6.2f} ms/model")
        previous = elapsed


def _timed(models: list[SqlModel], rels: list[Relation]) -> float:
    start = time.perf_counter()
    analyze(models, rels)
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
