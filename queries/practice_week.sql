-- practice_week: weekly cover and spend for each practice (or hub site).
-- Grain: one row per practice_code x week_start, with its network_code and icb_code. A practice
--   belongs to one network; a hub site used by two networks gets a row per network, so one
--   network's figures are never mixed into another's.
-- Columns: practice_code, network_code, icb_code, week_start,
--   demand_shifts, filled_shifts, unfilled_shifts, cancelled_shifts, demand_hours, filled_hours,
--   unfilled_hours, fill_rate_shifts, fill_rate_hours, cancelled_hours, salaried_hours, bank_hours,
--   locum_hours, agency_hours, temporary_staffing_share, spend_pence, salaried_spend_pence,
--   bank_spend_pence, locum_spend_pence, agency_spend_pence, filled_shifts_without_cost,
--   agency_share_of_spend, remote_hours, remote_share, extended_hours_filled, suppressed.
-- Suppressed: an engagement's spend is NULL when the engagement is closed in the practice's network
-- and week (fragments/closed_engagements.sql: some role or practice cell of it comes from fewer
-- than {{min_clinicians}} clinicians); then spend_pence and agency_share_of_spend are NULL too and
-- suppressed is true.
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

threshold as (
    select {{min_clinicians}} as min_clinicians
),

engagement_cells as (
    {{engagement_cells}}
),

closed_engagements as (
    {{closed_engagements}}
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

-- Which of the practice's engagements are closed in its network and week (with costed spend here).
flagged as (
    select
        w.*,
        case when x.salaried_closed = 1 and w.known_salaried_spend is not null then 1 else 0 end as salaried_closed,
        case when x.bank_closed = 1 and w.known_bank_spend is not null then 1 else 0 end as bank_closed,
        case when x.locum_closed = 1 and w.known_locum_spend is not null then 1 else 0 end as locum_closed,
        case when x.agency_closed = 1 and w.known_agency_spend is not null then 1 else 0 end as agency_closed
    from weekly as w
    left join closed_engagements as x
        on x.network_code = w.network_code and x.week_start = w.week_start
),

suppression as (
    select
        flagged.*,
        (salaried_closed = 1 or bank_closed = 1 or locum_closed = 1 or agency_closed = 1) as suppressed
    from flagged
),

-- Spend as in fragments/cover_spend.sql, and NULL where closed: a closed engagement's spend, and the
-- practice's total spend (the total minus the other engagements would give it back).
spend as (
    select
        suppression.*,
        case when filled_shifts = 0 then 0 when suppressed then null else cast(known_spend as bigint) end as spend_pence,
        case when salaried_shifts = 0 then 0 when salaried_closed = 1 then null
            else cast(known_salaried_spend as bigint) end as salaried_spend_pence,
        case when bank_shifts = 0 then 0 when bank_closed = 1 then null
            else cast(known_bank_spend as bigint) end as bank_spend_pence,
        case when locum_shifts = 0 then 0 when locum_closed = 1 then null
            else cast(known_locum_spend as bigint) end as locum_spend_pence,
        case when agency_shifts = 0 then 0 when agency_closed = 1 then null
            else cast(known_agency_spend as bigint) end as agency_spend_pence
    from suppression
),

final as (
    select
        practice_code,
        network_code,
        icb_code,
        week_start,
        {{cover_columns}},
        suppressed
    from spend
)

select * from final
order by network_code, practice_code, week_start
