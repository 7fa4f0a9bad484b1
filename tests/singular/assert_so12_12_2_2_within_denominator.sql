-- 12.2.2 is a percentage of the countries with a WHO country office: its numerator is a subset.
select indicator_code, region_code, biennium, numerator, denominator, value
from {{ ref('sample_mart_so12_indicators') }}
where indicator_code = '12.2.2'
    and (numerator > denominator or value > 100)
