-- gaps: where and when shifts go unfilled.
-- Grain: one row per network_code x practice_code x week_start x weekday x hour band, only where
--   at least one shift is unfilled (a missing cell is "no gap", not "no data").
-- Columns: network_code, icb_code, practice_code, week_start, weekday, weekday_name,
--   hour_band_start, hour_band, unfilled_shifts, unfilled_hours.
-- Definition: unfilled shifts (status unfilled) and their hours, by the local start of the shift:
--   weekday = days from the Monday of the shift's week + 1 (1 = Monday ... 7 = Sunday), so a
--   Sunday 23:30 start is weekday 7 of the week that Sunday ends; hour band by the local start
--   hour, whole-hour bands that follow the general-practice day:
--   00:00-07:59 night and early, 08:00-11:59 morning, 12:00-13:59 midday, 14:00-17:59 afternoon,
--   18:00-19:59 evening (extended hours), 20:00-23:59 late.
--   The whole shift counts in the band it starts in.
with shifts as (
    select * from {{shifts}}
),

unfilled as (
    select
        network_code,
        icb_code,
        practice_code,
        week_start,
        date_diff('day', week_start, shift_date) + 1 as weekday,
        case
            when start_hour < 8 then 0
            when start_hour < 12 then 8
            when start_hour < 14 then 12
            when start_hour < 18 then 14
            when start_hour < 20 then 18
            else 20
        end as hour_band_start,
        hours
    from shifts
    where status = 'unfilled'
),

final as (
    select
        network_code,
        max(icb_code) as icb_code,
        practice_code,
        week_start,
        weekday,
        case weekday
            when 1 then 'Monday'
            when 2 then 'Tuesday'
            when 3 then 'Wednesday'
            when 4 then 'Thursday'
            when 5 then 'Friday'
            when 6 then 'Saturday'
            when 7 then 'Sunday'
        end as weekday_name,
        hour_band_start,
        case hour_band_start
            when 0 then '00:00-07:59'
            when 8 then '08:00-11:59'
            when 12 then '12:00-13:59'
            when 14 then '14:00-17:59'
            when 18 then '18:00-19:59'
            else '20:00-23:59'
        end as hour_band,
        count(*) as unfilled_shifts,
        sum(hours) as unfilled_hours
    from unfilled
    group by network_code, practice_code, week_start, weekday, hour_band_start
)

select * from final
order by network_code, practice_code, week_start, weekday, hour_band_start
