-- The 28 key actions of UNOSSC's management response, statuses as of their last update.
select
    key_action_id,
    plan_code,
    recommendation_no,
    key_action_no,
    key_action_text,
    responsible_unit,
    {{ first_of_month('due_date') }} as due_date,
    due_date as due_month,
    -- month precision: a key action due 2021/07 is late only after 31 July 2021
    {{ end_of_month(first_of_month('due_date')) }} as due_by_date,
    due_date_raw,
    status_raw,
    {{ normalise_action_status('status_raw') }} as status,
    date_last_updated as status_as_of,
    comments,
    date_added,
    date_last_updated,
    source_doc,
    source_ref
from {{ ref('unossc_key_actions') }}
