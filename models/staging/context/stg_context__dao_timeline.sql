-- The "Delivering as One" timeline (UNDG page), years only where the page prints them.
select
    event_no,
    event_code,
    year_start,
    year_end,
    text,
    summary_en,
    source_doc,
    source_ref
from {{ ref('dao_timeline') }}
