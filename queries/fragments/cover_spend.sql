-- cover_spend: spend in pence from the cover_sums of a group, as select-list items. Spend is 0
-- where nothing was filled (nothing spent) and NULL where shifts were filled but none has a cost
-- (spend unknown), so a missing cost never shows as £0.
case when filled_shifts = 0 then 0 else cast(known_spend as bigint) end as spend_pence,
case when salaried_shifts = 0 then 0 else cast(known_salaried_spend as bigint) end as salaried_spend_pence,
case when bank_shifts = 0 then 0 else cast(known_bank_spend as bigint) end as bank_spend_pence,
case when locum_shifts = 0 then 0 else cast(known_locum_spend as bigint) end as locum_spend_pence,
case when agency_shifts = 0 then 0 else cast(known_agency_spend as bigint) end as agency_spend_pence
