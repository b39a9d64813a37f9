-- utilisation: how much of the time clinicians were available they actually worked.
-- Grain: one row per network_code x week_start x role x session_type, where session_type is
--   'in_hours', 'extended_hours' or 'all'. The two session rows use only availability given for
--   that session; the 'all' row uses every availability row of the week (session rows and
--   whole-week rows, i.e. availability.session_type NULL), so it is not the sum of the session rows.
--   A row exists when the scope has availability or filled hours.
-- Columns: network_code, icb_code, week_start, role, session_type,
--   clinicians_with_availability, suppressed, available_hours, worked_hours, utilisation,
--   clinicians_over_100, clinicians_without_availability, filled_hours_without_availability.
-- Definition:
--   A clinician counts in a row when they have availability for its scope in that network and week
--   (a session row: an availability row for that session; 'all': any availability row). Rows for
--   the same clinician and week add up (e.g. contracted hours and an extended-hours declaration).
--   available_hours = their available hours for the scope; worked_hours = their filled hours in
--   the scope (every filled shift of theirs in the network and week for 'all', shifts of that
--   session type for a session row); utilisation = worked_hours / available_hours, NULL when
--   available_hours is 0. clinicians_over_100 = clinicians whose worked hours exceed their
--   available hours (to 6 decimal places; someone available 0 hours who worked counts).
--   Utilisation is never guessed: filled hours of clinicians with no availability for the scope
--   are not in worked_hours but in filled_hours_without_availability (hours) and
--   clinicians_without_availability (distinct clinicians; filled shifts with no clinician_key add
--   hours but no clinician). A clinician with whole-week availability only is "without
--   availability" in the session rows.
--   Role: a clinician's hours count under the role on their availability for that network and
--   week (the lowest role code if their availability rows disagree); hours of clinicians with no
--   availability that week count under the shift's role.
--   Privacy (DESIGN §4): when clinicians_with_availability is 1 to {{min_clinicians}} - 1,
--   suppressed is true and available_hours, utilisation and clinicians_over_100 are NULL; when a
--   session row is so suppressed, the other session row of the same network, week and role is
--   too, and so are both session rows when 1 to k - 1 clinicians of the role give whole-week
--   availability (see `protected`). worked_hours is never suppressed (filled hours; see final). With no availability at all (clinicians_with_availability = 0) there is nothing to
--   suppress: those four columns are NULL ("no data") and suppressed is false. The counts and the
--   hours without availability are never suppressed.
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
    from (
        select network_code, week_start, icb_code from shifts
        union all
        select network_code, week_start, icb_code from availability
    ) as sources
    group by network_code, week_start
),

-- One row per clinician with availability in a network and week.
clinician_availability as (
    select
        network_code,
        week_start,
        clinician_key,
        min(role) as role,
        max(case when session_type = 'in_hours' then 1 else 0 end) as has_in_hours,
        max(case when session_type = 'extended_hours' then 1 else 0 end) as has_extended_hours,
        max(case when session_type is null then 1 else 0 end) as has_whole_week,
        sum(case when session_type = 'in_hours' then available_hours else 0 end) as available_in_hours,
        sum(case when session_type = 'extended_hours' then available_hours else 0 end) as available_extended_hours,
        sum(available_hours) as available_all_hours
    from availability
    where clinician_key is not null
    group by network_code, week_start, clinician_key
),

-- Filled hours per clinician and session type, under the clinician's role for the week.
filled as (
    select
        s.network_code,
        s.week_start,
        s.clinician_key,
        coalesce(a.role, s.role) as role,
        s.session_type,
        sum(s.hours) as filled_hours
    from shifts as s
    left join clinician_availability as a
        on
            a.network_code = s.network_code
            and a.week_start = s.week_start
            and a.clinician_key = s.clinician_key
    where s.status = 'filled'
    group by s.network_code, s.week_start, s.clinician_key, coalesce(a.role, s.role), s.session_type
),

