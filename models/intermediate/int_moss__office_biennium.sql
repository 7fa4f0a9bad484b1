-- SAMPLE-based: MOSS compliance cost items summed per WHO country office and biennium.
select
    office_code,
    country_iso3,
    region_code,
    biennium,
    count(*) as items,
    count(*) filter (where compliance_status = 'non-compliant') as non_compliant_items,
    sum(required_cost_usd) as required_cost_usd,
    sum(funded_usd) as funded_usd,
    sum(required_cost_usd - funded_usd) as gap_usd,
    bool_and(is_sample) as is_sample
from {{ ref('stg_sample__moss_cost_items') }}
group by office_code, country_iso3, region_code, biennium
