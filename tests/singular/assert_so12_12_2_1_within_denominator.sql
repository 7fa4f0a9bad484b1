{{ config(severity='warn') }}
-- Warning only: the 12.2.1 definition does not require a country office, but a country with an
-- endorsed CCS used for WHO planning and no WHO country office would be odd in the sample.
select indicator_code, region_code, biennium, numerator, denominator
from {{ ref('sample_mart_so12_indicators') }}
where indicator_code = '12.2.1' and numerator > denominator
