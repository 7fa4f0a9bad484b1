-- One row per action of every reform plan: EB152/34 (real, 98), the UNOSSC MTR (real, 28) and the
-- CSU Network 2008 key action points (real, 14; no status printed: 'unknown').
-- Actions printed in both EB152/34 annexes stay in (paragraph 7 counts all 98) but say so:
-- counts_in_distinct_total is false for the Annex 1 row that repeats an Annex 2 action.
with annex_overlaps as (
    select annex_1_action_id as action_key, annex_2_action_id as other_key, overlap_kind, counted_in_distinct
    from {{ ref('stg_eb152__annex_overlaps') }}
    union all
    select annex_2_action_id, annex_1_action_id, overlap_kind, true
    from {{ ref('stg_eb152__annex_overlaps') }}
),

pending as (
    select action_id as action_key, pending_kind from {{ ref('stg_eb152__pending_work') }}
)

select
    a.action_key,
    a.plan_code,
    a.annex,
    a.action_no,
    a.action_ref,
    a.category_zh,
    a.category_en,
    a.status_raw,
    a.status,
    a.status = 'completed' as is_completed,
    a.budget_status_raw,
    a.budget_status,
    a.due_date,
    a.responsible_unit,
    a.source_doc,
    a.source_ref,
    a.category_no,
    a.recommendation_no,
    a.action_text,
    a.action_text_language,
    a.status_as_of,
    a.status_detail,
    a.due_year,
    a.first_due_year,
    a.due_precision,
    a.due_by_date,
    a.functional_area_en,
    o.other_key as overlaps_action_key,
    o.overlap_kind,
    coalesce(o.counted_in_distinct, true) as counts_in_distinct_total,
    p.pending_kind is not null as has_pending_work,
    p.pending_kind,
    a.topic,
    a.strategic_objective,
    a.action_text_en,
    a.action_text_en_status
from {{ ref('int_reform_actions__unioned') }} as a
left join annex_overlaps as o on o.action_key = a.action_key
left join pending as p on p.action_key = a.action_key
order by a.plan_code, a.annex, a.category_no nulls last, a.action_no, a.recommendation_no, a.action_ref
