-- "Delivering as One": its timeline (real data, UNDG page) with the pilot countries attached
-- to the year they volunteered.
with pilots as (
    select
        pilot_start_year,
        count(*) as pilot_countries,
        string_agg(country_name_printed, ', ' order by country_name_printed) as pilot_country_names
    from {{ ref('stg_reference__dao_pilot_countries') }}
    group by pilot_start_year
)

select
    t.event_no,
    t.event_code,
    t.year_start,
    t.year_end,
    t.text,
    t.summary_en,
    coalesce(p.pilot_countries, 0) as pilot_countries,
    p.pilot_country_names,
    t.source_doc,
    t.source_ref
from {{ ref('stg_context__dao_timeline') }} as t
left join pilots as p on p.pilot_start_year = t.year_start and t.event_code = 'pilots_volunteered'
order by t.event_no
