-- The 14 CSU 2008 key action points as plan actions: actor, due month (June / October 2008 where
-- printed), topic and the strategic objective a point names.
select
    d.plan_code,
    p.point_no,
    p.heading_no,
    p.heading,
    p.point_text,
    d.topic,
    nullif(d.actor, '') as actor,
    nullif(d.due_month, '') as due_month,
    {{ first_of_month("nullif(d.due_month, '')") }} as due_month_start,
    nullif(d.strategic_objective, '') as strategic_objective,
    d.actor_quote,
    d.due_quote,
    d.strategic_objective_quote,
    p.meeting_start_date,
    p.source_doc,
    p.source_ref
from {{ ref('stg_csu2008__key_action_points') }} as p
inner join {{ ref('csu2008_action_point_details') }} as d on d.point_no = p.point_no
