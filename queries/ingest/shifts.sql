-- shifts (ingest): check staged rows of a batch of shifts exports and shape them as canonical
-- shifts (DESIGN §3.1). Runs in DuckDB at ingest time only (never on Athena).
-- Input: `staged` (src/ingest/mapping-sql.ts: the exports read through their source mapping, one
-- typed column per field, numbers already in minutes / pence, and stage_reason for rows that
-- could not be read; `file_id` is the row's file in the batch), `ingest_files` (per file of the
-- batch: file_id, source_system, source_file, fallback_exported_at: the file's own time when a row gives none,
-- folder_network: the network folder of its raw key; src/ingest/ingest-batch.ts), practices, networks (the reference PCNs plus the configured allow-list,
-- src/ingest/prepare-ingest.ts), pseudonyms, canonical_roles; macros from functions.sql.
-- Network rules: the row's network is the practice's PCN in the reference data, else the network
-- code the file gives, which must then be a known PCN (or allow-listed: unknown_network) in the
-- practice's ICB (network_mismatch); either way it must be the raw key's network folder
-- (network_folder_mismatch), so one network's upload cannot write another network's shifts.
-- Every file's rows are checked on their own: nothing here compares rows of two files, so a
-- file's output does not depend on the batch it was in (test/integration/ingest/batches.test.ts).
-- Parameters: $earliest_date, $max_days_ahead and $ingested_at (the plausible dates, src/ingest/date-window.ts);
-- {{extended_hours}} is rendered from the session-type rule over c.start_local.
-- Output `mapped`: one row per input row, with its file_id, with every canonical column but
-- source_system and source_file (the file's, in ingest_files: src/ingest/write-curated.ts adds
-- them as it writes, so a large export does not hold them in memory once a row), plus reason_code,
-- reason_field, reason_value and reason_detail; reason_code is NULL for accepted rows. Integer
-- casts run on accepted rows only (their numbers are range-checked), so no value can fail one.
-- `mapped` is a table of the database, not a temp table, so that the accepted rows' write can
-- read it on two connections at once (write-curated.ts).
-- A shift id repeated in a file is found after this, on the rows that pass every check here
-- (queries/ingest/shifts-repeats.sql).

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
        s.shift_id as given_shift_id,
        upper(s.practice_code) as practice_code,
        upper(s.network_code) as file_network_code,
        lower(replace(s.role, ' ', '_')) as role,
        s.role as role_text,
        lower(s.engagement) as engagement,
        s.arrs_funded,
        normalise_person_id(s.person_id) as person_id_norm,
        s.break as break_minutes,
        s.break__text as break_text,
        -- "Extended Hours" is extended_hours, as "Practice Nurse" is practice_nurse.
        lower(replace(s.session_type, ' ', '_')) as session_type_given,
        s.session_type as session_type_text,
        -- "On Site", "on-site" and "onsite" are on_site, as "Extended Hours" is extended_hours.
        coalesce(replace(translate(lower(s.delivery), ' -', '__'), 'onsite', 'on_site'), 'on_site') as delivery,
        -- The American spelling is the same status.
        replace(lower(s.status), 'canceled', 'cancelled') as status,
        s.status as status_text,
        s.cost as cost_pence,
        s.cost__text as cost_text,
        ms_instant(s.published_at) as published_at,
        s.published_at__text as published_at_text,
        ms_instant(s.filled_at) as filled_at,
        s.filled_at__text as filled_at_text,
        ms_instant(s.exported_at) as exported_at,
        s.exported_at__text as exported_at_text,
        -- The date as written, for a date_out_of_range message.
        case when s.start_at__text is not null then 'start_at' else 'date' end as date_field,
        coalesce(s.start_at__text, s.date__text) as date_text,
        s.date + s.start_time as start_local_given,
        -- Instants to the millisecond (ms_instant, functions.sql), as Athena reads them.
        ms_instant(coalesce(s.start_at, timezone('Europe/London', s.date + s.start_time))) as start_at,
        ms_instant(coalesce(
            s.end_at,
            timezone(
                'Europe/London',
                coalesce(s.end_date, s.date) + s.end_time
                + case when s.end_date is null and s.end_time < s.start_time then interval 1 day else interval 0 day end
            )
        )) as end_at
    from staged as s
    join ingest_files as f on f.file_id = s.file_id
),

