-- Decisions and initiatives of the CEB 2006/2007 overview report (Chinese, ECOSOC 2007).
select
    decision_id,
    paragraph_no,
    section_zh,
    topic,
    body_zh,
    body_en,
    decision_kind,
    nullif(session_as_printed, '') as session_as_printed,
    session_year,
    session_month,
    decision_zh,
    decision_en,
    translation_status,
    source_doc,
    source_ref
from {{ ref('ceb_2006_2007_decisions') }}
