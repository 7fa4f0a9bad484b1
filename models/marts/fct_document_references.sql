-- Documents and decisions EB152/34 cites (real data), one row per occurrence.
select
    xref_id,
    symbol,
    symbol_kind,
    context,
    row_key,
    line_no,
    count(*) over (partition by symbol) as occurrences_of_symbol,
    source_doc,
    source_ref
from {{ ref('stg_eb152__cross_references') }}
order by line_no, xref_id
