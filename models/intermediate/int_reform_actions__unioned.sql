-- EB152/34 actions (both annexes), UNOSSC MTR key actions and the CSU Network 2008 key action
-- points in one shape. CSU 2008 prints no status: its points are 'unknown' as of the meeting;
-- its actor is the responsible unit, and a due month only where a point prints one.
-- category_no orders the categories as the documents do: EB152/34's numbered category
-- headings (1-7; 其他事项 is unnumbered, so null), UNOSSC's recommendation number.
with eb152_categories as (
    select
        category_zh,
        min(category_no) as category_no
    from {{ ref('stg_eb152__action_groups') }}
    where row_kind = 'category_heading'
    group by category_zh
),

eb152 as (
    select
        a.action_id as action_key,
        a.plan_code,
        a.annex,
        a.action_no,
        cast(a.action_no as varchar) as action_ref,
        cast(null as integer) as recommendation_no,
        c.category_no,
        a.category_zh,
        a.category_en,
        a.action_zh as action_text,
        'zh' as action_text_language,
        t.action_en as action_text_en,
        t.translation_status as action_text_en_status,
        a.status_raw,
        a.status,
        a.status_detail,
        a.status_as_of,
        a.budget_status_raw,
        a.budget_status,
        -- the due period from the timeline columns: the last year marked X; '2025 and beyond'
        -- is open-ended (2025 or later), so it has no last day
        make_date(a.last_due_year, 1, 1) as due_date,
        a.last_due_year as due_year,
        a.first_due_year,
        case
            when a.last_due_year is null then null
            when a.due_is_open_ended then 'year_or_later'
            else 'year'
        end as due_precision,
        case when not a.due_is_open_ended then make_date(a.last_due_year, 12, 31) end as due_by_date,
        a.functional_area_en,
        cast(null as varchar) as responsible_unit,
        cast(null as varchar) as topic,
        cast(null as varchar) as strategic_objective,
        a.source_doc,
        a.source_ref
    from {{ ref('stg_eb152__actions') }} as a
    left join eb152_categories as c on c.category_zh = a.category_zh
    left join {{ ref('stg_eb152__action_translations') }} as t on t.action_id = a.action_id
),

unossc as (
    select
        'UNOSSC-MTR-' || k.key_action_id as action_key,
        k.plan_code,
        cast(null as integer) as annex,
        cast(null as integer) as action_no,
        k.key_action_id as action_ref,
        k.recommendation_no,
        r.recommendation_no as category_no,
        cast(null as varchar) as category_zh,
        r.recommendation_label as category_en,
        k.key_action_text as action_text,
        'en' as action_text_language,
        k.key_action_text as action_text_en,
        'original' as action_text_en_status,
        k.status_raw,
        k.status,
        k.status as status_detail,
        k.status_as_of,
        cast(null as varchar) as budget_status_raw,
        cast(null as varchar) as budget_status,
        k.due_date,
        year(k.due_date) as due_year,
        year(k.due_date) as first_due_year,
        'month' as due_precision,
        k.due_by_date,
        cast(null as varchar) as functional_area_en,
        k.responsible_unit,
        cast(null as varchar) as topic,
        cast(null as varchar) as strategic_objective,
        k.source_doc,
        k.source_ref
    from {{ ref('stg_unossc__key_actions') }} as k
    inner join {{ ref('stg_unossc__recommendations') }} as r on r.recommendation_no = k.recommendation_no
),
csu2008 as (
    select
        'CSU2008-P' || lpad(cast(p.point_no as varchar), 2, '0') as action_key,
        p.plan_code,
        cast(null as integer) as annex,
        p.point_no as action_no,
        cast(p.point_no as varchar) as action_ref,
        cast(null as integer) as recommendation_no,
        p.heading_no as category_no,
        cast(null as varchar) as category_zh,
        p.heading as category_en,
        p.point_text as action_text,
        'en' as action_text_language,
        p.point_text as action_text_en,
        'original' as action_text_en_status,
        cast(null as varchar) as status_raw,
        'unknown' as status,
        'unknown' as status_detail,
        p.meeting_start_date as status_as_of,
        cast(null as varchar) as budget_status_raw,
        cast(null as varchar) as budget_status,
        p.due_month_start as due_date,
        year(p.due_month_start) as due_year,
        year(p.due_month_start) as first_due_year,
        case when p.due_month is not null then 'month' end as due_precision,
        {{ end_of_month('p.due_month_start') }} as due_by_date,
        cast(null as varchar) as functional_area_en,
        p.actor as responsible_unit,
        p.topic,
        p.strategic_objective,
        p.source_doc,
        p.source_ref
    from {{ ref('stg_csu2008__action_point_details') }} as p
)


select * from eb152
union all
select * from unossc
union all
select * from csu2008
