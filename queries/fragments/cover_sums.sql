-- cover_sums: the additive weekly cover measures over a group of shifts, as a select list for a
-- GROUP BY over staged shifts. Used by network_week, network_week_role, practice_week and icb_week,
-- which differ only in what they group by; definitions in docs/metrics.md (network_week).
-- *_shifts by engagement count filled shifts; known_* are sums of known costs only, NULL when no
-- shift in the sum has a cost (cover_spend turns them into spend).
sum(case when status in ('filled', 'unfilled') then 1 else 0 end) as demand_shifts,
sum(case when status = 'filled' then 1 else 0 end) as filled_shifts,
sum(case when status = 'unfilled' then 1 else 0 end) as unfilled_shifts,
sum(case when status = 'cancelled' then 1 else 0 end) as cancelled_shifts,
sum(case when status in ('filled', 'unfilled') then hours else 0 end) as demand_hours,
sum(case when status = 'filled' then hours else 0 end) as filled_hours,
sum(case when status = 'unfilled' then hours else 0 end) as unfilled_hours,
sum(case when status = 'cancelled' then hours else 0 end) as cancelled_hours,
sum(case when status = 'filled' and engagement = 'salaried' then hours else 0 end) as salaried_hours,
sum(case when status = 'filled' and engagement = 'bank' then hours else 0 end) as bank_hours,
sum(case when status = 'filled' and engagement = 'locum' then hours else 0 end) as locum_hours,
sum(case when status = 'filled' and engagement = 'agency' then hours else 0 end) as agency_hours,
sum(case when status = 'filled' and engagement = 'salaried' then 1 else 0 end) as salaried_shifts,
sum(case when status = 'filled' and engagement = 'bank' then 1 else 0 end) as bank_shifts,
sum(case when status = 'filled' and engagement = 'locum' then 1 else 0 end) as locum_shifts,
sum(case when status = 'filled' and engagement = 'agency' then 1 else 0 end) as agency_shifts,
sum(case when status = 'filled' then cost_pence end) as known_spend,
sum(case when status = 'filled' and engagement = 'salaried' then cost_pence end) as known_salaried_spend,
sum(case when status = 'filled' and engagement = 'bank' then cost_pence end) as known_bank_spend,
sum(case when status = 'filled' and engagement = 'locum' then cost_pence end) as known_locum_spend,
sum(case when status = 'filled' and engagement = 'agency' then cost_pence end) as known_agency_spend,
sum(case when status = 'filled' and cost_pence is null then 1 else 0 end) as filled_shifts_without_cost,
sum(case when status = 'filled' and delivery = 'remote' then hours else 0 end) as remote_hours,
sum(case when status = 'filled' and session_type = 'extended_hours' then hours else 0 end) as extended_hours_filled
