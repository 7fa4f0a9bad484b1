-- One row per EB152/34 Annex 1 action with its estimated cost as parsed by the extractor.
select
    action_id,
    annex,
    action_no,
    budget_status_raw,
    {{ normalise_budget_status('budget_status_raw') }} as budget_status,
    estimated_cost_raw,
    cost_low_usd,
    cost_high_usd,
    cost_basis,
    {{ amount_basis('cost_basis', 'has_figure') }} as amount_basis,
    no_figure_reason,
    has_figure,
    source_doc,
    source_ref
from {{ ref('eb152_budget_lines') }}
