-- EB152/34 actions printed in both annexes (A1-037 / A2-024, A1-059 / A2-038).
select
    annex_1_action_id,
    annex_2_action_id,
    overlap_kind,
    counted_in_distinct,
    shared_text_zh,
    note,
    source_doc,
    source_ref
from {{ ref('eb152_annex_overlaps') }}
