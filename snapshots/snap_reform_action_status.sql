{#- Status history of every reform action (EB152/34 and the UNOSSC MTR), one version per change.
    Nightly builds overwrite fct_reform_actions; this snapshot keeps what each build saw, so the
    history mart can answer "what was the status on 30 June?" and "what changed last night?".
    check strategy: the source documents carry no per-row update time, only the plan's status date.
    new_record: an action that disappears from the sources gets a version flagged dbt_is_deleted. -#}
{% snapshot snap_reform_action_status %}
{{ config(
    unique_key='action_key',
    strategy='check',
    check_cols=['status_raw', 'status', 'budget_status_raw', 'budget_status'],
    hard_deletes='new_record',
    dbt_valid_to_current="timestamp '9999-12-31'",
) }}
select
    action_key,
    plan_code,
    action_ref,
    status_raw,
    status,
    budget_status_raw,
    budget_status,
    status_as_of
from {{ ref('fct_reform_actions') }}
{% endsnapshot %}
