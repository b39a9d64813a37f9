-- generic_shifts: map one export in the `generic` CSV layout onto canonical shifts.
-- Runs in DuckDB at ingest time only (never on Athena), so DuckDB functions are fine here.
-- Input tables: raw_rows (all VARCHAR, plus source_row), practices (code, network_code,
-- icb_code), pseudonyms (person_id_norm, clinician_key), canonical_roles; macros from functions.sql.
-- Parameters: $source_system, $source_file, $ingested_at (ISO instant).
-- Output: one row per input row with every canonical column, plus reason_code and
-- reason_detail; reason_code is NULL for accepted rows.
create or replace temp table mapped as
with parsed as (
    select
        r.source_row,
        nullif(trim(r.shift_id), '') as shift_id,
        upper(nullif(trim(r.practice_code), '')) as practice_code,
        upper(nullif(trim(r.network_code), '')) as file_network_code,
        nullif(lower(replace(trim(r.role), ' ', '_')), '') as role,
        nullif(lower(trim(r.engagement)), '') as engagement,
        nullif(lower(trim(r.arrs_funded)), '') as arrs_text,
        normalise_person_id(r.person_id) as person_id_norm,
        nullif(trim(r.date), '') as date_text,
        parse_date(r.date) as shift_date,
        nullif(trim(r.start_time), '') as start_text,
        nullif(trim(r.end_time), '') as end_text,
        parse_time(r.start_time) as start_time,
        parse_time(r.end_time) as end_time,
        nullif(trim(r.break_minutes), '') as break_text,
        try_cast(nullif(trim(r.break_minutes), '') as integer) as break_minutes,
        nullif(lower(trim(r.session_type)), '') as session_type_given,
        coalesce(nullif(lower(trim(r.delivery)), ''), 'on_site') as delivery,
        nullif(lower(trim(r.status)), '') as status,
        nullif(replace(replace(trim(r.cost_gbp), '£', ''), ',', ''), '') as cost_text,
        try_cast(nullif(replace(replace(trim(r.cost_gbp), '£', ''), ',', ''), '') as decimal(18, 2)) as cost_gbp,
        nullif(trim(r.published_at), '') as published_text,
        nullif(trim(r.filled_at), '') as filled_text,
        nullif(trim(r.exported_at), '') as exported_text,
        parse_local_timestamp(r.published_at) as published_at_parsed,
        parse_local_timestamp(r.filled_at) as filled_at_parsed,
        parse_local_timestamp(r.exported_at) as exported_at_parsed
    from raw_rows as r
),

timed as (
    select
        p.*,
        timezone('Europe/London', p.shift_date + p.start_time) as start_at,
        timezone(
            'Europe/London',
            p.shift_date + p.end_time + case when p.end_time < p.start_time then interval 1 day else interval 0 day end
        ) as end_at,
        coalesce(p.break_minutes, 0) as break_used
    from parsed as p
),

enriched as (
    select
        t.*,
        (epoch(t.end_at) - epoch(t.start_at)) / 3600.0 - t.break_used / 60.0 as worked_hours,
        pr.code as known_practice,
        pr.network_code as ref_network_code,
        pr.icb_code,
        ps.clinician_key,
        row_number() over (partition by t.shift_id order by t.source_row) as id_occurrence,
        min(t.source_row) over (partition by t.shift_id) as first_row_for_id
    from timed as t
    left join practices as pr on pr.code = t.practice_code
    left join pseudonyms as ps on ps.person_id_norm = t.person_id_norm
),

