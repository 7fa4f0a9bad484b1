-- EB152/34 Annex 2 ("implemented") rows whose comment says work is still pending.
select
    action_id,
    pending_kind,
    text_zh,
    text_en,
    source_doc,
    source_ref
from {{ ref('eb152_pending_work') }}
