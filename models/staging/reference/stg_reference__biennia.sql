select
    biennium,
    start_year,
    end_year,
    make_date(start_year, 1, 1) as start_date,
    make_date(end_year, 12, 31) as end_date,
    programme_period,
    source_doc,
    source_ref
from {{ ref('ref_biennia') }}
