-- per_1000_columns: the per-patient columns of network_week and icb_week, per 1,000 patients per
-- week, from per_1000_population (the population that counts: a network's when no practice lacks
-- a list size; for an ICB the sum over its networks that count) and the counted_* numerators (the
-- same networks' filled and unfilled hours and spend in pence). NULL when there is no population
-- that counts, or when the spend is NULL; never divided by a partial population or a silent 0.
case when per_1000_population is null or per_1000_population = 0 then cast(null as double)
    else counted_filled_hours * 1000 / per_1000_population end as filled_hours_per_1000,
case when per_1000_population is null or per_1000_population = 0 then cast(null as double)
    else counted_unfilled_hours * 1000 / per_1000_population end as unfilled_hours_per_1000,
case when per_1000_population is null or per_1000_population = 0 then cast(null as double)
    else cast(counted_spend_pence as double) * 1000 / per_1000_population end as spend_pence_per_1000,
case when per_1000_population is null or per_1000_population = 0 then cast(null as double)
    else cast(counted_agency_spend_pence as double) * 1000 / per_1000_population end
    as agency_spend_pence_per_1000
