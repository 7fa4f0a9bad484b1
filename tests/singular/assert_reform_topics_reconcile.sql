-- mart_reform_topics reconciles with its sources: every governance and country-level action of
-- EB152/34 is in its topic, every PSEAH functional-area action and the PSEAH sub-heading line is in
-- pseah, and every row's amount is the amount of its budget line.
with expected as (
    select action_id as item_key, 'governance' as topic from {{ ref('stg_eb152__actions') }} where category_zh = '治理'
    union all
    select action_id, 'country_offices_ccs' from {{ ref('stg_eb152__actions') }} where category_zh = '在国家级的影响'
    union all
    select action_id, 'pseah' from {{ ref('stg_eb152__actions') }}
    where functional_area_zh = '预防和应对性剥削、性虐待和性骚扰'
    union all
    select line_id, 'pseah' from {{ ref('stg_eb152__subheading_budget_lines') }}
    where functional_area_zh = '预防和应对性剥削、性虐待和性骚扰'
)

select e.item_key, e.topic, 'missing from the topic' as problem
from expected as e
left join {{ ref('mart_reform_topics') }} as t on t.item_key = e.item_key and t.topic = e.topic
where t.item_key is null

union all

select t.item_key, t.topic, 'amount differs from its budget line'
from {{ ref('mart_reform_topics') }} as t
left join {{ ref('int_budget_lines__all_kinds') }} as b on b.line_key = t.item_key
where t.cost_low_usd is distinct from b.cost_low_usd
    or t.cost_high_usd is distinct from b.cost_high_for_totals_usd
