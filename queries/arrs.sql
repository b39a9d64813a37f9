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
-- Privacy (docs/metrics.md, "The ARRS ledger"): a role is suppressed (spend, cost per WTE,
--   claimable and excess NULL) when its costed ARRS shifts so far come from fewer than
--   {{min_clinicians}} distinct clinicians, or when the latest week with costed ARRS spend in the
--   role did (so no two published figures of the series differ by a small week), or when its
--   network and week are closed: two or more roles with costed spend and one of them suppressed
--   (complementary suppression: the network total minus the other roles would give it back),
--   or a closure of an earlier week still holds (until every role has spent again since).
--   The network total follows the first two rules itself (network_suppressed: then it and
--   allocation_used_share are NULL). Hours and WTE are not pay and are never suppressed.
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
        sum(case when cost_pence is not null then 1 else 0 end) as costed_shifts,
        count(distinct case when cost_pence is not null then clinician_key end) as clinicians
    from arrs_shifts
    group by network_code, financial_year_start, week_start, role
),

-- Distinct clinicians so far: each counted in the first week they have a costed ARRS shift.
clinician_first as (
    select
        network_code,
        financial_year_start,
        role,
        clinician_key,
        min(week_start) as week_start
    from arrs_shifts
    where cost_pence is not null and clinician_key is not null
    group by network_code, financial_year_start, role, clinician_key
),

new_clinicians as (
    select
        network_code,
        financial_year_start,
        role,
        week_start,
        count(*) as new_clinicians
    from clinician_first
    group by network_code, financial_year_start, role, week_start
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
        coalesce(rw.costed_shifts, 0) as costed_shifts,
        coalesce(n.new_clinicians, 0) as new_clinicians,
        case when rw.costed_shifts > 0 then w.week_start end as spend_week
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
    left join new_clinicians as n
        on
            n.network_code = w.network_code
            and n.financial_year_start = w.financial_year_start
            and n.week_start = w.week_start
            and n.role = r.role
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
        ) as ytd_costed_shifts,
        sum(new_clinicians) over (
            partition by network_code, financial_year_start, role order by week_start
            rows between unbounded preceding and current row
        ) as ytd_clinicians,
        max(spend_week) over (
            partition by network_code, financial_year_start, role order by week_start
            rows between unbounded preceding and current row
        ) as last_spend_week
    from series
),

primary_flag as (
    select
        r.*,
        r.ytd_costed_shifts > 0 and (
            r.ytd_clinicians < t.min_clinicians
            or (l.costed_shifts > 0 and l.clinicians < t.min_clinicians)
        ) as below_k
    from running as r
    cross join threshold as t
    left join role_week as l
        on
            l.network_code = r.network_code
            and l.financial_year_start = r.financial_year_start
            and l.role = r.role
            and l.week_start = r.last_spend_week
),

-- The network total is a cell too: below k clinicians so far, or its latest week with costed
-- ARRS spend below k (with one role it is that role's figure; differenced, a week's spend).
network_week_spend as (
    select
        network_code,
        financial_year_start,
        week_start,
        sum(case when cost_pence is not null then 1 else 0 end) as costed_shifts,
        count(distinct case when cost_pence is not null then clinician_key end) as clinicians
    from arrs_shifts
    group by network_code, financial_year_start, week_start
),

network_clinician_first as (
    select
        network_code,
        financial_year_start,
        clinician_key,
        min(week_start) as week_start
    from arrs_shifts
    where cost_pence is not null and clinician_key is not null
    group by network_code, financial_year_start, clinician_key
),

network_new_clinicians as (
    select
        network_code,
        financial_year_start,
        week_start,
        count(*) as new_clinicians
    from network_clinician_first
    group by network_code, financial_year_start, week_start
),

