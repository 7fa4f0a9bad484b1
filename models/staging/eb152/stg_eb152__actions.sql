-- One row per numbered reform action of EB152/34 (60 in Annex 1, 38 in Annex 2).
-- Annex 2 lists actions already implemented as of 31 December 2022 and has no status column:
-- its rows are 'completed' with an empty status_raw. Annex 2 has no budget column either, so
-- its budget_status is null (not 'unspecified', which means an empty Annex 1 cell).
select
    action_id,
    plan_code,
    annex,
    action_no,
    category_zh,
    category_en,
    functional_area_zh,
    functional_area_en,
    action_zh,
    {{ dash_to_null('objective_zh') }} as objective_zh,
    status_raw,
    case
        when annex = 2 then 'completed'
        else {{ normalise_action_status('status_raw') }}
    end as status,
    case
        when annex = 2 then 'completed'
        else {{ action_status_detail('status_raw') }}
    end as status_detail,
    date '{{ var("as_of_date") }}' as status_as_of,
    budget_status_raw,
    case
        when annex = 1 then {{ normalise_budget_status('budget_status_raw') }}
    end as budget_status,
    estimated_cost_raw,
    timeline_2023_raw,
    timeline_2024_raw,
    timeline_2025_plus_raw,
    {{ timeline_flag('timeline_2023_raw') }} as due_in_2023,
    {{ timeline_flag('timeline_2024_raw') }} as due_in_2024,
    {{ timeline_flag('timeline_2025_plus_raw') }} as due_in_2025_or_later,
    -- due years from the timeline columns: the last X is the year the deliverable is due;
    -- an X under "2025 年及以后" means 2025 or later (open-ended, never overdue)
    {{ timeline_first_year(timeline_flag('timeline_2023_raw'), timeline_flag('timeline_2024_raw'), timeline_flag('timeline_2025_plus_raw')) }} as first_due_year,
    {{ timeline_last_year(timeline_flag('timeline_2023_raw'), timeline_flag('timeline_2024_raw'), timeline_flag('timeline_2025_plus_raw')) }} as last_due_year,
    coalesce({{ timeline_flag('timeline_2025_plus_raw') }}, false) as due_is_open_ended,
    {{ dash_to_null('comment_zh') }} as comment_zh,
    source_doc,
    source_ref
from {{ ref('eb152_actions') }}
