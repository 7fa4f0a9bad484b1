-- The CSU 2008 report's table of contents (its sections and the Annex 1 agenda entry).
select
    nullif(entry_no, '') as entry_no,
    entry_title,
    page,
    is_annex,
    source_doc,
    source_ref
from {{ ref('csu2008_report_contents') }}