network_running as (
    select
        w.network_code,
        w.financial_year_start,
        w.week_start,
        sum(coalesce(c.costed_shifts, 0)) over (
            partition by w.network_code, w.financial_year_start order by w.week_start
            rows between unbounded preceding and current row
        ) as ytd_costed_shifts,
        sum(coalesce(n.new_clinicians, 0)) over (
            partition by w.network_code, w.financial_year_start order by w.week_start
            rows between unbounded preceding and current row
        ) as ytd_clinicians,
        max(case when c.costed_shifts > 0 then w.week_start end) over (
            partition by w.network_code, w.financial_year_start order by w.week_start
            rows between unbounded preceding and current row
        ) as last_spend_week
    from counted_weeks as w
    left join network_week_spend as c
        on
            c.network_code = w.network_code
            and c.financial_year_start = w.financial_year_start
            and c.week_start = w.week_start
    left join network_new_clinicians as n
        on
            n.network_code = w.network_code
            and n.financial_year_start = w.financial_year_start
            and n.week_start = w.week_start
),

network_flag as (
    select
        r.network_code,
        r.week_start,
        r.ytd_costed_shifts > 0 and (
            r.ytd_clinicians < t.min_clinicians
            or (l.costed_shifts > 0 and l.clinicians < t.min_clinicians)
        ) as network_suppressed
    from network_running as r
    cross join threshold as t
    left join network_week_spend as l
        on
            l.network_code = r.network_code
            and l.financial_year_start = r.financial_year_start
            and l.week_start = r.last_spend_week
),

-- Complementary suppression: in a network and week with two or more roles with costed spend, one
-- role below k closes every role's spend; only the network total stays.
network_totals as (
    select
        network_code,
        financial_year_start,
        week_start,
        sum(ytd_known_spend) as network_ytd_spend_pence,
        sum(case when ytd_costed_shifts > 0 then 1 else 0 end) as spend_cells,
        max(case when below_k then 1 else 0 end) as any_below_k,
        -- The oldest of the roles' latest spend weeks: this week, when every role spent in it.
        min(case when ytd_costed_shifts > 0 then last_spend_week end) as oldest_spend_week
    from primary_flag
    group by network_code, financial_year_start, week_start
),

-- A closed week's roles stay hidden while any of them could be read back: a role that has spent
-- nothing since keeps the figure it had then, and published later with the total of the closed
-- week it gives back the small role (67,000 - 45,000). So a closure lasts from the week it starts
-- until a week in which every role with spend so far spent again (none is then its old figure),
-- unless that week closes anew: closed when the latest start is after the latest such week.
closure_weeks as (
    select
        network_code,
        financial_year_start,
        week_start,
        spend_cells >= 2 and any_below_k = 1 as closes,
        not (spend_cells >= 2 and any_below_k = 1) and oldest_spend_week = week_start as reopens
    from network_totals
),

closures as (
    select
        network_code,
        week_start,
        max(case when closes then week_start end) over (
            partition by network_code, financial_year_start order by week_start
            rows between unbounded preceding and current row
        ) as last_closing_week,
        max(case when reopens then week_start end) over (
            partition by network_code, financial_year_start order by week_start
            rows between unbounded preceding and current row
        ) as last_reopening_week
    from closure_weeks
),

flagged as (
    select
        p.*,
        case when nf.network_suppressed then null else n.network_ytd_spend_pence end
        as network_ytd_spend_pence,
        nf.network_suppressed,
        p.ytd_costed_shifts > 0
        and (
            p.below_k
            or (
                c.last_closing_week is not null
                and (c.last_reopening_week is null or c.last_reopening_week < c.last_closing_week)
            )
        ) as suppressed,
        cast(date_diff(
            'day',
            cast(date_trunc('week', cast(p.financial_year_start + interval '6' day as date)) as date),
            cast(
                date_trunc(
                    'week',
                    cast(p.financial_year_start + interval '1' year as date) - interval '1' day
                ) as date
            )
        ) / 7 as bigint) + 1 as weeks_in_year
    from primary_flag as p
    inner join network_totals as n
        on n.network_code = p.network_code and n.week_start = p.week_start
    inner join network_flag as nf
        on nf.network_code = p.network_code and nf.week_start = p.week_start
    inner join closures as c
        on c.network_code = p.network_code and c.week_start = p.week_start
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