-- Each clinician's filled and available hours in each scope (session type, and 'all').
scoped as (
    select network_code, week_start, clinician_key, role, session_type as scope,
        0 as has_availability, cast(0 as double) as available_hours, filled_hours
    from filled
    union all
    select network_code, week_start, clinician_key, role, 'all' as scope,
        0 as has_availability, cast(0 as double) as available_hours, filled_hours
    from filled
    union all
    select network_code, week_start, clinician_key, role, 'in_hours' as scope,
        1 as has_availability, available_in_hours as available_hours, cast(0 as double) as filled_hours
    from clinician_availability
    where has_in_hours = 1
    union all
    select network_code, week_start, clinician_key, role, 'extended_hours' as scope,
        1 as has_availability, available_extended_hours as available_hours, cast(0 as double) as filled_hours
    from clinician_availability
    where has_extended_hours = 1
    union all
    select network_code, week_start, clinician_key, role, 'all' as scope,
        1 as has_availability, available_all_hours as available_hours, cast(0 as double) as filled_hours
    from clinician_availability
),

clinician_scope as (
    select
        network_code,
        week_start,
        clinician_key,
        role,
        scope,
        max(has_availability) as has_availability,
        sum(available_hours) as available_hours,
        sum(filled_hours) as filled_hours
    from scoped
    group by network_code, week_start, clinician_key, role, scope
),

weekly as (
    select
        network_code,
        week_start,
        role,
        scope as session_type,
        -- clinician_scope has one row per clinician, role and scope, so a count of keys is a count
        -- of distinct clinicians (no DISTINCT needed, and none paid for).
        count(case when has_availability = 1 then clinician_key end) as clinicians_with_availability,
        sum(case when has_availability = 1 then available_hours else 0 end) as available_hours,
        sum(case when has_availability = 1 then filled_hours else 0 end) as worked_hours,
        sum(case when has_availability = 1 and round(filled_hours - available_hours, 6) > 0 then 1 else 0 end)
            as clinicians_over_100,
        count(case when has_availability = 0 then clinician_key end) as clinicians_without_availability,
        sum(case when has_availability = 0 then filled_hours else 0 end) as filled_hours_without_availability
    from clinician_scope
    group by network_code, week_start, role, scope
),

-- Clinicians of each role with whole-week availability (no session type): what 'all' holds beyond
-- the two session rows.
whole_week as (
    select
        network_code,
        week_start,
        role,
        sum(has_whole_week) as clinicians
    from clinician_availability
    group by network_code, week_start, role
),

-- Small numbers, and the arithmetic around them: a session row of 1 to k - 1 clinicians is
-- suppressed, and then so is the other session row of its network, week and role (when it has
-- availability), since 'all' minus one published session row gave the suppressed one back
-- exactly where no whole-week availability stands between them (an audit read a 2-clinician
-- extended-hours utilisation off the site as 67 - 60 h available, 26 - 21 h worked).
flagged as (
    select
        w.*,
        (w.clinicians_with_availability > 0 and w.clinicians_with_availability < {{min_clinicians}}) as small
    from weekly as w
),

-- And 'all' minus the two session rows is the whole-week availability: when 1 to k - 1 clinicians
-- give it, the session rows are hidden, or their available hours and the 'all' row's would give
-- those few clinicians' hours back (an audit read one GP's 20 h available as 50 - 30).
protected as (
    select
        f.*,
        f.small or (
            f.session_type <> 'all' and f.clinicians_with_availability > 0
            and (
                bool_or(f.small and f.session_type <> 'all') over (partition by f.network_code, f.week_start, f.role)
                or coalesce(ww.clinicians, 0) between 1 and {{min_clinicians}} - 1
            )
        ) as hidden
    from flagged as f
    left join whole_week as ww
        on ww.network_code = f.network_code and ww.week_start = f.week_start and ww.role = f.role
),

final as (
    select
        w.network_code,
        n.icb_code,
        w.week_start,
        w.role,
        w.session_type,
        w.clinicians_with_availability,
        w.hidden as suppressed,
        case when w.clinicians_with_availability > 0 and not w.hidden then w.available_hours end as available_hours,
        -- Worked hours are filled hours, published for every network, practice and engagement
        -- whatever the number of clinicians (hours are not pay): hiding them here held nothing
        -- back, as the network's filled hours less the other roles' gave them (an audit).
        case when w.clinicians_with_availability > 0 then w.worked_hours end as worked_hours,
        case
            when w.clinicians_with_availability = 0 or w.hidden or w.available_hours = 0 then null
            else w.worked_hours / w.available_hours
        end as utilisation,
        case when w.clinicians_with_availability > 0 and not w.hidden then w.clinicians_over_100 end as clinicians_over_100,
        w.clinicians_without_availability,
        w.filled_hours_without_availability
    from protected as w
    inner join network_weeks as n
        on n.network_code = w.network_code and n.week_start = w.week_start
)

select * from final
order by network_code, week_start, role, session_type
