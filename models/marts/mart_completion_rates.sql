-- Completion per plan and per plan x category, from fct_reform_actions (real data).
-- A plan that reports no status for any action (CSU 2008) has no completion rate: its 0% would
-- say "nothing done" where the document says nothing.
with reporting_plans as (
    select plan_code
    from {{ ref('fct_reform_actions') }}
    group by plan_code
    having bool_or(status <> 'unknown')
),

actions as (
    select plan_code, category_no, category_zh, category_en, is_completed
    from {{ ref('fct_reform_actions') }}
    where plan_code in (select plan_code from reporting_plans)
),

rates as (
    select
        plan_code,
        'plan' as grain,
        cast(null as integer) as category_no,
        cast(null as varchar) as category_zh,
        cast(null as varchar) as category_en,
        count(*) as actions,
        count(*) filter (where is_completed) as completed
    from actions
    group by plan_code

    union all

    select
        plan_code,
        'plan_category' as grain,
        category_no,
        category_zh,
        category_en,
        count(*) as actions,
        count(*) filter (where is_completed) as completed
    from actions
    group by plan_code, category_no, category_zh, category_en
)

select
    plan_code,
    grain,
    category_zh,
    category_en,
    actions,
    completed,
    {{ safe_ratio('completed', 'actions') }} as completion_rate
from rates
order by plan_code, grain, category_no nulls last, category_en
