-- Each plan row of mart_completion_rates equals the sum of its category rows and the fact.
with plan_rows as (
    select plan_code, actions, completed from {{ ref('mart_completion_rates') }} where grain = 'plan'
),

category_sums as (
    select plan_code, sum(actions) as actions, sum(completed) as completed
    from {{ ref('mart_completion_rates') }}
    where grain = 'plan_category'
    group by plan_code
),

fact as (
    -- plans that report a status (CSU 2008 prints none, so it has no completion rate)
    select plan_code, count(*) as actions, count(*) filter (where is_completed) as completed
    from {{ ref('fct_reform_actions') }}
    group by plan_code
    having bool_or(status <> 'unknown')
)

select f.plan_code, p.actions as plan_actions, c.actions as category_actions, f.actions as fact_actions,
       p.completed as plan_completed, c.completed as category_completed, f.completed as fact_completed
from fact as f
left join plan_rows as p on p.plan_code = f.plan_code
left join category_sums as c on c.plan_code = f.plan_code
where p.actions is distinct from f.actions
    or c.actions is distinct from f.actions
    or p.completed is distinct from f.completed
    or c.completed is distinct from f.completed
