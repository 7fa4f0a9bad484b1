-- Each UNOSSC recommendation has as many key actions in the fact as the page prints under it.
select r.recommendation_no, r.key_action_count, count(f.action_key) as actions_in_fact
from {{ ref('stg_unossc__recommendations') }} as r
left join {{ ref('fct_reform_actions') }} as f
    on f.plan_code = r.plan_code and f.recommendation_no = r.recommendation_no
group by r.recommendation_no, r.key_action_count
having count(f.action_key) <> r.key_action_count
