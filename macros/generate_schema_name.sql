{#- Analysts query raw.*, staging.*, intermediate.* and the marts in main: custom schemas are used
    as written instead of dbt's default <target schema>_<custom> (dbt documents this override). -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ custom_schema_name | trim if custom_schema_name else target.schema }}
{%- endmacro %}
