"""Generate a synthetic dbt project that dbt-duckdb and reform-warehouse both build unchanged.

    python bench/generate.py OUT --models 1000 --rows 1000000 [--checks]

The project is written as dbt writes one: `dbt_project.yml`, `profiles.yml`, `seeds/`,
`models/{staging,intermediate,marts}/` with one properties YAML per folder, and a Parquet
fact table of `--rows` rows in `data/`. Every model has `unique` and `not_null` tests on its
key. Older reform-warehouse versions read only `warehouse.yml`: one with the
same settings can be written beside it (`--warehouse-yml`) for versions that predate it.

Shape of the DAG (deterministic for a given `--models`/`--seed`):
- staging (views): the fact (a dbt-duckdb external source, `meta: external_location`, over the
  generated Parquet file) and one model per seed;
- `int_sales` (table, one row per fact row): the fact joined to products, categories,
  statuses and regions (fan-in of 5);
- one aggregate per grain (customer, product, region, day, category) over `int_sales`
  (fan-out of 5) and `fct_sales` (a second fact-sized table);
- the remaining models, in layers, each reading one model of the layer before it and
  left-joining up to two earlier models of the same grain (fan-in), so most models feed
  several later ones (fan-out). Every third is a view (intermediate/), the rest tables (marts/).
Every model has the columns `key, amount, cnt, score` past staging and is unique on `key`, so
every test passes and the build publishes.

All relations live in the schema `main` (no custom schemas): both tools then name every
relation the same, and the raw-DuckDB floor can run either tool's compiled SQL as it is.
"""
from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

GRAINS = ("customer", "product", "region", "day", "category")
GRAIN_KEY = {"customer": "customer_id", "product": "product_id", "region": "region_id",
             "day": "day_no", "category": "category_id"}
FIXED_MODELS = 13    # 5 staging + int_sales + fct_sales + 5 aggregates + 1 (first generic, minimum)
PROJECT = "bench"


@dataclass
class Model:
    name: str
    folder: str
    sql: str
    key: str
    grain: str = ""
    parents: list[str] = field(default_factory=list)