checked as (
    select
        e.*,
        case
            when e.shift_id is null or e.practice_code is null or e.role is null or e.date_text is null
                or e.start_text is null or e.end_text is null or e.status is null then 'missing_field'
            when e.status not in ('filled', 'unfilled', 'cancelled') then 'unknown_status'
            when e.shift_date is null then 'bad_date'
            when e.start_time is null or e.end_time is null then 'bad_time'
            when (e.break_text is not null and e.break_minutes is null)
                or (e.cost_text is not null and e.cost_gbp is null) then 'bad_number'
            when e.known_practice is null then 'unknown_practice'
            when e.ref_network_code is null and e.file_network_code is null then 'no_network'
            when e.file_network_code is not null and e.ref_network_code is not null
                and e.file_network_code <> e.ref_network_code then 'network_mismatch'
            when e.role not in (select role from canonical_roles) then 'unknown_role'
            when (e.engagement is not null or e.status = 'filled')
                and coalesce(e.engagement, '') not in ('salaried', 'bank', 'locum', 'agency') then 'unknown_engagement'
            when e.status = 'filled' and e.person_id_norm = '' then 'missing_person'
            when e.cost_gbp < 0 or e.break_minutes < 0 then 'negative_value'
            when e.worked_hours <= 0 then 'non_positive_hours'
            when e.worked_hours > 24 then 'too_long'
            when e.session_type_given is not null and e.session_type_given not in ('in_hours', 'extended_hours') then 'unknown_session_type'
            when e.delivery not in ('on_site', 'remote') then 'unknown_delivery'
            when e.arrs_text is not null and e.arrs_text not in ('true', 'false', 'yes', 'no', 'y', 'n', '1', '0') then 'bad_boolean'
            when (e.published_text is not null and e.published_at_parsed is null)
                or (e.filled_text is not null and e.filled_at_parsed is null)
                or (e.exported_text is not null and e.exported_at_parsed is null) then 'bad_timestamp'
            when e.id_occurrence > 1 then 'duplicate_shift_id'
        end as reason_code,
        case
            when e.shift_id is null or e.practice_code is null or e.role is null or e.date_text is null
                or e.start_text is null or e.end_text is null or e.status is null then concat_ws(', ',
                    case when e.shift_id is null then 'shift_id' end,
                    case when e.practice_code is null then 'practice_code' end,
                    case when e.role is null then 'role' end,
                    case when e.date_text is null then 'date' end,
                    case when e.start_text is null then 'start_time' end,
                    case when e.end_text is null then 'end_time' end,
                    case when e.status is null then 'status' end)
            when e.id_occurrence > 1 then cast(e.first_row_for_id as varchar)
            when e.worked_hours is not null then cast(round(e.worked_hours, 2) as varchar)
        end as reason_detail
    from enriched as e
)

select
    c.source_row,
    c.reason_code,
    c.reason_detail,
    $source_system as source_system,
    $source_file as source_file,
    coalesce(c.exported_at_parsed, cast($ingested_at as timestamptz)) as exported_at,
    c.shift_id,
    c.practice_code,
    coalesce(c.ref_network_code, c.file_network_code) as network_code,
    c.icb_code,
    c.role,
    (select cr.staff_group from canonical_roles as cr where cr.role = c.role) as staff_group,
    case when c.status = 'filled' then c.engagement end as engagement,
    case when c.arrs_text in ('true', 'yes', 'y', '1') then true when c.arrs_text in ('false', 'no', 'n', '0') then false end as arrs_funded,
    case when c.status = 'filled' then c.clinician_key end as clinician_key,
    c.start_at,
    c.end_at,
    c.shift_date,
    date_trunc('week', c.shift_date)::date as week_start,
    cast(extract(hour from c.start_time) as smallint) as start_hour,
    cast(c.break_used as integer) as break_minutes,
    c.worked_hours as hours,
    coalesce(c.session_type_given, case
        when isodow(c.shift_date) between 1 and 5 and c.start_time >= time '18:30' and c.start_time < time '20:00' then 'extended_hours'
        when isodow(c.shift_date) = 6 and c.start_time >= time '09:00' and c.start_time < time '17:00' then 'extended_hours'
        else 'in_hours'
    end) as session_type,
    c.delivery,
    c.status,
    c.published_at_parsed as published_at,
    case when c.status = 'filled' then c.filled_at_parsed end as filled_at,
    case when c.status = 'filled' then cast(round(c.cost_gbp * 100) as bigint) end as cost_pence
from checked as c;
