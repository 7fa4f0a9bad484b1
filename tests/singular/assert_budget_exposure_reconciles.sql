-- mart_budget_exposure covers every EB152/34 Annex 1 action and sub-heading budget line once, and
-- each basis total equals the seeds' amounts of that basis: nothing lost, nothing added across bases.
with mart as (
    select
        sum(actions) as actions,
        sum(actions_with_amount) as with_amount,
        sum(actions_without_amount) as without_amount,
        sum(subheading_lines) as subheading_lines,
        sum(basis_not_stated_low_usd) as unstated_low,
        sum(basis_not_stated_high_usd) as unstated_high,
        sum(per_year_low_usd) as per_year_low,
        sum(per_biennium_usd) as per_biennium,
        sum(per_visit_usd) as per_visit
    from {{ ref('mart_budget_exposure') }}
),

seeds as (
    select
        (select count(*) from {{ ref('eb152_budget_lines') }}) as actions,
        (select count(*) filter (where has_figure) from {{ ref('eb152_budget_lines') }}) as with_amount,
        (select count(*) filter (where not has_figure) from {{ ref('eb152_budget_lines') }}) as without_amount,
        (select count(*) from {{ ref('eb152_subheading_budget_lines') }}) as subheading_lines,
        (select sum(cost_low_usd) from {{ ref('eb152_budget_lines') }} where cost_basis = 'one_off') as unstated_low,
        (select sum(coalesce(cost_high_usd, cost_low_usd)) from {{ ref('eb152_budget_lines') }}
            where cost_basis = 'one_off') as unstated_high,
        (select sum(cost_low_usd) from {{ ref('eb152_budget_lines') }} where cost_basis = 'per_year')
            + (select sum(cost_low_usd) from {{ ref('eb152_subheading_budget_lines') }} where cost_basis = 'per_year')
            as per_year_low,
        (select sum(cost_low_usd) from {{ ref('eb152_budget_lines') }} where cost_basis = 'per_biennium') as per_biennium,
        (select sum(cost_low_usd) from {{ ref('eb152_budget_lines') }} where cost_basis = 'per_visit') as per_visit
)

select m.*, s.*
from mart as m, seeds as s
where m.actions <> s.actions or m.with_amount <> s.with_amount or m.without_amount <> s.without_amount
    or m.subheading_lines <> s.subheading_lines or m.unstated_low <> s.unstated_low
    or m.unstated_high <> s.unstated_high or m.per_year_low <> s.per_year_low
    or m.per_biennium <> s.per_biennium or m.per_visit <> s.per_visit
