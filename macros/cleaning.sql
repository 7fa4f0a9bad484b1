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
