-- mart_action_deadlines has one row per fct_reform_actions row, every completed action is 'done',
-- and no action is overdue before its due period has ended (month precision: its last day).
with counts as (
    select
        (select count(*) from {{ ref('mart_action_deadlines') }}) as deadline_rows,
        (select count(*) from {{ ref('fct_reform_actions') }}) as action_rows
)

select 'row counts differ' as problem, null as action_key from counts where deadline_rows <> action_rows
union all
select 'completed but not done', action_key from {{ ref('mart_action_deadlines') }}
where is_completed and deadline_status <> 'done'
union all
select 'overdue before its period ended', action_key from {{ ref('mart_action_deadlines') }}
where deadline_status = 'overdue' and (due_by_date is null or due_by_date >= as_of_date)
