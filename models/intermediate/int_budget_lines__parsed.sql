-- EB152/34 Annex 1 cost estimates, one row per action, ready to total.
-- cost_high_for_totals_usd applies the warehouse's rule for open ranges: a missing upper
-- amount counts as the lower one ('40 000+' adds 40 000 to both totals).
-- cost_basis is 'no_figure' where the cell gives no amount, so every action has a basis.
select
    b.action_id as action_key,
    a.plan_code,
    b.annex,
    b.action_no,
    a.category_zh,
    a.category_en,
    b.budget_status_raw,
    b.budget_status,
    b.estimated_cost_raw,
    b.has_figure,
    b.no_figure_reason,
    coalesce(b.cost_basis, 'no_figure') as cost_basis,
    b.amount_basis,
    b.cost_low_usd,
    b.cost_high_usd,
    {{ cost_high_or_low('b.cost_low_usd', 'b.cost_high_usd') }} as cost_high_for_totals_usd,
    b.has_figure and b.cost_high_usd is null as is_open_ended,
    b.source_doc,
    b.source_ref
from {{ ref('stg_eb152__budget_lines') }} as b
inner join {{ ref('stg_eb152__actions') }} as a on a.action_id = b.action_id
