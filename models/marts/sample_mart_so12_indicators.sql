-- SAMPLE: SO12 indicators 12.2.1 and 12.2.2 per WHO region and MTSP biennium, computed from
-- the invented CCS registry and partnership roles, following the working definitions seed.
with definitions as (
    select * from {{ ref('stg_unverified__so12_indicator_definitions') }}
),

biennia as (
    select biennium from {{ ref('stg_reference__biennia') }} where programme_period = 'MTSP 2008-2013'
),

regions as (
    select region_code from {{ ref('stg_reference__who_regions') }}
),

counts as (
    select
        region_code,
        biennium,
        count(*) as member_states,
        count(*) filter (where has_country_office) as with_country_office,
        count(*) filter (where counts_for_12_2_1) as numerator_12_2_1,
        count(*) filter (where counts_for_12_2_2) as numerator_12_2_2,
        bool_and(is_sample) as is_sample
    from {{ ref('int_ccs__country_biennium') }}
    group by region_code, biennium
),

indicators as (
    select
        d.indicator_code,
        r.region_code,
        b.biennium,
        case d.indicator_code
            when '12.2.1' then coalesce(c.numerator_12_2_1, 0)
            when '12.2.2' then coalesce(c.numerator_12_2_2, 0)
        end as numerator,
        coalesce(c.with_country_office, 0) as denominator,
        d.unit,
        'Numerator: ' || d.numerator_definition
            || '. Denominator: ' || d.denominator_definition
            || '. Value: ' || d.value_formula || '.' as definition_used,
        d.definition_status,
        coalesce(c.member_states, 0) as member_states,
        coalesce(c.is_sample, true) as is_sample
    from definitions as d
    cross join regions as r
    cross join biennia as b
    left join counts as c on c.region_code = r.region_code and c.biennium = b.biennium
)

select
    indicator_code,
    region_code,
    biennium,
    numerator,
    denominator,
    case unit
        when 'count' then cast(numerator as double)
        when 'percent' then 100 * {{ safe_ratio('numerator', 'denominator') }}
    end as value,
    unit,
    definition_used,
    is_sample,
    definition_status,
    member_states
from indicators
order by indicator_code, biennium, region_code
