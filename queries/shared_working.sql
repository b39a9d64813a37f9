-- shared_working: how much clinicians work away from their home practice, across a network's sites.
-- Grain: one row per network_code x week_start (every network and week that has shifts).
-- Columns: network_code, icb_code, week_start, clinicians, clinicians_home_from_availability,
--   suppressed, filled_hours, hours_away_from_home, away_from_home_share, clinicians_multi_practice.
-- Definition:
--   Only filled shifts with a known clinician (clinician_key not NULL) count; filled_hours is their
--   hours and clinicians the distinct clinicians behind them.
--   A clinician's home practice for a week is the home_practice_code on their availability in that
--   network and week when known (the lowest code if rows disagree); otherwise the practice where
--   they worked most filled hours in that network and week, ties to the lowest practice code.
--   clinicians_home_from_availability = clinicians whose home came from availability.
--   hours_away_from_home = filled hours worked at a practice (or hub site) other than the
--   clinician's home practice; away_from_home_share = hours_away_from_home / filled_hours, NULL
--   when filled_hours is 0. clinicians_multi_practice = clinicians who worked filled shifts at two
--   or more practices in the network that week.
--   Privacy (DESIGN §4): when clinicians is 1 to {{min_clinicians}} - 1, suppressed is true and
--   hours_away_from_home, away_from_home_share and clinicians_multi_practice are NULL. A week with no
--   clinicians has nothing to suppress: those three are NULL ("no data") and suppressed is false.
--   clinicians, clinicians_home_from_availability and filled_hours are never suppressed (counts,
--   and filled hours that network_week publishes anyway).
with shifts as (
    select * from {{shifts}}
),

availability as (
    select * from {{availability}}
),

network_weeks as (
    select
        network_code,
        week_start,
        max(icb_code) as icb_code
    from shifts
    group by network_code, week_start
),

practice_hours as (
    select
        network_code,
        week_start,
        clinician_key,
        practice_code,
        sum(hours) as filled_hours
    from shifts
    where status = 'filled' and clinician_key is not null
    group by network_code, week_start, clinician_key, practice_code
),

declared_home as (
    select
        network_code,
        week_start,
        clinician_key,
        min(home_practice_code) as home_practice_code
    from availability
    where clinician_key is not null and home_practice_code is not null
    group by network_code, week_start, clinician_key
),

busiest_practice as (
    select
        network_code,
        week_start,
        clinician_key,
        practice_code as home_practice_code
    from (
        select
            network_code,
            week_start,
            clinician_key,
            practice_code,
            row_number() over (
                partition by network_code, week_start, clinician_key
                order by round(filled_hours, 6) desc, practice_code asc
            ) as practice_rank
        from practice_hours
    ) as ranked
    where practice_rank = 1
),

clinician_week as (
    select
        p.network_code,
        p.week_start,
        p.clinician_key,
        max(case when d.home_practice_code is null then 0 else 1 end) as home_from_availability,
        count(*) as practices,
        sum(p.filled_hours) as filled_hours,
        sum(
            case when p.practice_code = coalesce(d.home_practice_code, b.home_practice_code) then 0 else p.filled_hours end
        ) as hours_away_from_home
    from practice_hours as p
    left join declared_home as d
        on d.network_code = p.network_code and d.week_start = p.week_start and d.clinician_key = p.clinician_key
    left join busiest_practice as b
        on b.network_code = p.network_code and b.week_start = p.week_start and b.clinician_key = p.clinician_key
    group by p.network_code, p.week_start, p.clinician_key
),

weekly as (
    select
        n.network_code,
        n.icb_code,
        n.week_start,
        count(c.clinician_key) as clinicians,
        sum(case when c.home_from_availability = 1 then 1 else 0 end) as clinicians_home_from_availability,
        coalesce(sum(c.filled_hours), 0) as filled_hours,
        coalesce(sum(c.hours_away_from_home), 0) as hours_away_from_home,
        sum(case when c.practices >= 2 then 1 else 0 end) as clinicians_multi_practice
    from network_weeks as n
    left join clinician_week as c
        on c.network_code = n.network_code and c.week_start = n.week_start
    group by n.network_code, n.icb_code, n.week_start
),

final as (
    select
        network_code,
        icb_code,
        week_start,
        clinicians,
        clinicians_home_from_availability,
        (clinicians > 0 and clinicians < {{min_clinicians}}) as suppressed,
        filled_hours,
        case when clinicians >= {{min_clinicians}} then hours_away_from_home end as hours_away_from_home,
        case
            when clinicians < {{min_clinicians}} or filled_hours = 0 then null
            else hours_away_from_home / filled_hours
        end as away_from_home_share,
        case when clinicians >= {{min_clinicians}} then clinicians_multi_practice end as clinicians_multi_practice
    from weekly
)

select * from final
order by network_code, week_start
