-- Figures reported in EB152/34's comments (ATI score, Working Capital Fund, PSEAH progress ...).
select
    metric_id,
    row_key,
    annex,
    metric,
    value,
    unit,
    basis,
    value_as_printed,
    text_zh,
    text_en,
    source_doc,
    source_ref
from {{ ref('eb152_comment_metrics') }}
