-- One row per action of every reform plan: EB152/34 (real, 98) and the UNOSSC MTR (real, 28).
select
    action_key,
    plan_code,
    annex,
    action_no,
    action_ref,
    category_zh,
    category_en,
    status_raw,
    status,
    status = 'completed' as is_completed,
    budget_status_raw,
    budget_status,
    due_date,
    responsible_unit,
    source_doc,
    source_ref,
    category_no,
    recommendation_no,
    action_text,
    action_text_language,
    status_as_of
from {{ ref('int_reform_actions__unioned') }}
order by plan_code, annex, category_no nulls last, action_no, recommendation_no, action_ref
