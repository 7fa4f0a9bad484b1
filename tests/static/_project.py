"""Builds SqlModel and Relation objects as the engine does: Jinja rendered with ref() and source().

The compiled SQL is really rendered from the raw SQL, so line numbers differ between the two
wherever a `{% for %}` loop or a multi-line `{% set %}` moves them, as in a real project.
"""
from __future__ import annotations

from pathlib import Path

import jinja2

from warehouse.sql.static_check import Relation, SqlModel

SCHEMAS = {"stg_": "staging", "int_": "intermediate"}
LAYERS = {"staging": "staging", "intermediate": "intermediate"}

RELATIONS = [
    Relation(
        "eb152_actions",
        "raw",
        {
            "action_id": "VARCHAR",
            "annex": "INTEGER",
            "action_no": "INTEGER",
            "category_en": "VARCHAR",
            "functional_area_en": "VARCHAR",
            "status_raw": "VARCHAR",
            "tags": "VARCHAR[]",
            "meta": "STRUCT(page INTEGER, note VARCHAR)",
        },
    ),
    Relation(
        "eb152_budget_lines",
        "raw",
        {"action_id": "VARCHAR", "cost_low_usd": "BIGINT", "cost_high_usd": "BIGINT", "has_figure": "BOOLEAN"},
    ),
]


def schema_for(name: str) -> str:
    return next((schema for prefix, schema in SCHEMAS.items() if name.startswith(prefix)), "marts")


def render(raw: str) -> str:
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    return env.from_string(raw).render(
        ref=lambda name: f'"{schema_for(name)}"."{name}"',
        source=lambda schema, name: f'"{schema}"."{name}"',
        config=lambda **_: "",
    )


def model(name: str, raw: str, *, docs: tuple[str, ...] = (), static_check: bool = True) -> SqlModel:
    schema = schema_for(name)
    layer = LAYERS.get(schema, "marts")
    path = Path("models") / layer / f"{name}.sql"
    return SqlModel(name, schema, path, raw, render(raw), docs, layer, static_check)


STG_ACTIONS = model(
    "stg_eb152__actions",
    """\
{{ config(materialized='view') }}
-- one row per reform action
select
    action_id,
    annex,
    action_no,
    category_en as category,
    functional_area_en as functional_area,
    status_raw
from {{ source('raw', 'eb152_actions') }}
""",
    docs=("action_id", "annex", "action_no", "category", "functional_area", "status_raw"),
)

STG_BUDGET = model(
    "stg_eb152__budget_lines",
    """\
select
    action_id,
    cost_low_usd,
    cost_high_usd,
    has_figure
from {{ source('raw', 'eb152_budget_lines') }}
""",
)

INT_COSTED = model(
    "int_actions_costed",
    """\
with actions as (
    select * from {{ ref('stg_eb152__actions') }}
),
budget as (
    select action_id, cost_low_usd, cost_high_usd from {{ ref('stg_eb152__budget_lines') }}
)
select
    actions.action_id,
    actions.category,
    case when actions.status_raw = 'done' then 'done' else 'open' end as status,
    coalesce(budget.cost_high_usd, budget.cost_low_usd) as cost_usd
from actions
left join budget on actions.action_id = budget.action_id
""",
)

FCT_COSTS = model(
    "fct_category_costs",
    """\
{{ config(materialized='table') }}
select
    category,
    count(*) as n_actions,
    sum(cost_usd) as total_cost_usd,
    sum(case when status = 'done' then 1 else 0 end) as n_done,
    rank() over (order by sum(cost_usd) desc) as cost_rank
from {{ ref('int_actions_costed') }}
group by category
""",
)

MODELS = [STG_ACTIONS, STG_BUDGET, INT_COSTED, FCT_COSTS]
