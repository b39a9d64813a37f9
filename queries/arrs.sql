-- arrs: the Additional Roles Reimbursement Scheme ledger, year to date, by role.
-- Grain: one row per network_code x financial_year_start x role x week_start, for each role with
--   a filled arrs_funded shift in the network and financial year, from the role's first such week
--   to the network's last week with data in the year (weeks with data only, as in ytd).
-- Columns: network_code, icb_code, financial_year_start, week_start, role, weeks_with_data,
--   weeks_in_year, ytd_filled_hours, ytd_costed_hours, wte, ytd_spend_pence, cost_per_wte_pence,
--   max_reimbursable_per_wte_pence, claimable_pence, excess_not_claimable_pence, suppressed,
--   network_ytd_spend_pence, network_suppressed, arrs_allocation_pence, allocation_used_share.
-- Definition: ARRS shifts are filled shifts with arrs_funded = true (NULL counts as not funded).
--   The financial year and weeks with data are ytd's: a week belongs to the year of its
--   week_start; a week with data is one with any shift of the network. weeks_with_data = the
--   network's weeks with data in the year up to and including this one; weeks_in_year = the
--   year's Mondays (52, or 53 when 1 April is a Monday). ytd_* sum the role's ARRS shifts of the
--   year up to this week: filled hours, costed hours (shifts with a cost) and spend (their cost;
--   NULL when none has one). wte = ytd_filled_hours / ({{arrs_wte_hours}} x weeks_with_data).
--   cost_per_wte = spend x {{arrs_wte_hours}} x weeks_in_year / costed hours: what one
--   whole-time post costs a year at this rate. max_reimbursable_per_wte from {{arrs_rates}} for the
--   role and year, NULL without one. The reimbursable ceiling so far = max x costed hours /
--   ({{arrs_wte_hours}} x weeks_in_year) (= max x costed WTE x weeks_with_data / weeks_in_year);
--   claimable = spend up to that ceiling, excess_not_claimable = spend above it (0 when under);
--   both NULL without a rate. network_ytd_spend = the network's ARRS spend so far, all roles;
--   arrs_allocation from {{budgets}} for the network and year; allocation_used_share =
--   network_ytd_spend / allocation (NULL without an allocation).
-- Privacy (docs/metrics.md, "The ARRS ledger"): a running total can be differenced, and
--   network_week_role publishes the role's spend in every week it does not suppress, so a week's
--   ARRS spend is never safe to leave in a published total while it, or a part of the role's spend
--   it would give back, is hidden. A role-week is dirty when it has costed ARRS spend and an ARRS
--   split of it (by engagement) comes from fewer than {{min_clinicians}} known clinicians, a split
--   not ARRS-funded beside it from 1 to k-1, or one of its engagements is closed in the network and
--   week (fragments/closed_engagements.sql) with fewer than two parts not ARRS-funded left unknown
--   in a split that has a small cell (broken_closures). A role is suppressed (spend, cost per WTE, claimable and
--   excess NULL) from its first dirty week to the end of the financial year; the network total
--   (network_suppressed: then it and allocation_used_share are NULL) from the first dirty week of
--   any role. Hours and WTE are not pay and are never suppressed.
with shifts as (
    select * from {{shifts}}
),

arrs_rates as (
    select * from {{arrs_rates}}
),

budgets as (
    select * from {{budgets}}
),

threshold as (
    select {{min_clinicians}} as min_clinicians
),

dated as (
    select
        network_code,
        icb_code,
        week_start,
        role,
        engagement,
        status,
        arrs_funded,
        clinician_key,
        hours,
        cost_pence,
        -- 1 April on or before week_start (as in ytd).
        cast(
            cast(date_trunc('year', week_start - interval '3' month) as date)
            + interval '3' month as date
        ) as financial_year_start
    from shifts
),

network_weeks as (
    select
        network_code,
        max(icb_code) as icb_code,
        financial_year_start,
        week_start
    from dated
    group by network_code, financial_year_start, week_start
),

counted_weeks as (
    select
        network_code,
        icb_code,
        financial_year_start,
        week_start,
        count(*) over (
            partition by network_code, financial_year_start order by week_start
            rows between unbounded preceding and current row
        ) as weeks_with_data
    from network_weeks
),

arrs_shifts as (
    select * from dated
    where status = 'filled' and arrs_funded = true
),

