-- SAMPLE data: WHO's partnership role per Member State and MTSP biennium.
select
    country_iso3,
    biennium,
    who_role,
    in_un_reform_context,
    has_country_office,
    is_sample
from {{ ref('sample_country_partnership_roles') }}
