-- SAMPLE-based: one row per Member State and MTSP biennium (a row of the partnership-roles
-- sample exists only for biennia in which the country is a Member State), with what the
-- SO12 working definitions need:
--   * a CCS document is "in force" in a biennium when its period overlaps the biennium's years;
--   * it is "endorsed" for that biennium when its endorsement date is on or before the
--     biennium's last day (status_2025 describes 2025, not the biennium, so it is not used);
--   * 12.2.1 counts a country with an endorsed CCS, analogue or multi-country CCS in force
--     that is used as the basis for WHO planning. EURO's Biennial Collaborative Agreements
--     (BCA) are not among the document types the definition names, so they do not count;
--   * 12.2.2 counts a country with a WHO country office where WHO's role is leading or active.
-- Countries are attributed to the region of ref_member_states, whatever the CCS row says.
with roles as (
    select * from {{ ref('stg_sample__country_partnership_roles') }}
),

biennia as (
    select biennium, start_year, end_year, end_date from {{ ref('stg_reference__biennia') }}
),

in_force as (
    select
        r.country_iso3,
        r.biennium,
        c.ccs_id,
        c.doc_type,
        c.is_endorsed and c.endorsed_date <= b.end_date as endorsed_by_biennium_end,
        c.doc_type in ('CCS', 'multi-country CCS', 'analogue') as is_qualifying_type,
        c.used_as_planning_basis
    from roles as r
    inner join biennia as b on b.biennium = r.biennium
    inner join {{ ref('stg_sample__ccs_documents') }} as c
        on c.country_iso3 = r.country_iso3
        and c.period_start_year <= b.end_year
        and c.period_end_year >= b.start_year
),

per_country as (
    select
        country_iso3,
        biennium,
        count(*) as ccs_documents_in_force,
        string_agg(ccs_id, ', ' order by ccs_id) as ccs_ids_in_force,
        bool_or(doc_type = 'BCA') as has_bca_in_force,
        bool_or(is_qualifying_type and endorsed_by_biennium_end) as has_endorsed_ccs_in_force,
        bool_or(is_qualifying_type and endorsed_by_biennium_end and used_as_planning_basis)
            as has_endorsed_ccs_used_for_planning
    from in_force
    group by country_iso3, biennium
)

select
    r.country_iso3,
    m.region_code,
    r.biennium,
    r.has_country_office,
    r.who_role,
    r.in_un_reform_context,
    coalesce(p.ccs_documents_in_force, 0) as ccs_documents_in_force,
    p.ccs_ids_in_force,
    coalesce(p.has_bca_in_force, false) as has_bca_in_force,
    coalesce(p.has_endorsed_ccs_in_force, false) as has_endorsed_ccs_in_force,
    coalesce(p.has_endorsed_ccs_used_for_planning, false) as counts_for_12_2_1,
    r.has_country_office and r.who_role in ('leading', 'active') as counts_for_12_2_2,
    r.is_sample
from roles as r
inner join {{ ref('stg_reference__member_states') }} as m on m.iso3 = r.country_iso3
left join per_country as p on p.country_iso3 = r.country_iso3 and p.biennium = r.biennium