-- One role's ARRS shifts in one week.
role_week as (
    select
        network_code,
        financial_year_start,
        week_start,
        role,
        sum(hours) as filled_hours,
        sum(case when cost_pence is not null then hours else 0 end) as costed_hours,
        sum(cost_pence) as spend_pence,
        sum(case when cost_pence is not null then 1 else 0 end) as costed_shifts
    from arrs_shifts
    group by network_code, financial_year_start, week_start, role
),

role_start as (
    select
        network_code,
        financial_year_start,
        role,
        min(week_start) as first_week
    from role_week
    group by network_code, financial_year_start, role
),

-- Every week with data of the network from the role's first ARRS week, with or without shifts.
series as (
    select
        w.network_code,
        w.icb_code,
        w.financial_year_start,
        w.week_start,
        r.role,
        w.weeks_with_data,
        coalesce(rw.filled_hours, 0) as filled_hours,
        coalesce(rw.costed_hours, 0) as costed_hours,
        rw.spend_pence,
        coalesce(rw.costed_shifts, 0) as costed_shifts
    from counted_weeks as w
    inner join role_start as r
        on
            w.network_code = r.network_code
            and w.financial_year_start = r.financial_year_start
            and w.week_start >= r.first_week
    left join role_week as rw
        on
            rw.network_code = w.network_code
            and rw.financial_year_start = w.financial_year_start
            and rw.week_start = w.week_start
            and rw.role = r.role
),

running as (
    select
        network_code,
        icb_code,
        financial_year_start,
        week_start,
        role,
        weeks_with_data,
        sum(filled_hours) over (
            partition by network_code, financial_year_start, role order by week_start
            rows between unbounded preceding and current row
        ) as ytd_filled_hours,
        sum(costed_hours) over (
            partition by network_code, financial_year_start, role order by week_start
            rows between unbounded preceding and current row
        ) as ytd_costed_hours,
        sum(spend_pence) over (
            partition by network_code, financial_year_start, role order by week_start
            rows between unbounded preceding and current row
        ) as ytd_known_spend,
        sum(costed_shifts) over (
            partition by network_code, financial_year_start, role order by week_start
            rows between unbounded preceding and current row
        ) as ytd_costed_shifts
    from series
),

engagement_cells as (
    {{engagement_cells}}
),

-- A closed engagement (fragments/closed_engagements.sql) leaves two or more unknown cells in a
-- split, so its network total never gives a small cell back. The ledger's running totals give
-- each role's ARRS spend by difference, so its ARRS spend in the engagement is known too: what
-- is left unknown is the spend that is not ARRS-funded, one part per cell at most. With fewer than
-- two such parts in a split that has a small cell, the closure no longer holds.
broken_closures as (
    select
        e.network_code,
        e.week_start,
        e.engagement
    from engagement_cells as e
    cross join threshold as t
    group by e.network_code, e.week_start, e.engagement, e.breakdown, t.min_clinicians
    -- closed_engagements' rule, then the check against the ledger.
    having
        count(*) >= 2
        and min(e.clinicians) < t.min_clinicians
        and max(e.has_arrs_spend) = 1
        and sum(e.has_other_spend) < 2
),

-- One role's costed filled shifts in a week and engagement: the distinct known clinicians behind
-- the ARRS-funded spend and behind the rest.
role_engagement_cells as (
    select
        network_code,
        financial_year_start,
        week_start,
        role,
        engagement,
        max(case when arrs_funded then 1 else 0 end) as has_arrs_spend,
        count(distinct case when arrs_funded then clinician_key end) as arrs_clinicians,
        count(distinct case when coalesce(arrs_funded, false) then null else clinician_key end)
        as other_clinicians
    from dated
    where status = 'filled' and cost_pence is not null
    group by network_code, financial_year_start, week_start, role, engagement
),

