-- Per reform action (real data): when it is due, at the precision the document gives (a year
-- from EB152/34's timeline columns, a month for UNOSSC), its milestones, and whether it is
-- done, overdue, due soon or not yet due as of a date.
--   * as of: var deadline_as_of (YYYY-MM-DD) when given, else the plan's own reporting date
--     (the latest status_as_of of the plan: 31 December 2022 for EB152/34);
--   * overdue: not completed and the due period has ended before the as-of date. A due month
--     ends on its last day, a due year on 31 December; '2025 and beyond' never ends. Where the
--     document reports no status (CSU 2008, two EB152/34 rows) it is past_due_status_unknown;
--   * due_soon: not completed, not overdue, and the due period starts within
--     var due_soon_days (default 90) of the as-of date or has already started.
{%- set as_of = var('deadline_as_of', none) %}
{%- set soon = var('due_soon_days', 90) %}
with actions as (
    select * from {{ ref('fct_reform_actions') }}
),

plan_dates as (
    select plan_code, max(status_as_of) as plan_reporting_date
    from actions
    group by plan_code
),

milestones as (
    select
        action_id as action_key,
        count(*) as milestones,
        count(*) filter (where milestone_kind = 'planned') as planned_milestones,
        string_agg(date_as_printed || ' ' || qualifier || ': ' || text_en, '; ' order by date_start)
            as milestone_summary
    from {{ ref('stg_eb152__milestones') }}
    group by action_id
),

dated as (
    select
        a.*,
        {% if as_of %}date '{{ as_of }}'{% else %}p.plan_reporting_date{% endif %} as as_of_date,
        p.plan_reporting_date
    from actions as a
    inner join plan_dates as p on p.plan_code = a.plan_code
)

select
    d.action_key,
    d.plan_code,
    d.annex,
    d.action_ref,
    d.category_zh,
    d.category_en,
    d.functional_area_en,
    d.responsible_unit,
    d.status,
    d.status_detail,
    d.is_completed,
    d.due_year,
    d.first_due_year,
    d.due_precision,
    d.due_date as due_period_start,
    d.due_by_date,
    coalesce(m.milestones, 0) as milestones,
    coalesce(m.planned_milestones, 0) as planned_milestones,
    m.milestone_summary,
    d.as_of_date,
    d.plan_reporting_date,
    case
        when d.is_completed then 'done'
        when d.due_precision is null then 'no_due_date'
        when d.due_by_date < d.as_of_date and d.status = 'unknown' then 'past_due_status_unknown'
        when d.due_by_date < d.as_of_date then 'overdue'
        when d.due_date <= d.as_of_date + interval {{ soon }} day then 'due_soon'
        else 'not_yet_due'
    end as deadline_status,
    d.counts_in_distinct_total,
    d.source_doc,
    d.source_ref
from dated as d
left join milestones as m on m.action_key = d.action_key
order by d.plan_code, d.due_year nulls last, d.annex, d.action_ref
