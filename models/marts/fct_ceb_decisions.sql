-- Decisions and initiatives of the CEB 2006/2007 overview (ECOSOC 2007, Chinese; real data):
-- paragraph, body, decision as printed with an unofficial English rendering, session if named.
select
    decision_id,
    paragraph_no,
    section_zh,
    topic,
    body_zh,
    body_en,
    decision_kind,
    session_as_printed,
    session_year,
    session_month,
    decision_zh,
    decision_en,
    translation_status,
    source_doc,
    source_ref
from {{ ref('stg_context__ceb_decisions') }}
order by paragraph_no, decision_id
