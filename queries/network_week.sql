-- network_week: weekly cover and spend for each network.
-- Grain: one row per network_code x week_start (ISO week, Monday, Europe/London).
-- Columns: network_code, icb_code, week_start,
--   demand_shifts, filled_shifts, unfilled_shifts, cancelled_shifts, demand_hours, filled_hours,
--   unfilled_hours, fill_rate_shifts, fill_rate_hours, cancelled_hours, salaried_hours, bank_hours,
--   locum_hours, agency_hours, temporary_staffing_share, spend_pence, salaried_spend_pence,
--   bank_spend_pence, locum_spend_pence, agency_spend_pence, filled_shifts_without_cost,
--   agency_share_of_spend, remote_hours, remote_share, extended_hours_filled, population,
--   population_basis, population_practices_missing, filled_hours_per_1000, unfilled_hours_per_1000,
--   spend_pence_per_1000, agency_spend_pence_per_1000.
-- Definition: demand = filled + unfilled shifts (cancelled are counted, with their hours, but are
-- not demand); fill rate = filled / demand, by shifts and by hours. Hours by engagement are filled
-- hours; temporary staffing share = (bank + locum + agency) / filled hours. Spend = sum of
-- cost_pence of filled shifts with a known cost, total and by engagement: 0 when there is no such
-- filled shift, NULL when there are some but none has a cost; filled shifts without a cost are
-- left out of spend and counted in filled_shifts_without_cost. Agency share of spend = agency /
-- total spend. Remote share = remote filled hours / filled hours. extended_hours_filled = filled
-- hours in session_type extended_hours. Every ratio is NULL when its denominator is 0 (or NULL).
-- Per patient: population, population_basis and population_practices_missing are the network's
-- from the populations parameter (registered list sizes summed over its practices, or the
-- population file; NULL when it has none), as in enhanced_access; the *_per_1000 columns are
-- filled hours, unfilled hours, spend and agency spend (pence) x 1000 / population, per week,
-- NULL when the population is unknown or partial (population_practices_missing > 0) or the spend
-- is NULL.
with shifts as (
    select * from {{shifts}}
),

weekly as (
    select
        network_code,
        max(icb_code) as icb_code,
        week_start,
        {{cover_sums}}
    from shifts
    group by network_code, week_start
),

spend as (
    select
        weekly.*,
        {{cover_spend}}
    from weekly
),

-- Per-patient figures (issue 20): a network's population counts only when no practice lacks one.
per_patient as (
    select
        spend.*,
        p.patients as population,
        p.basis as population_basis,
        p.practices_missing as population_practices_missing,
        case when p.practices_missing = 0 then p.patients end as per_1000_population,
        spend.filled_hours as counted_filled_hours,
        spend.unfilled_hours as counted_unfilled_hours,
        spend.spend_pence as counted_spend_pence,
        spend.agency_spend_pence as counted_agency_spend_pence
    from spend
    left join {{populations}} as p on p.network_code = spend.network_code
),

final as (
    select
        network_code,
        icb_code,
        week_start,
        {{cover_columns}},
        population,
        population_basis,
        population_practices_missing,
        {{per_1000_columns}}
    from per_patient
)

select * from final
order by network_code, week_start
