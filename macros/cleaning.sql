{#- Small cleaning helpers used by the staging and intermediate models. -#}

{#- A printed month 'YYYY-MM' (or 'YYYY/MM') as the DATE of its first day. -#}
{% macro first_of_month(column) -%}
cast(replace(trim({{ column }}), '/', '-') || '-01' as date)
{%- endmacro %}

{#- A completion-timeline cell of EB152/34 Annex 1: X -> true, a dash (-, – or —) -> false,
    anything else (待完成, empty) -> null. -#}
{% macro timeline_flag(column) -%}
case
        when trim({{ column }}) = 'X' then true
        when trim({{ column }}) in ('-', '–', '—') then false
    end
{%- endmacro %}

{#- A text cell that prints only a dash (or nothing) for "none", as null. -#}
{% macro dash_to_null(column) -%}
case when trim({{ column }}) in ('', '-', '–', '—') then null else {{ column }} end
{%- endmacro %}

{#- The upper cost used in totals: a missing upper amount counts as the lower one, so an
    open range such as '40 000+' contributes its printed lower amount to both totals. -#}
{% macro cost_high_or_low(low, high) -%}
coalesce({{ high }}, {{ low }})
{%- endmacro %}

{#- numerator / denominator as DOUBLE, null when the denominator is 0 or null. -#}
{% macro safe_ratio(numerator, denominator) -%}
cast({{ numerator }} as double) / nullif(cast({{ denominator }} as double), 0)
{%- endmacro %}

{#- What an EB152/34 amount covers, as the document states it. The extractor files an amount
    printed without 每年 / 每次国家访问 / 提供双年度费用 under cost_basis 'one_off' (kept for
    mart_budget_totals); the document itself states no basis for it, so analysts see
    'basis_not_stated'. Without an amount: 'no_figure'. -#}
{% macro amount_basis(cost_basis, has_figure) -%}
case
        when not {{ has_figure }} then 'no_figure'
        when {{ cost_basis }} = 'one_off' then 'basis_not_stated'
        else {{ cost_basis }}
    end
{%- endmacro %}

{#- Last day of the month of a DATE (a month-precision due date is not late before it ends). -#}
{% macro end_of_month(column) -%}
last_day({{ column }})
{%- endmacro %}

{#- Year of the last X of EB152/34's timeline columns (2023 / 2024 / 2025 and beyond). -#}
{% macro timeline_last_year(y2023, y2024, y2025_plus) -%}
case
        when {{ y2025_plus }} then 2025
        when {{ y2024 }} then 2024
        when {{ y2023 }} then 2023
    end
{%- endmacro %}

{#- Year of the first X of EB152/34's timeline columns. -#}
{% macro timeline_first_year(y2023, y2024, y2025_plus) -%}
case
        when {{ y2023 }} then 2023
        when {{ y2024 }} then 2024
        when {{ y2025_plus }} then 2025
    end
{%- endmacro %}