@dataclass
class Spec:
    models: int = 100
    rows: int = 10_000
    checks: bool = False
    seed: int = 16
    threads: int = 1
    exports: bool = False            # reform-warehouse exports marts/ to Parquet by default; dbt does not
    warehouse_yml: bool = False      # only for versions of reform-warehouse that predate dbt_project.yml

    @property
    def customers(self) -> int:
        return max(10, self.rows // 100)


def generate(out: Path, spec: Spec) -> dict:
    """Write the project into `out` (created; must not hold another project) and return its plan."""
    out = out.resolve()
    (out / "data").mkdir(parents=True, exist_ok=True)
    fact = out / "data" / "fact_sales.parquet"
    write_fact(fact, spec.rows, spec.customers)
    write_seeds(out / "seeds")
    models = plan_models(spec)
    for folder in ("staging", "intermediate", "marts"):
        (out / "models" / folder).mkdir(parents=True, exist_ok=True)
    for model in models:
        (out / "models" / model.folder / f"{model.name}.sql").write_text(model.sql + "\n")
    (out / "macros").mkdir(exist_ok=True)
    (out / "macros" / "money.sql").write_text(
        "{% macro round_money(expression, digits=2) -%}\n    round({{ expression }}, {{ digits }})\n{%- endmacro %}\n")
    write_properties(out, models)
    write_sources(out, fact)
    write_project_files(out, spec, fact)
    if spec.checks:
        write_suites(out / "data_checks", models, spec)
    plan = {"models": len(models), "rows": spec.rows, "tests": 2 * len(models) + 2 * len(SEEDS),
            "fact": str(fact), "names": [m.name for m in models]}
    (out / "bench_plan.json").write_text(json.dumps(plan, indent=1) + "\n")
    return plan


# -- data ----------------------------------------------------------------------------------------

def write_fact(path: Path, rows: int, customers: int) -> None:
    """The fact table: deterministic pseudo-random keys, amounts and statuses (DuckDB writes it)."""
    import duckdb

    with duckdb.connect() as con:
        con.execute(f"""
            copy (
              select range::bigint as id,
                     ((range * 2654435761) % {customers})::integer as customer_id,
                     ((range * 40503) % 1000)::integer as product_id,
                     ((range * 7) % 50)::integer as region_id,
                     (range % 730)::integer as day_no,
                     date '2024-01-01' + (range % 730)::integer as sold_on,
                     round(((range * 31) % 100000) / 100.0, 2)::double as amount,
                     (1 + range % 9)::integer as qty,
                     ['open', 'paid', 'void', 'refunded'][1 + (range % 4)::integer] as status
              from range({rows})
            ) to '{path}' (format parquet, compression zstd, row_group_size 122880)""")


SEEDS = {
    "seed_regions": ("region_id,region_name,weight", lambda i: f"{i},region {i},{1 + i % 5}", 50),
    "seed_products": ("product_id,category_id,price", lambda i: f"{i},{i % 20},{(i * 37) % 500 / 10}", 1000),
    "seed_categories": ("category_id,category_name", lambda i: f"{i},category {i}", 20),
    "seed_statuses": ("status,is_final", None, 4),
}
SEED_TYPES = {
    "seed_regions": {"region_id": "integer", "region_name": "varchar", "weight": "integer"},
    "seed_products": {"product_id": "integer", "category_id": "integer", "price": "double"},
    "seed_categories": {"category_id": "integer", "category_name": "varchar"},
    "seed_statuses": {"status": "varchar", "is_final": "boolean"},
}
SEED_KEY = {"seed_regions": "region_id", "seed_products": "product_id",
            "seed_categories": "category_id", "seed_statuses": "status"}


def write_seeds(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, (header, row, count) in SEEDS.items():
        if row is None:
            lines = ["open,false", "paid,true", "void,true", "refunded,true"]
        else:
            lines = [row(i) for i in range(count)]
        (folder / f"{name}.csv").write_text("\n".join([header, *lines]) + "\n")
    entries = []
    for name, types in SEED_TYPES.items():
        cols = "".join(f"          {c}: {t}\n" for c, t in types.items())
        key = SEED_KEY[name]
        documented = "".join(f"      - name: {c}\n" + ("        data_tests: [unique, not_null]\n" if c == key else "")
                             for c in types)
        entries.append(f"  - name: {name}\n    config:\n      column_types:\n{cols}    columns:\n{documented}")
    (folder / "_seeds.yml").write_text("version: 2\nseeds:\n" + "".join(entries))


# -- models --------------------------------------------------------------------------------------

def plan_models(spec: Spec) -> list[Model]:
    """The staging and core models, then `spec.models - 12` generic models in layers."""
    models = _core_models()
    by_grain = {g: [f"agg_{g}"] for g in GRAINS}
    rng = random.Random(spec.seed)
    remaining = max(1, spec.models - len(models))
    width = max(len(GRAINS), int(remaining ** 0.5) * 2)     # layers of about 2*sqrt(n) models
    previous_layer: dict[str, list[str]] = {g: [f"agg_{g}"] for g in GRAINS}
    layer: dict[str, list[str]] = {g: [] for g in GRAINS}
    for i in range(remaining):
        if i and i % width == 0:
            previous_layer = {g: layer[g] or previous_layer[g] for g in GRAINS}
            layer = {g: [] for g in GRAINS}
        grain = GRAINS[i % len(GRAINS)]
        primary = rng.choice(previous_layer[grain])
        others = [m for m in by_grain[grain] if m != primary]
        extra = rng.sample(others, k=min(len(others), rng.choice((0, 1, 1, 2))))
        view = i % 3 == 2
        name = f"{'int' if view else 'mart'}_{grain}_{i:05d}"
        models.append(Model(name, "intermediate" if view else "marts", _generic_sql(i, primary, extra, grain),
                            "key", grain, [primary, *extra]))
        by_grain[grain].append(name)
        layer[grain].append(name)
    return models


def _core_models() -> list[Model]:
    models = [
        Model("stg_sales", "staging",
              "select id, customer_id, product_id, region_id, day_no, sold_on, amount, qty, status\n"
              "from {{ source('bench_raw', 'fact_sales') }}", "id"),
        Model("stg_regions", "staging", "select region_id, region_name, weight from {{ ref('seed_regions') }}",
              "region_id"),
        Model("stg_products", "staging", "select product_id, category_id, price from {{ ref('seed_products') }}",
              "product_id"),
        Model("stg_categories", "staging",
              "select category_id, category_name from {{ ref('seed_categories') }}", "category_id"),
        Model("stg_statuses", "staging", "select status, is_final from {{ ref('seed_statuses') }}", "status"),
        Model("int_sales", "intermediate", _INT_SALES, "id",
              parents=["stg_sales", "stg_products", "stg_categories", "stg_statuses", "stg_regions"]),
        Model("fct_sales", "marts",
              "select s.id, s.customer_id, s.sold_on, s.amount * s.qty as revenue, s.category_name, s.region_name\n"
              "from {{ ref('int_sales') }} as s\nwhere not s.is_void", "id", parents=["int_sales"]),
    ]
    for grain in GRAINS:
        column = GRAIN_KEY[grain]
        models.append(Model(
            f"agg_{grain}", "marts",
            f"select {column} as key, sum(amount * qty) as amount, count(*) as cnt, 0 as score\n"
            f"from {{{{ ref('int_sales') }}}}\ngroup by {column}", "key", grain, ["int_sales"]))
    return models


_INT_SALES = """\
{{ config(materialized='table') }}
select
    f.id, f.customer_id, f.product_id, f.region_id, f.day_no, f.sold_on, f.amount, f.qty, f.status,
    p.category_id, c.category_name, p.price, r.region_name, r.weight,
    s.is_final and f.status = 'void' as is_void
from {{ ref('stg_sales') }} as f
left join {{ ref('stg_products') }} as p on p.product_id = f.product_id
left join {{ ref('stg_categories') }} as c on c.category_id = p.category_id
left join {{ ref('stg_statuses') }} as s on s.status = f.status
left join {{ ref('stg_regions') }} as r on r.region_id = f.region_id"""


def _generic_sql(i: int, primary: str, extra: list[str], grain: str) -> str:
    """One layered model: its primary parent, left-joined to 0-2 earlier models of its grain."""
    joins = "".join(
        f"\nleft join (select key, amount as amount_{j}, cnt as cnt_{j} from {{{{ ref('{name}') }}}}) as p{j} using (key)"
        for j, name in enumerate(extra, 1))
    amount = " + ".join(["base.amount", *(f"coalesce(p{j}.amount_{j}, 0) * 0.5" for j in range(1, len(extra) + 1))])
    cnt = " + ".join(["base.cnt", *(f"coalesce(p{j}.cnt_{j}, 0)" for j in range(1, len(extra) + 1))])
    where = f"\nwhere base.amount >= {i % 7}" if i % 4 == 0 else ""
    return (f"-- layered model {i} ({grain} grain)\n"
            f"select base.key,\n       {{{{ round_money('{amount}') }}}} as amount,\n       {cnt} as cnt,\n"
            f"       base.score + {1 + i % 3} as score\n"
            f"from {{{{ ref('{primary}') }}}} as base{joins}{where}")


def write_properties(out: Path, models: list[Model]) -> None:
    """One properties YAML per folder, every model documented with unique + not_null on its key."""
    for folder in ("staging", "intermediate", "marts"):
        entries = [f"  - name: {m.name}\n    description: Generated {m.grain or folder} model.\n"
                   f"    columns:\n      - name: {m.key}\n        description: Primary key.\n"
                   f"        data_tests: [unique, not_null]\n"
                   for m in models if m.folder == folder]
        (out / "models" / folder / f"_{folder}__models.yml").write_text("version: 2\nmodels:\n" + "".join(entries))


def write_sources(out: Path, fact: Path) -> None:
    """The fact file as a dbt-duckdb external source: the one file model SQL reads directly, and the
    folder reform-warehouse lets model SQL read (its models run with DuckDB's file limits)."""
    (out / "models" / "staging" / "_sources.yml").write_text(
        "version: 2\nsources:\n  - name: bench_raw\n    tables:\n      - name: fact_sales\n"
        f"        meta:\n          external_location: \"{fact}\"\n")


def write_project_files(out: Path, spec: Spec, fact: Path) -> None:
    (out / "dbt_project.yml").write_text(
        f"name: {PROJECT}\nversion: '1.0.0'\nconfig-version: 2\nprofile: {PROJECT}\n"
        "model-paths: [models]\nseed-paths: [seeds]\nmacro-paths: [macros]\ntest-paths: [tests]\n"
        f"vars:\n  fact_path: '{fact}'\n"
        f"models:\n  {PROJECT}:\n    staging:\n      +materialized: view\n"
        "    intermediate:\n      +materialized: view\n    marts:\n      +materialized: table\n"
        + ("" if spec.exports else "      +export: false   # reform-warehouse only: no Parquet exports, as dbt\n"))
    (out / "profiles.yml").write_text(
        f"{PROJECT}:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n"
        f"      path: warehouse.duckdb\n      schema: main\n      threads: {spec.threads}\n")
    if spec.warehouse_yml:
        (out / "warehouse.yml").write_text(
            f"# the same settings as dbt_project.yml, for versions of reform-warehouse that read only this file\n"
            f"name: {PROJECT}\nmodel-paths: [models]\nseed-paths: [seeds]\nmacro-paths: [macros]\n"
            f"test-paths: [tests]\ndatabase: warehouse.duckdb\nthreads: {spec.threads}\n"
            f"vars:\n  fact_path: '{fact}'\n"
            "models:\n  staging:\n    +materialized: view\n  intermediate:\n    +materialized: view\n"
            "  marts:\n    +materialized: table\n")


def write_suites(folder: Path, models: list[Model], spec: Spec) -> None:
    """Expectation suites (reform-warehouse only; dbt ignores data_checks/) for the core models."""
    folder.mkdir(parents=True, exist_ok=True)
    for model in models:
        if model.name not in ("int_sales", "fct_sales") and not model.name.startswith("agg_"):
            continue
        expectations = [
            {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": model.key}},
            {"type": "expect_column_values_to_be_unique", "kwargs": {"column": model.key}},
        ]
        if model.name in ("int_sales",):
            expectations.append({"type": "expect_table_row_count_to_equal", "kwargs": {"value": spec.rows}})
            expectations.append({"type": "expect_column_values_to_be_between",
                                 "kwargs": {"column": "amount", "min_value": 0, "max_value": 1000}})
        (folder / f"{model.name}.json").write_text(json.dumps(
            {"name": model.name, "meta": {"model": model.name}, "expectations": expectations}, indent=1) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--models", type=int, default=100)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--checks", action="store_true", help="also write expectation suites (data_checks/)")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--exports", action="store_true", help="keep reform-warehouse's Parquet exports of marts/")
    parser.add_argument("--warehouse-yml", action="store_true",
                        help="also write warehouse.yml (for versions that do not read dbt_project.yml)")
    args = parser.parse_args()
    plan = generate(args.out, Spec(args.models, args.rows, args.checks, args.seed, args.threads, args.exports,
                                   args.warehouse_yml))
    print(f"wrote {args.out}: {plan['models']} models, {plan['tests']} tests, {plan['rows']} fact rows")


if __name__ == "__main__":
    main()
