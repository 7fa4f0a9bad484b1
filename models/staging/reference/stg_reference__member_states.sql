select
    iso3,
    country_name,
    region_code,
    source_doc,
    source_ref
from {{ ref('ref_member_states') }}
