-- The six WHO regions (real reference data).
with member_states as (
    select region_code, count(*) as member_states
    from {{ ref('stg_reference__member_states') }}
    group by region_code
),

pilots as (
    select region_code, count(*) as dao_pilots
    from {{ ref('stg_reference__dao_pilot_countries') }}
    group by region_code
)

select
    r.region_code,
    r.gho_code,
    r.region_name,
    r.regional_office_city,
    r.regional_office_alias,
    coalesce(m.member_states, 0) as member_states,
    r.member_state_count as member_states_stated,
    coalesce(p.dao_pilots, 0) as dao_pilots
from {{ ref('stg_reference__who_regions') }} as r
left join member_states as m on m.region_code = r.region_code
left join pilots as p on p.region_code = r.region_code
order by r.region_code
