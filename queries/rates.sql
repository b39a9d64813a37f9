-- rates: what an hour of each role costs, by how it was staffed.
-- Grain: one row per network_code x week_start x role x engagement, for filled shifts.
-- Columns: network_code, icb_code, week_start, role, engagement, filled_shifts, filled_hours,
--   costed_shifts, costed_hours, spend_pence, cost_per_hour_pence, cap_pence_per_hour,
--   shifts_above_cap, suppressed.
-- Definition: costed shifts are filled shifts with a known cost_pence; spend = their cost;
--   cost per hour = spend / costed hours (pence per hour), NULL when there are no costed hours.
--   A shift is above the cap when its own cost per hour (cost_pence / hours) is strictly greater
--   than the role's cap in {{rate_caps}} (configuration, not law: NHS price caps bind trusts,
--   not practices); shifts_above_cap counts costed shifts only and is NULL when the role has no
--   cap or no shift is costed.
-- Privacy: when the costed shifts come from fewer than {{min_clinicians}} distinct clinicians the
--   row is suppressed = true and every cost-derived value (spend_pence, cost_per_hour_pence,
--   shifts_above_cap) is NULL: spend / hours would otherwise give the rate back. Shift and hour
--   counts stay. A row with no costed shifts has nothing to suppress (suppressed = false). The row
--   is suppressed too when its engagement is closed in the network and week
--   (fragments/closed_engagements.sql: complementary suppression, as in network_week_role).
with shifts as (
    select * from {{shifts}}
),

rate_caps as (
    select * from {{rate_caps}}
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

filled as (
    select
        s.network_code,
        s.icb_code,
        s.week_start,
        s.role,
        s.engagement,
        s.clinician_key,
        s.hours,
        s.cost_pence,
        c.cap_pence_per_hour
    from shifts as s
    left join rate_caps as c on s.role = c.role
    where s.status = 'filled'
),

grouped as (
    select
        network_code,
        max(icb_code) as icb_code,
        week_start,
        role,
        engagement,
        count(*) as filled_shifts,
        sum(hours) as filled_hours,
        sum(case when cost_pence is not null then 1 else 0 end) as costed_shifts,
        sum(case when cost_pence is not null then hours else 0 end) as costed_hours,
        sum(cost_pence) as spend_pence,
        count(
            distinct case when cost_pence is not null then clinician_key end
        ) as costed_clinicians,
        max(cap_pence_per_hour) as cap_pence_per_hour,
        sum(
            case
                when cost_pence is not null and cost_pence > cap_pence_per_hour * hours then 1
                else 0
            end
        ) as shifts_above_cap
    from filled
    group by network_code, week_start, role, engagement
),

final as (
    select
        network_code,
        icb_code,
        week_start,
        role,
        engagement,
        filled_shifts,
        filled_hours,
        costed_shifts,
        costed_hours,
        case when suppressed then null else spend_pence end as spend_pence,
        case
            when suppressed or costed_hours = 0 then null
            else cast(spend_pence as double) / costed_hours
        end as cost_per_hour_pence,
        cap_pence_per_hour,
        case
            when suppressed or cap_pence_per_hour is null or costed_shifts = 0 then null
            else shifts_above_cap
        end as shifts_above_cap,
        suppressed
    from (
        select
            grouped.*,
            costed_shifts > 0 and (
                costed_clinicians < {{min_clinicians}}
                or (grouped.engagement = 'salaried' and coalesce(x.salaried_closed, 0) = 1)
                or (grouped.engagement = 'bank' and coalesce(x.bank_closed, 0) = 1)
                or (grouped.engagement = 'locum' and coalesce(x.locum_closed, 0) = 1)
                or (grouped.engagement = 'agency' and coalesce(x.agency_closed, 0) = 1)
            ) as suppressed
        from grouped
        left join closed_engagements as x
            on x.network_code = grouped.network_code and x.week_start = grouped.week_start
    ) as g
)

select * from final
order by network_code, week_start, role, engagement
