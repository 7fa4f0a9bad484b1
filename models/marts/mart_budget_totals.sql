-- EB152/34 Annex 1 cost estimates (real data) per budget status and cost basis.
-- Amounts of different bases (one-off, per year, per biennium, per visit) are never added.
select
    plan_code,
    budget_status,
    budget_status_raw,
    cost_basis,
    count(*) as actions,
    count(*) filter (where has_figure) as actions_with_figure,
    sum(cost_low_usd) as cost_low_usd,
    sum(cost_high_for_totals_usd) as cost_high_usd,
    count(*) filter (where is_open_ended) as actions_open_ended
from {{ ref('int_budget_lines__parsed') }}
group by plan_code, budget_status, budget_status_raw, cost_basis
order by
    plan_code,
    list_position(
        ['budgeted', 'partially_budgeted', 'not_budgeted', 'to_be_completed', 'not_applicable', 'unspecified'],
        budget_status
    ) nulls last,
    list_position(['one_off', 'per_year', 'per_biennium', 'per_visit', 'no_figure'], cost_basis) nulls last