timed as (
    select
        n.*,
        n.given_shift_id as shift_id,
        -- The local start: as given (date + time), else the instant in London time.
        coalesce(n.start_local_given, timezone('Europe/London', n.start_at)) as start_local,
        -- The last plausible date: the export's own (London) date, or today's if the export
        -- claims a later time, plus $max_days_ahead.
        cast(timezone('Europe/London', least(coalesce(n.exported_at, n.fallback_exported_at), cast($ingested_at as timestamptz))) as date)
            + cast($max_days_ahead as integer) as latest_date,
        (epoch(n.end_at) - epoch(n.start_at)) / 3600.0 - coalesce(n.break_minutes, 0) / 60.0 as worked_hours
    from normalised as n
),

enriched as (
    select
        t.*,
        pr.code as known_practice,
        pr.network_code as ref_network_code,
        pr.icb_code,
        kn.code as known_file_network,
        kn.icb_code as file_network_icb,
        ps.clinician_key,
        cr.staff_group
    from timed as t
    left join practices as pr on pr.code = t.practice_code
    left join networks as kn on kn.code = t.file_network_code
    left join pseudonyms as ps on ps.person_id_norm = t.person_id_norm
    left join canonical_roles as cr on cr.role = t.role
),

checked as (
    select
        e.*,
        case
            when e.stage_reason is not null then struct_pack(code := e.stage_reason, field := e.stage_field, value := e.stage_value, detail := e.stage_detail)
            -- An export time in the future (beyond a week of clock skew) or before the window would win
            -- or lose every supersede for ever: the row is rejected, not trusted.
            when e.exported_at > cast($ingested_at as timestamptz) + interval 7 day
                or cast(e.exported_at as date) < cast($earliest_date as date)
                then struct_pack(code := 'date_out_of_range', field := 'exported_at', value := e.exported_at_text, detail := $earliest_date || ' to ' || cast(cast(timezone('Europe/London', cast($ingested_at as timestamptz)) as date) + 7 as varchar))
            when cast(e.start_local as date) not between cast($earliest_date as date) and e.latest_date
                then struct_pack(code := 'date_out_of_range', field := e.date_field, value := e.date_text, detail := $earliest_date || ' to ' || cast(e.latest_date as varchar))
            -- When the shift was offered and filled: within two years before its start, and not
            -- after the export (a week of clock skew allowed). A typo of 1970 or 2062 made lead
            -- times of 40 years; a fill after the start is a late fill, not an error.
            when e.published_at is not null
                and (e.published_at < e.start_at - interval 730 day
                    or e.published_at > coalesce(e.exported_at, e.fallback_exported_at) + interval 7 day)
                then struct_pack(code := 'date_out_of_range', field := 'published_at', value := e.published_at_text, detail := cast(cast(e.start_local as date) - 730 as varchar) || ' to ' || cast(cast(timezone('Europe/London', coalesce(e.exported_at, e.fallback_exported_at)) as date) + 7 as varchar))
            when e.status = 'filled' and e.filled_at is not null
                and (e.filled_at < e.start_at - interval 730 day
                    or e.filled_at > coalesce(e.exported_at, e.fallback_exported_at) + interval 7 day)
                then struct_pack(code := 'date_out_of_range', field := 'filled_at', value := e.filled_at_text, detail := cast(cast(e.start_local as date) - 730 as varchar) || ' to ' || cast(cast(timezone('Europe/London', coalesce(e.exported_at, e.fallback_exported_at)) as date) + 7 as varchar))
            -- A draft (unpublished) shift is neither demand nor cover: kept out, with its reason.
            when e.status = 'draft' then struct_pack(code := 'unpublished_shift', field := 'status', value := e.status_text, detail := null)
            when e.status not in ('filled', 'unfilled', 'cancelled') then struct_pack(code := 'unknown_status', field := 'status', value := e.status_text, detail := null)
            when e.known_practice is null then struct_pack(code := 'unknown_practice', field := 'practice_code', value := e.practice_code, detail := null)
            when e.ref_network_code is null and e.file_network_code is null then struct_pack(code := 'no_network', field := 'practice_code', value := e.practice_code, detail := null)
            when e.file_network_code is not null and e.ref_network_code is not null and e.file_network_code <> e.ref_network_code
                then struct_pack(code := 'network_mismatch', field := 'network_code', value := e.file_network_code, detail := e.practice_code)
            when e.ref_network_code is null and e.known_file_network is null
                then struct_pack(code := 'unknown_network', field := 'network_code', value := e.file_network_code, detail := null)
            when e.ref_network_code is null and e.file_network_icb <> e.icb_code
                then struct_pack(code := 'network_mismatch', field := 'network_code', value := e.file_network_code, detail := e.practice_code)
            when coalesce(e.ref_network_code, e.file_network_code) <> e.folder_network
                then struct_pack(code := 'network_folder_mismatch', field := 'network_code', value := coalesce(e.ref_network_code, e.file_network_code), detail := e.folder_network)
            when e.staff_group is null then struct_pack(code := 'unknown_role', field := 'role', value := e.role_text, detail := null)
            when (e.engagement is not null or e.status = 'filled') and coalesce(e.engagement, '') not in ('salaried', 'bank', 'locum', 'agency')
                then struct_pack(code := 'unknown_engagement', field := 'engagement', value := e.engagement, detail := null)
            when e.status = 'filled' and e.person_id_norm = '' then struct_pack(code := 'missing_person', field := 'person_id', value := null, detail := null)
            when e.status = 'filled' and placeholder_person_id(e.person_id_norm) then struct_pack(code := 'missing_person', field := 'person_id', value := null, detail := 'placeholder')
            when e.status = 'filled' and excel_shortened_id(e.person_id_norm) then struct_pack(code := 'missing_person', field := 'person_id', value := null, detail := 'excel_number')
            -- Only a filled shift's cost counts: a cancellation may carry a credit (-800), and is
            -- read as the cancellation it is (its cost is dropped below, as an open shift's is).
            when e.status = 'filled' and e.cost_pence < 0 then struct_pack(code := 'negative_value', field := 'cost', value := e.cost_text, detail := null)
            when e.break_minutes < 0 then struct_pack(code := 'negative_value', field := 'break', value := e.break_text, detail := null)
            -- The break named only when there is one to take off, so the message says which.
            when e.worked_hours <= 0 then struct_pack(code := 'non_positive_hours', field := case when e.break_minutes > 0 then 'break' end, value := case when e.break_minutes > 0 then e.break_text end, detail := hours_text(e.worked_hours))
            when e.worked_hours > 24 then struct_pack(code := 'too_long', field := null, value := null, detail := hours_text(e.worked_hours))
            when e.session_type_given is not null and e.session_type_given not in ('in_hours', 'extended_hours')
                then struct_pack(code := 'unknown_session_type', field := 'session_type', value := e.session_type_text, detail := null)
            when e.delivery not in ('on_site', 'remote') then struct_pack(code := 'unknown_delivery', field := 'delivery', value := e.delivery, detail := null)
        end as reason
    from enriched as e
)

select
    c.file_id,
    c.source_row,
    c.reason.code as reason_code,
    c.reason.field as reason_field,
    c.reason.value as reason_value,
    c.reason.detail as reason_detail,
    coalesce(c.exported_at, c.fallback_exported_at) as exported_at,
    c.shift_id,
    c.practice_code,
    coalesce(c.ref_network_code, c.file_network_code) as network_code,
    c.icb_code,
    c.role,
    c.staff_group,
    case when c.status = 'filled' then c.engagement end as engagement,
    c.arrs_funded,
    case when c.status = 'filled' then c.clinician_key end as clinician_key,
    c.start_at,
    c.end_at,
    cast(c.start_local as date) as shift_date,
    date_trunc('week', cast(c.start_local as date))::date as week_start,
    cast(hour(c.start_local) as smallint) as start_hour,
    -- Local minutes after midnight of shift_date (0..1439): the wall clock, so a 18:30 start is
    -- 1110 in BST and GMT alike (queries/enhanced_access.sql places shifts in its windows by it).
    cast(hour(c.start_local) * 60 + minute(c.start_local) as smallint) as start_minute,
    case when c.reason is null then cast(coalesce(c.break_minutes, 0) as integer) end as break_minutes,
    c.worked_hours as hours,
    -- The configured extended-hours windows (src/ingest/session-rule.ts) when the source does not say.
    coalesce(c.session_type_given, case when {{extended_hours}} then 'extended_hours' else 'in_hours' end) as session_type,
    c.delivery,
    c.status,
    c.published_at,
    case when c.status = 'filled' then c.filled_at end as filled_at,
    case when c.reason is null and c.status = 'filled' then cast(round(c.cost_pence) as bigint) end as cost_pence
from checked as c;
