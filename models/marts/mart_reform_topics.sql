-- Reform actions (and the PSEAH sub-heading budget line) by topic, for the questions SO12 and
-- the Secretariat ask: country offices and CCS, PSEAH, governance. One row per action x topic;
-- matched_on says which rule put it there, so a reader can check every row against the text.
--   country_offices_ccs: EB152/34 category 在国家级的影响 (country-level impact), or text naming
--     the CCS (国家合作战略), WHO country offices (国家办事处), WHO Representatives (世卫组织代表 /
--     世卫组织国家代表) or country visits (国家访问);
--   pseah: functional area 预防和应对性剥削、性虐待和性骚扰, or text naming 性剥削;
--   governance: EB152/34 category 治理 (governance).
{%- set ccs_terms = '(国家合作战略|国家办事处|世卫组织国家代表|世卫组织代表|国家访问)' %}
with actions as (
    select
        f.action_key,
        f.plan_code,
        f.category_zh,
        f.category_en,
        f.functional_area_en,
        f.action_text,
        f.status,
        f.due_year,
        f.counts_in_distinct_total,
        a.functional_area_zh,
        coalesce(a.action_zh, '') || ' ' || coalesce(a.comment_zh, '') as text_zh
    from {{ ref('fct_reform_actions') }} as f
    left join {{ ref('stg_eb152__actions') }} as a on a.action_id = f.action_key
),

rules as (
    select action_key, 'country_offices_ccs' as topic, 'category: 在国家级的影响' as matched_on
    from actions where category_zh = '在国家级的影响'
    union all
    select action_key, 'country_offices_ccs', 'text: ' || regexp_extract(text_zh, '{{ ccs_terms }}')
    from actions
    where category_zh is distinct from '在国家级的影响' and regexp_extract(text_zh, '{{ ccs_terms }}') <> ''
    union all
    select action_key, 'pseah', 'functional area: 预防和应对性剥削、性虐待和性骚扰'
    from actions where functional_area_zh = '预防和应对性剥削、性虐待和性骚扰'
    union all
    select action_key, 'pseah', 'text: 性剥削'
    from actions
    where functional_area_zh is distinct from '预防和应对性剥削、性虐待和性骚扰' and contains(text_zh, '性剥削')
    union all
    select action_key, 'governance', 'category: 治理' from actions where category_zh = '治理'
),

costs as (
    select line_key, amount_basis, cost_low_usd, cost_high_for_totals_usd, budget_status
    from {{ ref('int_budget_lines__all_kinds') }}
),

subheading_pseah as (
    select
        s.line_id as item_key,
        'subheading_budget_line' as item_kind,
        'EB152/34' as plan_code,
        'pseah' as topic,
        'functional area: 预防和应对性剥削、性虐待和性骚扰' as matched_on,
        s.category_zh,
        s.text_zh as item_text,
        s.status_raw as status,
        cast(null as integer) as due_year,
        s.budget_status,
        s.amount_basis,
        s.cost_low_usd,
        {{ cost_high_or_low('s.cost_low_usd', 's.cost_high_usd') }} as cost_high_usd,
        true as counts_in_distinct_total
    from {{ ref('stg_eb152__subheading_budget_lines') }} as s
    where s.functional_area_zh = '预防和应对性剥削、性虐待和性骚扰'
),

combined as (
select
    r.action_key as item_key,
    'action' as item_kind,
    a.plan_code,
    r.topic,
    r.matched_on,
    a.category_zh,
    a.action_text as item_text,
    a.status,
    a.due_year,
    c.budget_status,
    c.amount_basis,
    c.cost_low_usd,
    c.cost_high_for_totals_usd as cost_high_usd,
    a.counts_in_distinct_total
from rules as r
inner join actions as a on a.action_key = r.action_key
left join costs as c on c.line_key = r.action_key

union all

select
    item_key, item_kind, plan_code, topic, matched_on, category_zh, item_text, status, due_year,
    budget_status, amount_basis, cost_low_usd, cost_high_usd, counts_in_distinct_total
from subheading_pseah
)

select
    item_key,
    item_kind,
    plan_code,
    topic,
    matched_on,
    category_zh,
    item_text,
    status,
    due_year,
    budget_status,
    amount_basis,
    cost_low_usd,
    cost_high_usd,
    counts_in_distinct_total
from combined
order by topic, plan_code, item_key
