-- Budget lines of EB152/34's unnumbered Annex 1 sub-heading rows (not actions). The PSEAH row
-- carries US$ 15 000 000 per year, budgeted; the other two print dashes.
select
    line_id,
    line_kind,
    annex,
    group_id,
    follows_action_no,
    category_zh,
    functional_area_zh,
    text_zh,
    budget_status_raw,
    {{ normalise_budget_status('budget_status_raw') }} as budget_status,
    estimated_cost_raw,
    cost_low_usd,
    cost_high_usd,
    cost_basis,
    {{ amount_basis('cost_basis', 'has_figure') }} as amount_basis,
    has_figure,
    status_raw,
    source_doc,
    source_ref
from {{ ref('eb152_subheading_budget_lines') }}
