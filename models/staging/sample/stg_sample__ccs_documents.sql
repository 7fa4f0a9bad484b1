-- SAMPLE data: an invented CCS registry.
select
    ccs_id,
    country_iso3,
    region_code,
    ccs_generation,
    title,
    period_start_year,
    period_end_year,
    doc_type,
    status as status_2025,
    endorsed_date,
    endorsed_by,
    endorsed_date is not null as is_endorsed,
    used_as_planning_basis,
    is_sample
from {{ ref('sample_ccs_documents') }}
