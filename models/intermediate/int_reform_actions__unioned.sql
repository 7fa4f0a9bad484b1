-- EB152/34 actions (both annexes) and UNOSSC MTR key actions in one shape.
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
        a.status_raw,
        a.status,
        a.status_as_of,
        a.budget_status_raw,
        a.budget_status,
        cast(null as date) as due_date,
        cast(null as varchar) as responsible_unit,
        a.source_doc,
        a.source_ref
    from {{ ref('stg_eb152__actions') }} as a
    left join eb152_categories as c on c.category_zh = a.category_zh
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
        k.status_raw,
        k.status,
        k.status_as_of,
        cast(null as varchar) as budget_status_raw,
        cast(null as varchar) as budget_status,
        k.due_date,
        k.responsible_unit,
        k.source_doc,
        k.source_ref
    from {{ ref('stg_unossc__key_actions') }} as k
    inner join {{ ref('stg_unossc__recommendations') }} as r on r.recommendation_no = k.recommendation_no
)

select * from eb152
union all
select * from unossc
