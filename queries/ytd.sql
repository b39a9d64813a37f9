-- ytd: spend so far in the NHS financial year, and where it is heading.
-- Grain: one row per network_code x week_start with any shift (ISO week, Monday).
-- Columns: network_code, icb_code, financial_year_start, week_start, spend_pence,
--   ytd_spend_pence, ytd_salaried_pence, ytd_bank_pence, ytd_locum_pence, ytd_agency_pence,
--   days_elapsed, days_in_year, projected_outturn_pence, budget_pence, budget_variance_pence.
-- Definition: the financial year runs from 1 April to 31 March; a week belongs to the financial
--   year of its week_start (so the week of Monday 30 March 2026, which holds 1 April, is the last
--   week of 2025/26). spend = cost_pence of filled shifts (unknown costs count as nothing);
--   ytd_* = running sum of the week's spend over the weeks of the same network and financial year
--   up to and including this one, in total and by engagement (the total also holds any other or
--   unknown engagement).
--   days_elapsed = days from 1 April to the end (Sunday) of this week, inclusive, at most
--   days_in_year (365 or 366); projected_outturn = ytd_spend / days_elapsed * days_in_year
--   (straight line). budget from {{budgets}} for the network and financial year, else NULL;
--   budget_variance = projected_outturn - budget (positive = heading over budget).
with shifts as (
    select * from {{shifts}}
),

budgets as (
    select * from {{budgets}}
),

weekly as (
    select
        network_code,
        max(icb_code) as icb_code,
        week_start,
        sum(cost) as spend_pence,
        sum(case when engagement = 'salaried' then cost else 0 end) as salaried_pence,
        sum(case when engagement = 'bank' then cost else 0 end) as bank_pence,
        sum(case when engagement = 'locum' then cost else 0 end) as locum_pence,
        sum(case when engagement = 'agency' then cost else 0 end) as agency_pence
    from (
        select
            network_code,
            icb_code,
            week_start,
            engagement,
            case
                when status = 'filled' and cost_pence is not null then cost_pence
                else 0
            end as cost
        from shifts
    ) as s
    group by network_code, week_start
),

with_year as (
    select
        *,
        -- 1 April on or before week_start: back 3 months, to 1 January, forward 3 months.
        cast(
            cast(date_trunc('year', week_start - interval '3' month) as date)
            + interval '3' month as date
        ) as financial_year_start
    from weekly
),

running as (
    select
        network_code,
        icb_code,
        financial_year_start,
        week_start,
        spend_pence,
        sum(spend_pence) over (
            partition by network_code, financial_year_start order by week_start
            rows between unbounded preceding and current row
        ) as ytd_spend_pence,
        sum(salaried_pence) over (
            partition by network_code, financial_year_start order by week_start
            rows between unbounded preceding and current row
        ) as ytd_salaried_pence,
        sum(bank_pence) over (
            partition by network_code, financial_year_start order by week_start
            rows between unbounded preceding and current row
        ) as ytd_bank_pence,
        sum(locum_pence) over (
            partition by network_code, financial_year_start order by week_start
            rows between unbounded preceding and current row
        ) as ytd_locum_pence,
        sum(agency_pence) over (
            partition by network_code, financial_year_start order by week_start
            rows between unbounded preceding and current row
        ) as ytd_agency_pence,
        date_diff(
            'day', financial_year_start, cast(financial_year_start + interval '1' year as date)
        ) as days_in_year,
        date_diff('day', financial_year_start, week_start) + 7 as days_to_week_end
    from with_year
),

projected as (
    select
        *,
        cast(ytd_spend_pence as double) / days_elapsed * days_in_year as projected_outturn_pence
    from (
        select
            *,
            case
                when days_to_week_end < days_in_year then days_to_week_end
                else days_in_year
            end as days_elapsed
        from running
    ) as r
),

final as (
    select
        p.network_code,
        p.icb_code,
        p.financial_year_start,
        p.week_start,
        p.spend_pence,
        p.ytd_spend_pence,
        p.ytd_salaried_pence,
        p.ytd_bank_pence,
        p.ytd_locum_pence,
        p.ytd_agency_pence,
        p.days_elapsed,
        p.days_in_year,
        p.projected_outturn_pence,
        b.budget_pence,
        p.projected_outturn_pence - b.budget_pence as budget_variance_pence
    from projected as p
    left join budgets as b
        on p.network_code = b.network_code and p.financial_year_start = b.financial_year_start
)

select * from final
order by network_code, week_start
