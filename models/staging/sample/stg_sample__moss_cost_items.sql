-- SAMPLE data: invented MOSS compliance cost items per WHO country office and biennium.
select
    cost_item_id,
    office_code,
    country_iso3,
    region_code,
    biennium,
    category,
    description as item_description,
    required_cost_usd,
    funded_usd,
    funding_source,
    compliance_status,
    is_sample
from {{ ref('sample_moss_cost_items') }}
