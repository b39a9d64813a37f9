-- cover_columns: the published cover columns of a group, in order, from its cover_sums and
-- cover_spend: counts and hours, fill rates, hours and spend by engagement, and shares. Every ratio
-- is NULL when its denominator is 0 (or NULL).
demand_shifts,
filled_shifts,
unfilled_shifts,
cancelled_shifts,
demand_hours,
filled_hours,
unfilled_hours,
case when demand_shifts = 0 then null else cast(filled_shifts as double) / demand_shifts end as fill_rate_shifts,
case when demand_hours = 0 then null else filled_hours / demand_hours end as fill_rate_hours,
cancelled_hours,
salaried_hours,
bank_hours,
locum_hours,
agency_hours,
case when filled_hours = 0 then null else (bank_hours + locum_hours + agency_hours) / filled_hours end
    as temporary_staffing_share,
spend_pence,
salaried_spend_pence,
bank_spend_pence,
locum_spend_pence,
agency_spend_pence,
filled_shifts_without_cost,
case when spend_pence = 0 then null else cast(agency_spend_pence as double) / spend_pence end
    as agency_share_of_spend,
remote_hours,
case when filled_hours = 0 then null else remote_hours / filled_hours end as remote_share,
extended_hours_filled
