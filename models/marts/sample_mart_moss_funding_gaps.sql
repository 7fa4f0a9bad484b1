-- SAMPLE: MOSS compliance cost, funding and gap per WHO country office and biennium.
select
    office_code,
    country_iso3,
    region_code,
    biennium,
    required_cost_usd,
    funded_usd,
    gap_usd,
    {{ safe_ratio('funded_usd', 'required_cost_usd') }} as share_funded,
    items,
    is_sample,
    non_compliant_items
from {{ ref('int_moss__office_biennium') }}
order by biennium, region_code, office_code
