-- availability (ingest): check staged rows of a batch of availability exports and shape them as
-- the canonical availability table (DESIGN §3.2). DuckDB only, at ingest time.
-- Input: `staged` (src/ingest/mapping-sql.ts; available_hours already in hours), `ingest_files`
-- (as in queries/ingest/shifts.sql: each file's source_file, fallback_exported_at and
-- folder_network, by file_id), practices,
-- networks (code, icb_code: the reference PCNs plus the configured allow-list, whose ICB is
-- NULL), pseudonyms, canonical_roles; macros from functions.sql.
-- A row for a network other than its file's raw key folder is network_folder_mismatch, as for
-- shifts. Every file's rows are checked on their own, as in shifts.sql.
-- Parameters: $earliest_date, $max_days_ahead and $ingested_at (the plausible dates,
-- src/ingest/date-window.ts).
-- Output `mapped`: as queries/ingest/shifts.sql, one row per input row, with its file_id (and,
-- as there, without source_system and source_file, which the writes take from ingest_files).
-- A clinician's availability given twice in one file, or both whole-week and per session, is
-- found after this, on the rows that pass every check here (queries/ingest/availability-repeats.sql).
create or replace table mapped as
with normalised as (
    select
        s.file_id,
        s.source_row,
        f.fallback_exported_at,
        f.folder_network,
        s.stage_reason,
        s.stage_field,
        s.stage_value,
        s.stage_detail,
        normalise_person_id(s.person_id) as person_id_norm,
        upper(s.network_code) as network_code,
        upper(s.home_practice_code) as home_practice_code,
        lower(replace(s.role, ' ', '_')) as role,
        s.role as role_text,
        lower(s.engagement) as engagement,
        s.week_start,
        s.week_start__text as week_text,
        -- "In Hours" is in_hours, as "Practice Nurse" is practice_nurse.
        lower(replace(s.session_type, ' ', '_')) as session_type,
        s.session_type as session_type_text,
        s.available_hours,
        s.available_hours__text as available_hours_text,
        ms_instant(s.exported_at) as exported_at,
        s.exported_at__text as exported_at_text,
        -- The last plausible week: the export's own (London) date, or today's if the export
        -- claims a later time, plus $max_days_ahead.
        cast(timezone('Europe/London', least(coalesce(s.exported_at, f.fallback_exported_at), cast($ingested_at as timestamptz))) as date)
            + cast($max_days_ahead as integer) as latest_date
    from staged as s
    join ingest_files as f on f.file_id = s.file_id
),

checked as (
    select
        p.*,
        coalesce(n.icb_code, pr.icb_code) as icb_code,
        ps.clinician_key,
        case
            when p.stage_reason is not null then struct_pack(code := p.stage_reason, field := p.stage_field, value := p.stage_value, detail := p.stage_detail)
            -- #N/A, N/A, TBC and the like stand for nobody (placeholder_person_id, functions.sql).
            when placeholder_person_id(p.person_id_norm) then struct_pack(code := 'missing_person', field := 'person_id', value := null, detail := 'availability')
            when excel_shortened_id(p.person_id_norm) then struct_pack(code := 'missing_person', field := 'person_id', value := null, detail := 'excel_number')
            -- An export time in the future (beyond a week of clock skew) or before the window would win
            -- or lose every supersede for ever: the row is rejected, not trusted.
            when p.exported_at > cast($ingested_at as timestamptz) + interval 7 day
                or cast(p.exported_at as date) < cast($earliest_date as date)
                then struct_pack(code := 'date_out_of_range', field := 'exported_at', value := p.exported_at_text, detail := $earliest_date || ' to ' || cast(cast(timezone('Europe/London', cast($ingested_at as timestamptz)) as date) + 7 as varchar))
            when p.week_start not between cast($earliest_date as date) and p.latest_date
                then struct_pack(code := 'date_out_of_range', field := 'week_start', value := p.week_text, detail := $earliest_date || ' to ' || cast(p.latest_date as varchar))
            when isodow(p.week_start) <> 1 then struct_pack(code := 'not_week_start', field := 'week_start', value := p.week_text, detail := null)
            -- The hours as written: "-5", not "-5.0"; "168.0001", not "168" (more than 168).
            when p.available_hours < 0 then struct_pack(code := 'negative_value', field := 'available_hours', value := p.available_hours_text, detail := null)
            when p.available_hours > 168 then struct_pack(code := 'too_long', field := 'available_hours', value := null, detail := p.available_hours_text)
            when n.code is null then struct_pack(code := 'unknown_network', field := 'network_code', value := p.network_code, detail := null)
            when p.network_code <> p.folder_network
                then struct_pack(code := 'network_folder_mismatch', field := 'network_code', value := p.network_code, detail := p.folder_network)
            when p.home_practice_code is not null and pr.code is null
                then struct_pack(code := 'unknown_practice', field := 'home_practice_code', value := p.home_practice_code, detail := null)
            when cr.role is null then struct_pack(code := 'unknown_role', field := 'role', value := p.role_text, detail := null)
            when p.engagement not in ('salaried', 'bank', 'locum', 'agency') then struct_pack(code := 'unknown_engagement', field := 'engagement', value := p.engagement, detail := null)
            when p.session_type is not null and p.session_type not in ('in_hours', 'extended_hours')
                then struct_pack(code := 'unknown_session_type', field := 'session_type', value := p.session_type_text, detail := null)
        end as reason
    from normalised as p
    left join networks as n on n.code = p.network_code
    left join practices as pr on pr.code = p.home_practice_code
    left join pseudonyms as ps on ps.person_id_norm = p.person_id_norm
    left join canonical_roles as cr on cr.role = p.role
)

select
    c.file_id,
    c.source_row,
    c.reason.code as reason_code,
    c.reason.field as reason_field,
    c.reason.value as reason_value,
    c.reason.detail as reason_detail,
    coalesce(c.exported_at, c.fallback_exported_at) as exported_at,
    c.clinician_key,
    c.network_code,
    c.icb_code,
    c.home_practice_code,
    c.role,
    c.engagement,
    c.week_start,
    c.session_type,
    c.available_hours
from checked as c;
