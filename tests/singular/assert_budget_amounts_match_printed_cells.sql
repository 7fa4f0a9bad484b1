-- Re-reads every EB152/34 Annex 1 cost cell: the first number printed is the low, a second one
-- the high; a single number is both unless it ends in '+' (open range, no high). Spaces are
-- thousands separators ('100 000– 150 000'). A cell with no amount must print no digits.
with cells as (
    select
        action_key,
        estimated_cost_raw,
        has_figure,
        cost_low_usd,
        cost_high_usd,
        regexp_extract_all(replace(coalesce(estimated_cost_raw, ''), ' ', ''), '\d+') as numbers,
        trim(coalesce(estimated_cost_raw, '')) like '%+' as open_ended
    from {{ ref('int_budget_lines__parsed') }}
),

reread as (
    select
        *,
        cast(numbers[1] as double) as low_reread,
        case
            when len(numbers) >= 2 then cast(numbers[2] as double)
            when not open_ended then cast(numbers[1] as double)
        end as high_reread
    from cells
)

select action_key, estimated_cost_raw, cost_low_usd, cost_high_usd, low_reread, high_reread
from reread
where has_figure <> (len(numbers) > 0)
    or cost_low_usd is distinct from low_reread
    or cost_high_usd is distinct from high_reread
