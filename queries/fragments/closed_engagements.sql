-- closed_engagements: complementary suppression of spend below the network total (docs/metrics.md,
-- "Small numbers"). A select over the query's `engagement_cells` (fragments/engagement_cells.sql)
-- and `threshold` (min_clinicians) CTEs giving one row per network_code x week_start with a 0/1
-- flag per engagement: the engagement is closed when its costed filled shifts split into two or
-- more role cells, or two or more practice cells, and one of those cells comes from fewer than
-- min_clinicians distinct known clinicians. In a closed engagement every role and practice spend
-- cell is NULL, so no small cell can be had back as the network's engagement total minus the
-- other cells.
select
    network_code,
    week_start,
    max(case when engagement = 'salaried' then closed else 0 end) as salaried_closed,
    max(case when engagement = 'bank' then closed else 0 end) as bank_closed,
    max(case when engagement = 'locum' then closed else 0 end) as locum_closed,
    max(case when engagement = 'agency' then closed else 0 end) as agency_closed
from (
    select
        b.network_code,
        b.week_start,
        b.engagement,
        case when b.cells >= 2 and b.fewest_clinicians < t.min_clinicians then 1 else 0 end as closed
    from (
        select
            network_code,
            week_start,
            engagement,
            breakdown,
            count(*) as cells,
            min(clinicians) as fewest_clinicians
        from engagement_cells
        group by network_code, week_start, engagement, breakdown
    ) as b
    cross join threshold as t
) as engagement_closed
group by network_code, week_start
