-- engagement_cells: the cells that spend by engagement splits into in a network and week (docs/
-- metrics.md, "Small numbers"). A select over the query's `shifts` CTE giving one row per
-- network_code x week_start x engagement x breakdown ('role' or 'practice') x cell (the role or
-- practice code) with costed filled shifts: clinicians = distinct known clinicians behind the
-- cell's spend; has_arrs_spend / has_other_spend = 1 when some of it is ARRS-funded / not
-- (arrs_funded NULL is not). fragments/closed_engagements.sql closes engagements from these, and
-- queries/arrs.sql checks that its ledger leaves those closures holding.
select
    network_code,
    week_start,
    engagement,
    'role' as breakdown,
    role as cell,
    count(distinct clinician_key) as clinicians,
    max(case when arrs_funded then 1 else 0 end) as has_arrs_spend,
    max(case when coalesce(arrs_funded, false) then 0 else 1 end) as has_other_spend
from shifts
where status = 'filled' and cost_pence is not null
group by network_code, week_start, engagement, role
union all
select
    network_code,
    week_start,
    engagement,
    'practice' as breakdown,
    practice_code as cell,
    count(distinct clinician_key) as clinicians,
    max(case when arrs_funded then 1 else 0 end) as has_arrs_spend,
    max(case when coalesce(arrs_funded, false) then 0 else 1 end) as has_other_spend
from shifts
where status = 'filled' and cost_pence is not null
group by network_code, week_start, engagement, practice_code
