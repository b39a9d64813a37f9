-- network_week_role: weekly cover and spend for each network, by role.
-- Grain: one row per network_code x week_start x role (canonical role); staff_group is the role's
--   staff group.
-- Columns: network_code, icb_code, week_start, role, staff_group,
--   demand_shifts, filled_shifts, unfilled_shifts, cancelled_shifts, demand_hours, filled_hours,
--   unfilled_hours, fill_rate_shifts, fill_rate_hours, cancelled_hours, salaried_hours, bank_hours,
--   locum_hours, agency_hours, temporary_staffing_share, spend_pence, salaried_spend_pence,
--   bank_spend_pence, locum_spend_pence, agency_spend_pence, filled_shifts_without_cost,
--   agency_share_of_spend, remote_hours, remote_share, extended_hours_filled, suppressed.
-- Suppressed: an engagement's spend is NULL when it comes from 1 to k-1 distinct clinicians
-- ({{min_clinicians}}), or when the engagement is closed in the network and week
-- (fragments/closed_engagements.sql: complementary suppression); then spend_pence and
-- agency_share_of_spend are NULL too and suppressed is true (spend / hours would give a suppressed
-- rate back, and the total minus the other engagements a suppressed engagement).
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
        network_code,
        max(icb_code) as icb_code,
        week_start,
        role,
        max(staff_group) as staff_group,
        {{cover_sums}}
    from shifts
    group by network_code, week_start, role
),

-- Each clinician with a costed filled shift in the role and week, and in which engagements.
costed_clinician as (
    select
        network_code,
        week_start,
        role,
        clinician_key,
        max(case when engagement = 'salaried' then 1 else 0 end) as salaried,
        max(case when engagement = 'bank' then 1 else 0 end) as bank,
        max(case when engagement = 'locum' then 1 else 0 end) as locum,
        max(case when engagement = 'agency' then 1 else 0 end) as agency
    from shifts
    where status = 'filled' and cost_pence is not null and clinician_key is not null
    group by network_code, week_start, role, clinician_key
),

-- Distinct clinicians behind each spend figure, for small-number suppression.
costed as (
    select
        network_code,
        week_start,
        role,
        count(*) as costed_clinicians,
        sum(salaried) as salaried_costed_clinicians,
        sum(bank) as bank_costed_clinicians,
        sum(locum) as locum_costed_clinicians,
        sum(agency) as agency_costed_clinicians
    from costed_clinician
    group by network_code, week_start, role
),

flagged as (
    select
        w.*,
        coalesce(c.costed_clinicians, 0) as costed_clinicians,
        coalesce(c.salaried_costed_clinicians, 0) as salaried_costed_clinicians,
        coalesce(c.bank_costed_clinicians, 0) as bank_costed_clinicians,
        coalesce(c.locum_costed_clinicians, 0) as locum_costed_clinicians,
        coalesce(c.agency_costed_clinicians, 0) as agency_costed_clinicians,
        -- Complementary suppression: an engagement closed in this network and week (and with
        -- costed spend in this role) is NULL here whatever its own clinician count.
        case when x.salaried_closed = 1 and w.known_salaried_spend is not null then 1 else 0 end as salaried_closed,
        case when x.bank_closed = 1 and w.known_bank_spend is not null then 1 else 0 end as bank_closed,
        case when x.locum_closed = 1 and w.known_locum_spend is not null then 1 else 0 end as locum_closed,
        case when x.agency_closed = 1 and w.known_agency_spend is not null then 1 else 0 end as agency_closed
    from weekly as w
    left join costed as c
        on c.network_code = w.network_code and c.week_start = w.week_start and c.role = w.role
    left join closed_engagements as x
        on x.network_code = w.network_code and x.week_start = w.week_start
),

suppression as (
    select
        flagged.*,
        -- Spend of one role and engagement divided by its hours is that role's rate: below k
        -- distinct clinicians it is suppressed (DESIGN §4), and so is the total, which would give
        -- a suppressed part back by subtraction.
        (salaried_costed_clinicians between 1 and {{min_clinicians}} - 1
            or bank_costed_clinicians between 1 and {{min_clinicians}} - 1
            or locum_costed_clinicians between 1 and {{min_clinicians}} - 1
            or agency_costed_clinicians between 1 and {{min_clinicians}} - 1
            or costed_clinicians between 1 and {{min_clinicians}} - 1
            or salaried_closed = 1 or bank_closed = 1 or locum_closed = 1 or agency_closed = 1) as suppressed
    from flagged
),

-- Spend as in fragments/cover_spend.sql (0 when nothing was filled, NULL when no filled shift has
-- a cost), and NULL where suppressed.
spend as (
    select
        suppression.*,
        case when filled_shifts = 0 then 0 when suppressed then null else cast(known_spend as bigint) end as spend_pence,
        case when salaried_shifts = 0 then 0 when salaried_costed_clinicians between 1 and {{min_clinicians}} - 1 or salaried_closed = 1 then null
            else cast(known_salaried_spend as bigint) end as salaried_spend_pence,
        case when bank_shifts = 0 then 0 when bank_costed_clinicians between 1 and {{min_clinicians}} - 1 or bank_closed = 1 then null
            else cast(known_bank_spend as bigint) end as bank_spend_pence,
        case when locum_shifts = 0 then 0 when locum_costed_clinicians between 1 and {{min_clinicians}} - 1 or locum_closed = 1 then null
            else cast(known_locum_spend as bigint) end as locum_spend_pence,
        case when agency_shifts = 0 then 0 when agency_costed_clinicians between 1 and {{min_clinicians}} - 1 or agency_closed = 1 then null
            else cast(known_agency_spend as bigint) end as agency_spend_pence
    from suppression
),

final as (
    select
        network_code,
        icb_code,
        week_start,
        role,
        staff_group,
        {{cover_columns}},
        suppressed
    from spend
)

select * from final
order by network_code, week_start, role