-- A role's week is dirty when its costed ARRS spend in an engagement comes from fewer than k
-- known clinicians (a costed shift without a known clinician counts as below k), or sits beside
-- spend of the role in the same engagement that is not ARRS-funded and comes from 1 to k-1
-- clinicians (network_week_role's published cell minus the ARRS spend would give it back), or the
-- engagement's closure no longer holds (above).
dirty_weeks as (
    select
        c.network_code,
        c.financial_year_start,
        c.week_start,
        c.role
    from role_engagement_cells as c
    cross join threshold as t
    left join broken_closures as b
        on
            b.network_code = c.network_code
            and b.week_start = c.week_start
            and b.engagement = c.engagement
    where
        c.has_arrs_spend = 1
        and (
            c.arrs_clinicians < t.min_clinicians
            or c.other_clinicians between 1 and t.min_clinicians - 1
            or b.engagement is not null
        )
    group by c.network_code, c.financial_year_start, c.week_start, c.role
),

-- A running total keeps every week it has summed: once a dirty week is in it, any later figure
-- minus the role's published weeks (network_week_role) gives that week back. So a role is
-- suppressed from its first dirty week to the end of the financial year, and the network total,
-- which minus the published roles would give a suppressed role back, from the first dirty week
-- of any of its roles.
first_dirty as (
    select
        network_code,
        financial_year_start,
        role,
        min(week_start) as first_dirty_week
    from dirty_weeks
    group by network_code, financial_year_start, role
),

network_first_dirty as (
    select
        network_code,
        financial_year_start,
        min(first_dirty_week) as first_dirty_week
    from first_dirty
    group by network_code, financial_year_start
),

network_totals as (
    select
        network_code,
        financial_year_start,
        week_start,
        sum(ytd_known_spend) as network_ytd_spend_pence,
        sum(ytd_costed_shifts) as network_ytd_costed_shifts
    from running
    group by network_code, financial_year_start, week_start
),

flagged as (
    select
        r.*,
        case
            when n.network_ytd_costed_shifts > 0 and coalesce(nd.first_dirty_week <= r.week_start, false)
                then null
            else n.network_ytd_spend_pence
        end as network_ytd_spend_pence,
        n.network_ytd_costed_shifts > 0 and coalesce(nd.first_dirty_week <= r.week_start, false)
        as network_suppressed,
        r.ytd_costed_shifts > 0 and coalesce(d.first_dirty_week <= r.week_start, false) as suppressed,
        cast(date_diff(
            'day',
            cast(date_trunc('week', cast(r.financial_year_start + interval '6' day as date)) as date),
            cast(
                date_trunc(
                    'week',
                    cast(r.financial_year_start + interval '1' year as date) - interval '1' day
                ) as date
            )
        ) / 7 as bigint) + 1 as weeks_in_year
    from running as r
    inner join network_totals as n
        on
            n.network_code = r.network_code
            and n.financial_year_start = r.financial_year_start
            and n.week_start = r.week_start
    left join first_dirty as d
        on
            d.network_code = r.network_code
            and d.financial_year_start = r.financial_year_start
            and d.role = r.role
    left join network_first_dirty as nd
        on nd.network_code = r.network_code and nd.financial_year_start = r.financial_year_start
),

measured as (
    select
        f.*,
        a.max_pence_per_wte,
        case when f.suppressed then null else f.ytd_known_spend end as spend,
        -- The most the costed hours so far could be reimbursed at the role's maximum.
        a.max_pence_per_wte * f.ytd_costed_hours
        / (cast({{arrs_wte_hours}} as double) * f.weeks_in_year) as ceiling_pence
    from flagged as f
    left join arrs_rates as a
        on a.role = f.role and a.financial_year_start = f.financial_year_start
),

final as (
    select
        m.network_code,
        m.icb_code,
        m.financial_year_start,
        m.week_start,
        m.role,
        m.weeks_with_data,
        m.weeks_in_year,
        m.ytd_filled_hours,
        m.ytd_costed_hours,
        m.ytd_filled_hours / (cast({{arrs_wte_hours}} as double) * m.weeks_with_data) as wte,
        m.spend as ytd_spend_pence,
        case
            when m.spend is null or m.ytd_costed_hours = 0 then null
            else
                cast(m.spend as double) * cast({{arrs_wte_hours}} as double) * m.weeks_in_year
                / m.ytd_costed_hours
        end as cost_per_wte_pence,
        m.max_pence_per_wte as max_reimbursable_per_wte_pence,
        case
            when m.spend is null or m.max_pence_per_wte is null then null
            when m.spend <= m.ceiling_pence then cast(m.spend as double)
            else m.ceiling_pence
        end as claimable_pence,
        case
            when m.spend is null or m.max_pence_per_wte is null then null
            when m.spend <= m.ceiling_pence then cast(0 as double)
            else m.spend - m.ceiling_pence
        end as excess_not_claimable_pence,
        m.suppressed,
        m.network_ytd_spend_pence,
        m.network_suppressed,
        b.arrs_allocation_pence,
        cast(m.network_ytd_spend_pence as double)
        / nullif(b.arrs_allocation_pence, 0) as allocation_used_share
    from measured as m
    left join budgets as b
        on m.network_code = b.network_code and m.financial_year_start = b.financial_year_start
)

select * from final
order by network_code, financial_year_start, role, week_start
