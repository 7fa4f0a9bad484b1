select
    iso3,
    country_name as country_name_printed,
    country_name_current as country_name,
    region_code,
    pilot_start_year,
    source_doc,
    source_ref
from {{ ref('dao_pilot_countries') }}
