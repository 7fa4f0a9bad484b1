-- The UNOSSC mid-term review's evaluation record as one row (the seed has one row per field).
with fields as (
    select * from {{ ref('unossc_evaluation_record') }}
)

select
    plan_code,
    max(value) filter (where field = 'evaluation_title') as evaluation_title,
    max(value) filter (where field = 'evaluation_type') as evaluation_type,
    max(value) filter (where field = 'evaluation_status') as evaluation_status,
    max(value) filter (where field = 'evaluation_plan') as evaluation_plan,
    max(value) filter (where field = 'completion_month') as completion_month,
    max(value) filter (where field = 'planned_end_month') as planned_end_month,
    {{ first_of_month("max(value) filter (where field = 'completion_month')") }} as completion_month_start,
    {{ first_of_month("max(value) filter (where field = 'planned_end_month')") }} as planned_end_month_start,
    cast(max(value) filter (where field = 'budget_usd') as integer) as budget_usd,
    cast(max(value) filter (where field = 'expenditure_usd') as integer) as expenditure_usd,
    max(value) filter (where field = 'source_of_funding') as source_of_funding,
    cast(max(value) filter (where field = 'has_management_response') as boolean) as has_management_response,
    cast(max(value) filter (where field = 'is_joint_programme') as boolean) as is_joint_programme,
    cast(max(value) filter (where field = 'is_joint_evaluation') as boolean) as is_joint_evaluation,
    cast(max(value) filter (where field = 'is_gef_evaluation') as boolean) as is_gef_evaluation,
    max(value) filter (where field = 'countries') as countries,
    string_agg(value, '; ' order by source_ref) filter (where field = 'team_member') as evaluation_team,
    min(source_doc) as source_doc,
    'Evaluation record, lines 9-28' as source_ref
from fields
group by plan_code
