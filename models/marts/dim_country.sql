-- The 194 WHO Member States (real reference data) with their region, the eight
-- "Delivering as One" pilots (real) and whether the SAMPLE CCS registry lists them.
with ccs as (
    select country_iso3, count(*) as sample_ccs_documents
    from {{ ref('stg_sample__ccs_documents') }}
    group by country_iso3
)

select
    m.iso3,
    m.country_name,
    m.region_code,
    r.region_name,
    d.iso3 is not null as is_dao_pilot,
    coalesce(ccs.sample_ccs_documents, 0) > 0 as has_sample_ccs,
    d.country_name_printed as dao_pilot_name_printed,
    coalesce(ccs.sample_ccs_documents, 0) as sample_ccs_documents
from {{ ref('stg_reference__member_states') }} as m
inner join {{ ref('stg_reference__who_regions') }} as r on r.region_code = m.region_code
left join {{ ref('stg_reference__dao_pilot_countries') }} as d on d.iso3 = m.iso3
left join ccs on ccs.country_iso3 = m.iso3
order by m.iso3
