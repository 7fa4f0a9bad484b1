select
    region_code,
    gho_code,
    region_name,
    regional_office_city,
    regional_office_alias,
    member_state_count,
    source_doc,
    source_ref
from {{ ref('ref_who_regions') }}
