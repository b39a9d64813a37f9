-- lead_time: how far ahead shifts are published and filled.
-- Grain: one row per network_code x week_start with any shift (ISO week, Monday).
-- Columns: network_code, icb_code, week_start, filled_shifts, timed_shifts, median_lead_hours,
--   late_fills, late_fill_share.
-- Definition: timed shifts are filled shifts with both published_at and filled_at. Lead time =
--   hours from published_at to start_at (instants, so a clock change counts), in whole seconds
--   between the two truncated to the second (ingest keeps fractions of a second; date_diff alone
--   counts differently in DuckDB and Athena, src/engine/portable-sql.ts); median_lead_hours
--   is the median over the week's timed shifts (the mean of the two middle values for an even
--   count). A late fill is a timed shift filled less than 48 hours before its start (including
--   one filled after it started); late_fill_share = late_fills / timed_shifts.
--   median_lead_hours, late_fills and late_fill_share are NULL when there are no timed shifts
--   (the source does not give those timestamps).
with shifts as (
    select * from {{shifts}}
),

timed as (
    select
        network_code,
        week_start,
        cast(date_diff('second', date_trunc('second', published_at), date_trunc('second', start_at)) as double) / 3600 as lead_hours,
        case
            when date_diff('second', date_trunc('second', filled_at), date_trunc('second', start_at)) < 48 * 3600 then 1
            else 0
        end as late_fill
    from shifts
    where status = 'filled' and published_at is not null and filled_at is not null
),

ranked as (
    select
        network_code,
        week_start,
        lead_hours,
        row_number() over (partition by network_code, week_start order by lead_hours) as lead_rank,
        count(*) over (partition by network_code, week_start) as timed_count
    from timed
),

medians as (
    -- The middle value (odd count) or the two middle values (even count): 2 * lead_rank is n, n + 1
    -- or n + 2 exactly for those.
    select
        network_code,
        week_start,
        avg(lead_hours) as median_lead_hours
    from ranked
    where 2 * lead_rank between timed_count and timed_count + 2
    group by network_code, week_start
),

late as (
    select
        network_code,
        week_start,
        count(*) as timed_shifts,
        sum(late_fill) as late_fills
    from timed
    group by network_code, week_start
),

weekly as (
    select
        network_code,
        max(icb_code) as icb_code,
        week_start,
        sum(case when status = 'filled' then 1 else 0 end) as filled_shifts
    from shifts
    group by network_code, week_start
),

final as (
    select
        w.network_code,
        w.icb_code,
        w.week_start,
        w.filled_shifts,
        coalesce(l.timed_shifts, 0) as timed_shifts,
        m.median_lead_hours,
        l.late_fills,
        cast(l.late_fills as double) / l.timed_shifts as late_fill_share
    from weekly as w
    left join late as l on w.network_code = l.network_code and w.week_start = l.week_start
    left join medians as m on w.network_code = m.network_code and w.week_start = m.week_start
)

select * from final
order by network_code, week_start
