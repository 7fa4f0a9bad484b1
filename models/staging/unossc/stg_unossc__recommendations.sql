-- The 7 recommendations of the UNOSSC Strategic Framework 2018-21 mid-term review.
select
    recommendation_no,
    plan_code,
    plan_title,
    recommendation_title,
    -- 'Integrated planning.' -> 'Integrated planning' (label without the closing . or :)
    rtrim(trim(recommendation_title), '.:') as recommendation_label,
    recommendation_text,
    management_response_text,
    management_response_added,
    management_response_last_updated,
    key_action_count,
    source_doc,
    source_ref
from {{ ref('unossc_recommendations') }}
