-- Dated milestones of EB152/34 actions, quoted from the comments (real data), with the period
-- each date covers and whether the text reports it planned or achieved.
select
    m.milestone_id,
    m.action_id as action_key,
    f.plan_code,
    m.annex,
    f.category_en,
    m.date_as_printed,
    m.date_start,
    m.date_end,
    m.date_precision,
    m.qualifier,
    m.milestone_kind,
    m.text_zh,
    m.text_en,
    'unofficial translation' as text_en_status,
    m.source_doc,
    m.source_ref
from {{ ref('stg_eb152__milestones') }} as m
inner join {{ ref('fct_reform_actions') }} as f on f.action_key = m.action_id
order by m.date_start, m.milestone_id
