-- enhanced_access: clinical cover of the Enhanced Access windows against the required minimum.
-- Grain: one row per network_code x week_start, for every network week with shifts on the rota.
-- Columns: network_code, icb_code, week_start, population, population_basis,
--   population_practices_missing, minutes_per_1000_patients, required_hours, demand_hours,
--   filled_hours, unfilled_hours, demand_hours_gp, demand_hours_nurse,
--   demand_hours_direct_patient_care, filled_hours_gp, filled_hours_nurse,
--   filled_hours_direct_patient_care, demand_hours_on_site, demand_hours_remote,
--   filled_hours_on_site, filled_hours_remote, filled_hours_weekday, filled_hours_saturday,
--   shortfall_hours, meets_minimum, sessions, sessions_without_gp.
-- Definition: the windows are {{ea_windows}} (weekday 1 = Monday ... 7 = Sunday, from_minute and
--   to_minute after local midnight; the extended-hours rule, src/metrics/metric-parameters.ts).
--   Clinical shifts (staff_group gp, nurse, direct_patient_care; admin is not clinical) that are
--   filled or unfilled (demand; cancelled shifts are not) count with the part of their hours
--   inside a window: the overlap of [start_minute, start_minute + elapsed minutes) with the
--   windows of the shift's own day and, past midnight, of the next day, times hours / elapsed
--   hours, so a break is spread evenly over the shift (elapsed = hours + break). The weekday is
--   date_diff('day', week_start, shift_date) + 1; start_minute is local, so a clock-change week
--   needs nothing special. Hours count in the week of the window they fall in (a Sunday night
--   shift reaching Monday's window counts in the next week). filled_hours_weekday is Monday to
--   Friday, filled_hours_saturday Saturday (a Sunday window counts in filled_hours only).
--   required_hours = minutes_per_1000_patients x population / 1000 / 60, NULL when the network
--   has no population or lacks a list size for any practice (population_practices_missing > 0):
--   then shortfall_hours and meets_minimum are NULL too, never 0 or false.
--   shortfall_hours = required_hours - filled_hours when positive, else 0; meets_minimum =
--   filled_hours >= required_hours (both compared to 6 decimals).
--   sessions = window occurrences in the week (one per row of the windows table);
--   sessions_without_gp = those no filled GP-group shift overlaps at all, NULL when the GP check
--   is off ({{ea_gp_check}}).
with shifts as (
    select * from {{shifts}}
),

windows as (
    select weekday, from_minute, to_minute from {{ea_windows}}
),

network_weeks as (
    select network_code, max(icb_code) as icb_code, week_start
    from shifts
    group by network_code, week_start
),

clinical as (
    select
        network_code,
        week_start,
        staff_group,
        delivery,
        status,
        date_diff('day', week_start, shift_date) + 1 as weekday,
        cast(start_minute as double) as start_minute,
        hours * 60 + cast(coalesce(break_minutes, 0) as double) as elapsed_minutes,
        hours
    from shifts
    where status in ('filled', 'unfilled')
        and staff_group in ('gp', 'nurse', 'direct_patient_care')
),

-- Each shift against its own day's windows, and against the next day's shifted by 24 hours.
placed as (
    select
        c.*,
        w.weekday as window_weekday,
        w.from_minute as window_from_minute,
        c.week_start as window_week_start,
        cast(w.from_minute as double) as window_from,
        cast(w.to_minute as double) as window_to
    from clinical as c
    inner join windows as w on w.weekday = c.weekday
    union all
    select
        c.*,
        w.weekday as window_weekday,
        w.from_minute as window_from_minute,
        case
            when c.weekday = 7 then cast(c.week_start + interval '7' day as date)
            else c.week_start
        end as window_week_start,
        cast(w.from_minute + 1440 as double) as window_from,
        cast(w.to_minute + 1440 as double) as window_to
    from clinical as c
    inner join windows as w on w.weekday = mod(c.weekday, 7) + 1
    where c.start_minute + c.elapsed_minutes > 1440
),

overlapped as (
    select
        p.*,
        case when p.start_minute + p.elapsed_minutes < p.window_to then p.start_minute + p.elapsed_minutes else p.window_to end
        - case when p.start_minute > p.window_from then p.start_minute else p.window_from end as overlap_minutes
    from placed as p
),

inside as (
    select
        network_code,
        window_week_start,
        window_weekday,
        window_from_minute,
        staff_group,
        delivery,
        status,
        overlap_minutes * hours / elapsed_minutes as inside_hours
    from overlapped
    where overlap_minutes > 0
),

hours_by_week as (
    select
        network_code,
        window_week_start as week_start,
        sum(inside_hours) as demand_hours,
        sum(case when status = 'filled' then inside_hours else 0 end) as filled_hours,
        sum(case when status = 'unfilled' then inside_hours else 0 end) as unfilled_hours,
        sum(case when staff_group = 'gp' then inside_hours else 0 end) as demand_hours_gp,
        sum(case when staff_group = 'nurse' then inside_hours else 0 end) as demand_hours_nurse,
        sum(case when staff_group = 'direct_patient_care' then inside_hours else 0 end) as demand_hours_direct_patient_care,
        sum(case when status = 'filled' and staff_group = 'gp' then inside_hours else 0 end) as filled_hours_gp,
        sum(case when status = 'filled' and staff_group = 'nurse' then inside_hours else 0 end) as filled_hours_nurse,
        sum(case when status = 'filled' and staff_group = 'direct_patient_care' then inside_hours else 0 end) as filled_hours_direct_patient_care,
        sum(case when delivery = 'on_site' then inside_hours else 0 end) as demand_hours_on_site,
        sum(case when delivery = 'remote' then inside_hours else 0 end) as demand_hours_remote,
        sum(case when status = 'filled' and delivery = 'on_site' then inside_hours else 0 end) as filled_hours_on_site,
        sum(case when status = 'filled' and delivery = 'remote' then inside_hours else 0 end) as filled_hours_remote,
        sum(case when status = 'filled' and window_weekday <= 5 then inside_hours else 0 end) as filled_hours_weekday,
        sum(case when status = 'filled' and window_weekday = 6 then inside_hours else 0 end) as filled_hours_saturday
    from inside
    group by network_code, window_week_start
),

-- Every week a network has shifts in, and a week only a Sunday night shift reaches.
weeks as (
    select network_code, week_start from network_weeks
    union
    select network_code, week_start from hours_by_week
),

gp_covered as (
    select distinct network_code, window_week_start as week_start, window_weekday, window_from_minute
    from inside
    where status = 'filled' and staff_group = 'gp'
),

sessions as (
    select
        k.network_code,
        k.week_start,
        count(*) as sessions,
        count(case when g.network_code is null then 1 end) as sessions_without_gp
    from weeks as k
    cross join windows as w
    left join gp_covered as g
        on g.network_code = k.network_code
        and g.week_start = k.week_start
        and g.window_weekday = w.weekday
        and g.window_from_minute = w.from_minute
    group by k.network_code, k.week_start
),

icbs as (
    select network_code, max(icb_code) as icb_code from network_weeks group by network_code
),

totals as (
    select
        k.network_code,
        i.icb_code,
        k.week_start,
        p.patients as population,
        p.basis as population_basis,
        p.practices_missing as population_practices_missing,
        {{ea_minutes_per_1000}} as minutes_per_1000_patients,
        case
            when p.patients is null or p.practices_missing > 0 then cast(null as double)
            else {{ea_minutes_per_1000}} * p.patients / 1000 / 60
        end as required_hours,
        coalesce(h.demand_hours, 0) as demand_hours,
        coalesce(h.filled_hours, 0) as filled_hours,
        coalesce(h.unfilled_hours, 0) as unfilled_hours,
        coalesce(h.demand_hours_gp, 0) as demand_hours_gp,
        coalesce(h.demand_hours_nurse, 0) as demand_hours_nurse,
        coalesce(h.demand_hours_direct_patient_care, 0) as demand_hours_direct_patient_care,
        coalesce(h.filled_hours_gp, 0) as filled_hours_gp,
        coalesce(h.filled_hours_nurse, 0) as filled_hours_nurse,
        coalesce(h.filled_hours_direct_patient_care, 0) as filled_hours_direct_patient_care,
        coalesce(h.demand_hours_on_site, 0) as demand_hours_on_site,
        coalesce(h.demand_hours_remote, 0) as demand_hours_remote,
        coalesce(h.filled_hours_on_site, 0) as filled_hours_on_site,
        coalesce(h.filled_hours_remote, 0) as filled_hours_remote,
        coalesce(h.filled_hours_weekday, 0) as filled_hours_weekday,
        coalesce(h.filled_hours_saturday, 0) as filled_hours_saturday,
        coalesce(s.sessions, 0) as sessions,
        case when {{ea_gp_check}} then coalesce(s.sessions_without_gp, 0) end as sessions_without_gp
    from weeks as k
    left join icbs as i on i.network_code = k.network_code
    left join hours_by_week as h on h.network_code = k.network_code and h.week_start = k.week_start
    left join sessions as s on s.network_code = k.network_code and s.week_start = k.week_start
    left join {{populations}} as p on p.network_code = k.network_code
),

final as (
    select
        network_code,
        icb_code,
        week_start,
        population,
        population_basis,
        population_practices_missing,
        minutes_per_1000_patients,
        required_hours,
        demand_hours,
        filled_hours,
        unfilled_hours,
        demand_hours_gp,
        demand_hours_nurse,
        demand_hours_direct_patient_care,
        filled_hours_gp,
        filled_hours_nurse,
        filled_hours_direct_patient_care,
        demand_hours_on_site,
        demand_hours_remote,
        filled_hours_on_site,
        filled_hours_remote,
        filled_hours_weekday,
        filled_hours_saturday,
        case
            when required_hours is null then cast(null as double)
            when round(filled_hours, 6) >= round(required_hours, 6) then cast(0 as double)
            else required_hours - filled_hours
        end as shortfall_hours,
        case
            when required_hours is null then cast(null as boolean)
            else round(filled_hours, 6) >= round(required_hours, 6)
        end as meets_minimum,
        sessions,
        sessions_without_gp
    from totals
)

select * from final
order by network_code, week_start
