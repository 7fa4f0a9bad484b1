{#-
  Status vocabularies shared by every plan (see docs/models.md, "Status vocabulary").

  Each mapping lives here once, as data; staging models call the macros and keep the printed
  value in a *_raw column. An empty or missing cell maps to the vocabulary's "blank" value.
  A printed value that is not in the mapping becomes 'unmapped: <value>', which the
  accepted_values tests on the staging models reject, so a new spelling in a source fails
  the build instead of being filed silently under 'unknown'.
-#}

{#- Reform-action status: completed | in_progress | planned | not_started | dropped | unknown -#}
{% macro normalise_action_status(column) -%}
{{ _map_status(column, {
    '正在进行': 'in_progress',
    '正做计划': 'planned',
    '已做计划': 'planned',
    '待完成': 'unknown',
    'Completed': 'completed',
    'Initiated': 'in_progress',
    'Not Initiated': 'not_started',
    'Overdue': 'unknown',
    'No Longer Applicable': 'dropped',
}, 'unknown') }}
{%- endmacro %}

{#- Budget status (EB152/34 Annex 1, 已编入预算/尚未编列预算 column):
    budgeted | not_budgeted | partially_budgeted | to_be_completed | not_applicable | unspecified -#}
{% macro normalise_budget_status(column) -%}
{{ _map_status(column, {
    '已编入预算': 'budgeted',
    '尚未编列预算': 'not_budgeted',
    '部分编入预算': 'partially_budgeted',
    '待完成': 'to_be_completed',
    '-': 'not_applicable',
}, 'unspecified') }}
{%- endmacro %}

{% macro _map_status(column, mapping, blank) -%}
case
        when nullif(trim({{ column }}), '') is null then '{{ blank }}'
        {%- for printed, value in mapping.items() %}
        when trim({{ column }}) = '{{ printed }}' then '{{ value }}'
        {%- endfor %}
        else 'unmapped: ' || trim({{ column }})
    end
{%- endmacro %}

{#- The printed status kept one step finer than normalise_action_status: EB152/34 prints both
    已做计划 (a plan has been made: plan_made) and 正做计划 (being planned: planning), which the
    coarse vocabulary files together as 'planned'. Other values follow normalise_action_status. -#}
{% macro action_status_detail(column) -%}
case
        when trim({{ column }}) = '已做计划' then 'plan_made'
        when trim({{ column }}) = '正做计划' then 'planning'
        else {{ normalise_action_status(column) }}
    end
{%- endmacro %}
