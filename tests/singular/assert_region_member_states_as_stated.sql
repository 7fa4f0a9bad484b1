-- Each region has as many Member States in the reference list as the notes state (194 in all).
select region_code, member_states, member_states_stated
from {{ ref('dim_region') }}
where member_states <> member_states_stated
union all
select 'ALL', sum(member_states), 194
from {{ ref('dim_region') }}
having sum(member_states) <> 194
