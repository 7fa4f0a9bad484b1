-- The 14 key action points of the Seventh Meeting of the CSU Network (Geneva, May 2008).
select
    point_no,
    heading_no,
    heading,
    text as point_text,
    meeting,
    meeting_start_date,
    source_doc,
    source_ref
from {{ ref('csu2008_key_action_points') }}
