-- EB152/34 paragraph 7: 98 actions in all, 38 implemented (Annex 2), 60 ongoing or planned (Annex 1).
with counts as (
    select
        count(*) as total,
        count(*) filter (where annex = 2) as annex_2,
        count(*) filter (where annex = 1) as annex_1,
        count(*) filter (where is_completed) as completed
    from {{ ref('fct_reform_actions') }}
    where plan_code = 'EB152/34'
)
select * from counts
where total <> 98 or annex_2 <> 38 or annex_1 <> 60 or completed <> 38
