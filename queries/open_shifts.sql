-- open_shifts: the unfilled shifts a rota coordinator has to fill, day by day.
-- Grain: one row per network_code x shift_date x practice_code x session_type x role, only where
--   at least one shift is unfilled (a missing row is "nothing open", not "no data").
-- Columns: network_code, icb_code, week_start, shift_date, practice_code, session_type, role,
--   unfilled_shifts, unfilled_hours.
-- Definition: the current version of every shift (staging: a later export supersedes an earlier
--   one, so a shift filled or cancelled since an earlier export is not open) with status
--   unfilled, counted and its hours summed by the local date it starts on. Every date is kept,
--   past and future: exports hold the published rota ahead, so dates after the run are the open
--   shifts still to fill. The table does not depend on the run date; the site picks the window
--   (the two weeks after the last complete week, and the last complete week itself) from it.
with shifts as (
    select * from {{shifts}}
),

final as (
    select
        network_code,
        max(icb_code) as icb_code,
        week_start,
        shift_date,
        practice_code,
        session_type,
        role,
        count(*) as unfilled_shifts,
        sum(hours) as unfilled_hours
    from shifts
    where status = 'unfilled'
    group by network_code, week_start, shift_date, practice_code, session_type, role
)

select * from final
order by network_code, shift_date, practice_code, session_type, role
