-- network_week: weekly cover for each network.
-- Grain: one row per network_code x week_start (ISO week, Monday, Europe/London).
-- Columns: network_code, icb_code, week_start, demand_shifts, filled_shifts, unfilled_shifts,
--   cancelled_shifts, demand_hours, filled_hours, unfilled_hours, fill_rate_shifts, fill_rate_hours.
-- Definition: demand = filled + unfilled shifts (cancelled are counted but not demand); fill rate
-- = filled / demand, by shifts and by hours, NULL when demand is zero.
with shifts as (
    select * from {{shifts}}
),

weekly as (
    select
        network_code,
        max(icb_code) as icb_code,
        week_start,
        sum(case when status in ('filled', 'unfilled') then 1 else 0 end) as demand_shifts,
        sum(case when status = 'filled' then 1 else 0 end) as filled_shifts,
        sum(case when status = 'unfilled' then 1 else 0 end) as unfilled_shifts,
        sum(case when status = 'cancelled' then 1 else 0 end) as cancelled_shifts,
        sum(case when status in ('filled', 'unfilled') then hours else 0 end) as demand_hours,
        sum(case when status = 'filled' then hours else 0 end) as filled_hours,
        sum(case when status = 'unfilled' then hours else 0 end) as unfilled_hours
    from shifts
    group by network_code, week_start
),

final as (
    select
        network_code,
        icb_code,
        week_start,
        demand_shifts,
        filled_shifts,
        unfilled_shifts,
        cancelled_shifts,
        demand_hours,
        filled_hours,
        unfilled_hours,
        case when demand_shifts = 0 then null else cast(filled_shifts as double) / demand_shifts end as fill_rate_shifts,
        case when demand_hours = 0 then null else filled_hours / demand_hours end as fill_rate_hours
    from weekly
)

select * from final
order by network_code, week_start
