-- ytd: spend so far in the NHS financial year, and where it is heading at the observed run rate.
-- Grain: one row per network_code x week_start with any shift (ISO week, Monday).
-- Columns: network_code, icb_code, financial_year_start, week_start, spend_pence,
--   ytd_spend_pence, ytd_salaried_pence, ytd_bank_pence, ytd_locum_pence, ytd_agency_pence,
--   data_start_week, weeks_with_data, run_rate_weeks, run_rate_pence, agency_run_rate_pence,
--   remaining_weeks, projected_outturn_pence, budget_pence, budget_variance_pence,
--   projected_agency_outturn_pence, agency_budget_pence, agency_budget_variance_pence.
-- Definition: the financial year runs from 1 April to 31 March; a week belongs to the financial
--   year of its week_start (so the week of Monday 30 March 2026, which holds 1 April, is the last
--   week of 2025/26). spend = cost_pence of filled shifts (unknown costs count as nothing); a week
--   "with data" is one with any shift of the network, filled or not.
--   ytd_* = running sum of the week's spend over the weeks of the same network and financial year
--   up to and including this one, in total and by engagement (the total also holds any other or
--   unknown engagement). The sum starts where the data starts, not on 1 April:
--   data_start_week = the network's first week with data in the financial year;
--   weeks_with_data = its weeks with data from data_start_week to this one, inclusive.
--   run_rate = mean weekly spend over the network's last 8 weeks with data in the financial year,
--   up to and including this one (fewer at the start: run_rate_weeks of them); agency_run_rate the
--   same for agency spend. remaining_weeks = Mondays of the financial year after this week's
--   (0 in its last week). projected_outturn = ytd_spend + run_rate x remaining_weeks;
--   projected_agency_outturn = ytd_agency + agency_run_rate x remaining_weeks.
--   budget and agency_budget from {{budgets}} for the network and financial year, else NULL;
--   budget_variance = projected_outturn - budget, agency_budget_variance = projected agency
--   outturn - agency budget (positive = heading over budget; NULL without that budget).
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
        min(week_start) over (
            partition by network_code, financial_year_start
        ) as data_start_week,
        count(*) over (
            partition by network_code, financial_year_start order by week_start
            rows between unbounded preceding and current row
        ) as weeks_with_data,
        count(*) over (
            partition by network_code, financial_year_start order by week_start
            rows between 7 preceding and current row
        ) as run_rate_weeks,
        avg(cast(spend_pence as double)) over (
            partition by network_code, financial_year_start order by week_start
            rows between 7 preceding and current row
        ) as run_rate_pence,
        avg(cast(agency_pence as double)) over (
            partition by network_code, financial_year_start order by week_start
            rows between 7 preceding and current row
        ) as agency_run_rate_pence,
        -- Mondays after this one up to the last Monday on or before 31 March (the year's last
        -- week). date_diff counts days; 7 divides them exactly.
        cast(
            date_diff(
                'day',
                week_start,
                cast(
                    date_trunc(
                        'week',
                        cast(financial_year_start + interval '1' year as date) - interval '1' day
                    ) as date
                )
            ) / 7 as bigint
        ) as remaining_weeks
    from with_year
),

projected as (
    select
        *,
        ytd_spend_pence + run_rate_pence * remaining_weeks as projected_outturn_pence,
        ytd_agency_pence + agency_run_rate_pence * remaining_weeks
        as projected_agency_outturn_pence
    from running
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
        p.data_start_week,
        p.weeks_with_data,
        p.run_rate_weeks,
        p.run_rate_pence,
        p.agency_run_rate_pence,
        p.remaining_weeks,
        p.projected_outturn_pence,
        b.budget_pence,
        p.projected_outturn_pence - b.budget_pence as budget_variance_pence,
        p.projected_agency_outturn_pence,
        b.agency_budget_pence,
        p.projected_agency_outturn_pence - b.agency_budget_pence as agency_budget_variance_pence
    from projected as p
    left join budgets as b
        on p.network_code = b.network_code and p.financial_year_start = b.financial_year_start
)

select * from final
order by network_code, week_start
