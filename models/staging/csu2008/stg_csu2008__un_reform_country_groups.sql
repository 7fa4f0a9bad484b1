-- The four country groups of CSU 2008 key action point 10 (UN reform support).
select
    group_no,
    group_label,
    countries_stated,
    source_doc,
    source_ref
from {{ ref('csu2008_un_reform_country_groups') }}
