-- Dated milestones quoted from EB152/34's comments: one row per milestone, with its period.
select
    milestone_id,
    row_key as action_id,
    annex,
    date_as_printed,
    date_start,
    date_end,
    date_precision,
    qualifier,
    milestone_kind,
    text_zh,
    text_en,
    source_doc,
    source_ref
from {{ ref('eb152_milestones') }}
