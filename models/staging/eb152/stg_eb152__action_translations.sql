-- Unofficial English renderings of the EB152/34 action texts (the Chinese text stays the record).
select
    action_id,
    action_en,
    translation_status,
    source_doc,
    source_ref
from {{ ref('eb152_action_translations') }}
