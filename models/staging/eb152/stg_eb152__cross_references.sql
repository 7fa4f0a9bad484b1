-- Document and decision symbols cited in EB152/34, one row per occurrence.
select
    xref_id,
    symbol,
    symbol_kind,
    context,
    nullif(row_key, '') as row_key,
    line_no,
    source_doc,
    source_ref
from {{ ref('eb152_cross_references') }}
