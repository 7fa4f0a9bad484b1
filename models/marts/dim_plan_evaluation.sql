-- The evaluation behind a reform plan (real data): the UNOSSC mid-term review's record from
-- the UNDP Evaluation Resource Centre. Months stay months: completed 09/2020 against a planned
-- end of 07/2020 is two months late, at month precision.
select
    plan_code,
    evaluation_title,
    evaluation_type,
    evaluation_status,
    evaluation_plan,
    completion_month,
    planned_end_month,
    date_diff('month', planned_end_month_start, completion_month_start) as months_late,
    budget_usd,
    expenditure_usd,
    budget_usd - expenditure_usd as budget_unspent_usd,
    source_of_funding,
    has_management_response,
    is_joint_programme,
    is_joint_evaluation,
    is_gef_evaluation,
    countries,
    evaluation_team,
    source_doc,
    source_ref
from {{ ref('stg_unossc__evaluation_record') }}
