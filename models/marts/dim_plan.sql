-- The reform plans whose actions are in fct_reform_actions (real data): EB152/34, the UNOSSC MTR
-- and the CSU Network 2008 key action points. Titles and
-- organisations are as printed in the source documents (see source_ref).
with plans as (
    select * from (
        values
            ('EB152/34', 'Secretariat implementation plan on reform', '秘书处改革实施计划',
             'World Health Organization (WHO) Secretariat',
             'EB152/34, report by the Director-General to the Executive Board, 152nd session (Chinese edition)',
             '2022-2025', '002_9d0e41a0e7538786.txt',
             'Title (line 7) and symbol (footnote to paragraph 19, line 104); period from the Annex 1 heading (line 112)'),
            ('CSU-2008', 'Key action points of the Seventh Meeting of the Country Support Unit Network',
             'Seventh Meeting of the Country Support Unit Network',
             'World Health Organization (WHO), Country Support Unit (CSU) Network',
             'Report of the Seventh Meeting of the CSU Network, Geneva, 13-14 May 2008 (English)',
             '2008', '000_da8f61cb9f2b2ae8.txt',
             'Title (line 3), place and dates (lines 5-7), Key Action Points (lines 48-90)')
    ) as t (plan_code, title, title_original, organisation, document, period, source_doc, source_ref)
),

unossc as (
    select
        plan_code,
        min(plan_title) as title,
        min(plan_title) as title_original,
        'United Nations Office for South-South Cooperation (UNOSSC)' as organisation,
        'Management response to the mid-term review, UNDP Evaluation Resource Centre (English)' as document,
        '2018-2021' as period,
        min(source_doc) as source_doc,
        'Title line and Evaluation Plan: 2018-2021' as source_ref
    from {{ ref('stg_unossc__recommendations') }}
    group by plan_code
),

all_plans as (
    select * from plans
    union all
    select * from unossc
),

actions as (
    select
        plan_code,
        count(*) as actions,
        count(*) filter (where is_completed) as completed,
        min(due_date) as first_due_date,
        max(due_date) as last_due_date,
        max(status_as_of) as status_as_of
    from {{ ref('fct_reform_actions') }}
    group by plan_code
)

select
    p.plan_code,
    p.title,
    p.organisation,
    p.document,
    p.period,
    coalesce(a.actions, 0) as actions,
    p.title_original,
    coalesce(a.completed, 0) as completed,
    a.first_due_date,
    a.last_due_date,
    a.status_as_of,
    p.source_doc,
    p.source_ref
from all_plans as p
left join actions as a on a.plan_code = p.plan_code
order by p.plan_code
