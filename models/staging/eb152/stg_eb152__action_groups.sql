-- The unnumbered rows of EB152/34's annex tables: category headings and functional-area
-- subheadings. They are not actions (the 98 of paragraph 7 are all numbered).
select
    'EB152-A' || annex || '-G' || lpad(cast(group_seq as varchar), 2, '0') as group_id,
    annex,
    group_seq,
    row_kind,
    category_zh,
    -- '1. 问责职能和制度' -> 1; the unnumbered heading 其他事项 has none
    case
        when row_kind = 'category_heading'
            then try_cast(nullif(regexp_extract(text_zh, '^\s*(\d+)\s*\.', 1), '') as integer)
    end as category_no,
    functional_area_zh,
    text_zh,
    {{ dash_to_null('objective_zh') }} as objective_zh,
    other_cells_raw,
    follows_action_no,
    source_doc,
    source_ref
from {{ ref('eb152_action_groups') }}
