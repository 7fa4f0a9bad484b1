-- The status history of every reform action, one row per period a status held (from the
-- snapshot snap_reform_action_status). "Status on a date D": valid_from <= D and D < valid_to.
-- "What changed in the last build": changed_in_last_build (a new status, or the action left the
-- sources); first_seen_in_last_build marks actions the last build saw for the first time. "The last
-- build" is the latest build that recorded a version (the newest valid_from): the mart is a function
-- of the snapshot alone, so a build on unchanged data leaves it, and the change report, unchanged.
-- (Comparing with this build's run_started_at made every such build flip the flags of the versions
-- the previous build had recorded.)
with versions as (
    select
        action_key,
        plan_code,
        action_ref,
        status_raw,
        status,
        budget_status,
        status_as_of,
        dbt_valid_from as valid_from,
        dbt_valid_to as valid_to,
        dbt_is_deleted = 'True' as is_deleted,
        row_number() over (partition by action_key order by dbt_valid_from) as version_no
    from {{ ref('snap_reform_action_status') }}
),

last_build as (
    select max(valid_from) as built_at from versions
)

select
    v.action_key,
    v.plan_code,
    v.action_ref,
    v.version_no,
    v.status_raw,
    v.status,
    v.budget_status,
    v.status_as_of,
    v.valid_from,
    v.valid_to,
    v.valid_to = timestamp '9999-12-31' as is_current,
    v.is_deleted,
    v.valid_from = l.built_at and v.version_no > 1 as changed_in_last_build,
    v.valid_from = l.built_at and v.version_no = 1 as first_seen_in_last_build
from versions as v
cross join last_build as l
order by v.action_key, v.version_no
