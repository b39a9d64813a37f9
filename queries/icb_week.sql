-- icb_week: the commissioner's view, weekly cover and spend over all of an ICB's networks.
-- Grain: one row per icb_code x week_start.
-- Columns: icb_code, week_start, networks_reporting,
--   demand_shifts, filled_shifts, unfilled_shifts, cancelled_shifts, demand_hours, filled_hours,
--   unfilled_hours, fill_rate_shifts, fill_rate_hours, cancelled_hours, salaried_hours, bank_hours,
--   locum_hours, agency_hours, temporary_staffing_share, spend_pence, salaried_spend_pence,
--   bank_spend_pence, locum_spend_pence, agency_spend_pence, filled_shifts_without_cost,
--   agency_share_of_spend, remote_hours, remote_share, extended_hours_filled, population,
--   population_networks, population_practices_missing, filled_hours_per_1000,
--   unfilled_hours_per_1000, spend_pence_per_1000, agency_spend_pence_per_1000.
-- Definition: networks_reporting = networks with at least one shift (any status) in the week. The
-- sums are over all the ICB's shifts and every ratio is recomputed from the ICB's sums, never an
-- average of network ratios. Otherwise as network_week: demand = filled + unfilled shifts
-- (cancelled are counted, with their hours, but are not demand); fill rate = filled / demand, by
-- shifts and by hours. Hours by engagement are filled hours; temporary staffing share = (bank +
-- locum + agency) / filled hours. Spend = sum of cost_pence of filled shifts with a known cost,
-- total and by engagement: 0 when there is no such filled shift, NULL when there are some but none
-- has a cost; filled shifts without a cost are left out of spend and counted in
-- filled_shifts_without_cost. Agency share of spend = agency / total spend. Remote share = remote
-- filled hours / filled hours. extended_hours_filled = filled hours in session_type extended_hours.
-- Every ratio is NULL when its denominator is 0 (or NULL).
-- Per patient, pooled from sums: the networks that count are the networks reporting that week
-- whose population (the populations parameter) is known with no practice lacking a list size
-- (population_networks of networks_reporting); population is the sum of theirs, and each
-- *_per_1000 column is the sum of those networks' filled hours, unfilled hours, spend or agency
-- spend (pence) x 1000 / that population, never an average of network rates. NULL when no network
-- counts. population_practices_missing = practices without a list size in the networks reporting.
with shifts as (
    select * from {{shifts}}
),

-- Per-patient figures (issue 20): each network's week, then pooled over the networks that count.
network_weekly as (
    select
        icb_code,
        network_code,
        week_start,
        {{cover_sums}}
    from shifts
    group by icb_code, network_code, week_start
),

pooled as (
    select
        n.icb_code,
        n.week_start,
        cast(sum(case when p.practices_missing = 0 then p.patients end) as bigint) as per_1000_population,
        cast(sum(case when p.practices_missing = 0 then 1 else 0 end) as bigint) as population_networks,
        cast(sum(coalesce(p.practices_missing, 0)) as bigint) as population_practices_missing,
        sum(case when p.practices_missing = 0 then n.filled_hours end) as counted_filled_hours,
        sum(case when p.practices_missing = 0 then n.unfilled_hours end) as counted_unfilled_hours,
        sum(case when p.practices_missing = 0 then n.filled_shifts else 0 end) as counted_filled_shifts,
        sum(case when p.practices_missing = 0 then n.known_spend end) as counted_known_spend,
        sum(case when p.practices_missing = 0 then n.agency_shifts else 0 end) as counted_agency_shifts,
        sum(case when p.practices_missing = 0 then n.known_agency_spend end) as counted_known_agency_spend
    from network_weekly as n
    left join {{populations}} as p on p.network_code = n.network_code
    group by n.icb_code, n.week_start
),

weekly as (
    select
        icb_code,
        week_start,
        count(distinct network_code) as networks_reporting,
        {{cover_sums}}
    from shifts
    group by icb_code, week_start
),

spend as (
    select
        weekly.*,
        {{cover_spend}}
    from weekly
),

-- Spend of the networks that count, with cover_spend's rule: 0 when they filled nothing, NULL
-- when they filled shifts and none has a cost.
per_patient as (
    select
        spend.*,
        pooled.per_1000_population as population,
        pooled.population_networks,
        pooled.population_practices_missing,
        pooled.per_1000_population,
        pooled.counted_filled_hours,
        pooled.counted_unfilled_hours,
        case when pooled.counted_filled_shifts = 0 then 0 else pooled.counted_known_spend end
            as counted_spend_pence,
        case when pooled.counted_agency_shifts = 0 then 0 else pooled.counted_known_agency_spend end
            as counted_agency_spend_pence
    from spend
    -- An ICB code is NULL for shifts of a network outside the reference data: match it too.
    inner join pooled
        on coalesce(pooled.icb_code, '') = coalesce(spend.icb_code, '')
        and pooled.week_start = spend.week_start
),

final as (
    select
        icb_code,
        week_start,
        networks_reporting,
        {{cover_columns}},
        population,
        population_networks,
        population_practices_missing,
        {{per_1000_columns}}
    from per_patient
)

select * from final
order by icb_code, week_start
