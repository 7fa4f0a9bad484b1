-- WHO biennia 2004-2005 to 2024-2025 (real reference data).
select
    biennium,
    start_year,
    end_year,
    start_date,
    end_date,
    programme_period,
    coalesce(programme_period = 'MTSP 2008-2013', false) as is_mtsp_2008_2013
from {{ ref('stg_reference__biennia') }}
order by start_year
