-- Figures EB152/34's comments report (real data): ATI score 69.3, Working Capital Fund
-- US$ 31 million, PSEAH training coverage ~90%, 97% / 84% of the PSEAH plan's actions ...
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
    'unofficial translation' as text_en_status,
    source_doc,
    source_ref
from {{ ref('stg_eb152__comment_metrics') }}
order by metric_id
