-- Every EB152/34 budget line with an amount or a budget cell: the 60 Annex 1 actions
-- (line_kind 'action') and the unnumbered sub-heading rows that print budget cells
-- (line_kind 'subheading': the PSEAH row's US$ 15 000 000 per year). One shape, so an
-- exposure total can show both side by side without counting a sub-heading as an action.
select
    action_key as line_key,
    'action' as line_kind,
    plan_code,
    category_zh,
    category_en,
    budget_status,
    budget_status_raw,
    amount_basis,
    has_figure,
    cost_low_usd,
    cost_high_usd,
    cost_high_for_totals_usd,
    is_open_ended,
    source_doc,
    source_ref
from {{ ref('int_budget_lines__parsed') }}

union all

select
    s.line_id as line_key,
    s.line_kind,
    'EB152/34' as plan_code,
    s.category_zh,
    a.category_en,
    s.budget_status,
    s.budget_status_raw,
    s.amount_basis,
    s.has_figure,
    s.cost_low_usd,
    s.cost_high_usd,
    {{ cost_high_or_low('s.cost_low_usd', 's.cost_high_usd') }} as cost_high_for_totals_usd,
    s.has_figure and s.cost_high_usd is null as is_open_ended,
    s.source_doc,
    s.source_ref
from {{ ref('stg_eb152__subheading_budget_lines') }} as s
inner join (
    select distinct category_zh, category_en from {{ ref('stg_eb152__actions') }}
) as a on a.category_zh = s.category_zh
