-- mart_budget_totals covers every EB152/34 Annex 1 action once and loses no amount.
with mart as (
    select
        sum(actions) as actions,
        sum(actions_with_figure) as with_figure,
        sum(cost_low_usd) as low,
        sum(cost_high_usd) as high
    from {{ ref('mart_budget_totals') }}
),

lines as (
    select
        count(*) as actions,
        count(*) filter (where has_figure) as with_figure,
        sum(cost_low_usd) as low,
        sum(coalesce(cost_high_usd, cost_low_usd)) as high
    from {{ ref('stg_eb152__budget_lines') }}
),

annex_1 as (
    select count(*) as actions
    from {{ ref('fct_reform_actions') }}
    where plan_code = 'EB152/34' and annex = 1
)

select m.*, l.actions as line_actions, a.actions as annex_1_actions
from mart as m, lines as l, annex_1 as a
where m.actions <> l.actions or m.actions <> a.actions
    or m.with_figure <> l.with_figure or m.low <> l.low or m.high <> l.high
