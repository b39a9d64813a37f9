-- practice_week: weekly cover and spend for each practice (or hub site).
-- Grain: one row per practice_code x week_start, with its network_code and icb_code. A practice
--   belongs to one network; a hub site used by two networks gets a row per network, so one
--   network's figures are never mixed into another's.
-- Columns: practice_code, network_code, icb_code, week_start,
--   demand_shifts, filled_shifts, unfilled_shifts, cancelled_shifts, demand_hours, filled_hours,
--   unfilled_hours, fill_rate_shifts, fill_rate_hours, cancelled_hours, salaried_hours, bank_hours,
--   locum_hours, agency_hours, temporary_staffing_share, spend_pence, salaried_spend_pence,
--   bank_spend_pence, locum_spend_pence, agency_spend_pence, filled_shifts_without_cost,
--   agency_share_of_spend, remote_hours, remote_share, extended_hours_filled.
-- Definition: demand = filled + unfilled shifts (cancelled are counted, with their hours, but are
-- not demand); fill rate = filled / demand, by shifts and by hours. Hours by engagement are filled
-- hours; temporary staffing share = (bank + locum + agency) / filled hours. Spend = sum of
-- cost_pence of filled shifts with a known cost, total and by engagement: 0 when there is no such
-- filled shift, NULL when there are some but none has a cost; filled shifts without a cost are
-- left out of spend and counted in filled_shifts_without_cost. Agency share of spend = agency /
-- total spend. Remote share = remote filled hours / filled hours. extended_hours_filled = filled
-- hours in session_type extended_hours. Every ratio is NULL when its denominator is 0 (or NULL).
with shifts as (
    select * from {{shifts}}
),

weekly as (
    select
        practice_code,
        network_code,
        max(icb_code) as icb_code,
        week_start,
        {{cover_sums}}
    from shifts
    group by network_code, practice_code, week_start
),

spend as (
    select
        weekly.*,
        {{cover_spend}}
    from weekly
),

final as (
    select
        practice_code,
        network_code,
        icb_code,
        week_start,
        {{cover_columns}}
    from spend
)

select * from final
order by network_code, practice_code, week_start
