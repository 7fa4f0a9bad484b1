-- EB152/34 cost exposure per plan, category and budget status (real data), as ranges, with
-- every basis in its own columns and the count of what has no figure beside the totals.
--   * amounts printed without a basis (basis_not_stated) are never added to amounts per year,
--     per biennium or per country visit;
--   * an open range ('40 000+') adds its printed lower amount to both low and high;
--   * sub-heading budget lines (the PSEAH row: US$ 15 000 000 per year) are not actions: they
--     are counted in subheading_lines and their amounts in the per-year columns, never in actions.
with lines as (
    select * from {{ ref('int_budget_lines__all_kinds') }}
)

select
    plan_code,
    category_zh,
    category_en,
    budget_status,
    budget_status_raw,
    count(*) filter (where line_kind = 'action') as actions,
    count(*) filter (where line_kind = 'action' and has_figure) as actions_with_amount,
    count(*) filter (where line_kind = 'action' and not has_figure) as actions_without_amount,
    count(*) filter (where line_kind = 'subheading') as subheading_lines,
    count(*) filter (where line_kind = 'subheading' and has_figure) as subheading_lines_with_amount,
    coalesce(sum(cost_low_usd) filter (where amount_basis = 'basis_not_stated'), 0) as basis_not_stated_low_usd,
    coalesce(sum(cost_high_for_totals_usd) filter (where amount_basis = 'basis_not_stated'), 0) as basis_not_stated_high_usd,
    coalesce(sum(cost_low_usd) filter (where amount_basis = 'per_year'), 0) as per_year_low_usd,
    coalesce(sum(cost_high_for_totals_usd) filter (where amount_basis = 'per_year'), 0) as per_year_high_usd,
    coalesce(sum(cost_low_usd) filter (where amount_basis = 'per_biennium'), 0) as per_biennium_usd,
    coalesce(sum(cost_low_usd) filter (where amount_basis = 'per_visit'), 0) as per_visit_usd,
    count(*) filter (where is_open_ended) as open_ended_amounts,
    count(*) filter (where amount_basis = 'basis_not_stated') as amounts_basis_not_stated,
    count(*) filter (where amount_basis = 'per_year') as amounts_per_year,
    count(*) filter (where amount_basis = 'per_biennium') as amounts_per_biennium,
    count(*) filter (where amount_basis = 'per_visit') as amounts_per_visit
from lines
group by plan_code, category_zh, category_en, budget_status, budget_status_raw
order by
    plan_code,
    category_en,
    list_position(
        ['budgeted', 'partially_budgeted', 'not_budgeted', 'to_be_completed', 'not_applicable', 'unspecified'],
        budget_status
    ) nulls last
