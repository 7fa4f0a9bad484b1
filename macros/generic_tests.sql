{#- Custom generic data tests. Each returns the rows that break its rule. -#}

{#- The column is never negative (nulls pass). -#}
{% test non_negative(model, column_name) %}
select * from {{ model }} where {{ column_name }} < 0
{% endtest %}

{#- The column is never greater than `other` on the same row (nulls on either side pass). -#}
{% test not_greater_than(model, column_name, other) %}
select * from {{ model }} where {{ column_name }} > {{ other }}
{% endtest %}

{#- The column lies in [min_value, max_value] (nulls pass); inclusive unless told otherwise. -#}
{% test accepted_range(model, column_name, min_value=none, max_value=none, inclusive=true) %}
select * from {{ model }}
where {{ column_name }} is not null and (
    false
    {%- if min_value is not none %} or {{ column_name }} {{ '<' if inclusive else '<=' }} {{ min_value }}{% endif %}
    {%- if max_value is not none %} or {{ column_name }} {{ '>' if inclusive else '>=' }} {{ max_value }}{% endif %}
)
{% endtest %}

{#- Model-level: no two rows share the same values of `combination_of_columns` (nulls compare equal). -#}
{% test unique_combination_of_columns(model, combination_of_columns, column_name=none) %}
select {{ combination_of_columns | join(', ') }}, count(*) as n_records
from {{ model }}
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1
{% endtest %}

{#- Model-level: the model has exactly `expected` rows (optionally those matching `where_sql`). -#}
{% test row_count_equals(model, expected, where_sql='true', column_name=none) %}
select count(*) as n_rows, {{ expected }} as expected_rows
from {{ model }}
where {{ where_sql }}
having count(*) <> {{ expected }}
{% endtest %}
