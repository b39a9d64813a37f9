-- generic_availability: map one availability export in the `generic` CSV layout onto the
-- canonical availability table (DESIGN §3.2). DuckDB only, at ingest time.
-- Input tables: raw_rows, practices, networks (code, icb_code), pseudonyms, canonical_roles;
-- macros from functions.sql.
-- Parameters: $source_system, $source_file, $ingested_at.
create or replace temp table mapped as
with parsed as (
    select
        r.source_row,
        normalise_person_id(r.person_id) as person_id_norm,
        upper(nullif(trim(r.network_code), '')) as network_code,
        upper(nullif(trim(r.home_practice_code), '')) as home_practice_code,
        nullif(lower(replace(trim(r.role), ' ', '_')), '') as role,
        nullif(lower(trim(r.engagement)), '') as engagement,
        nullif(trim(r.week_start), '') as week_text,
        parse_date(r.week_start) as week_start,
        nullif(lower(trim(r.session_type)), '') as session_type,
        nullif(trim(r.available_hours), '') as hours_text,
        try_cast(nullif(trim(r.available_hours), '') as double) as available_hours,
        nullif(trim(r.exported_at), '') as exported_text,
        parse_local_timestamp(r.exported_at) as exported_at_parsed
    from raw_rows as r
),

checked as (
    select
        p.*,
        n.icb_code,
        pr.code as known_home_practice,
        ps.clinician_key,
        case
            when p.person_id_norm = '' or p.network_code is null or p.role is null or p.engagement is null
                or p.week_text is null or p.hours_text is null then 'missing_field'
            when p.week_start is null then 'bad_date'
            when isodow(p.week_start) <> 1 then 'not_week_start'
            when p.available_hours is null then 'bad_number'
            when p.available_hours < 0 then 'negative_value'
            when p.available_hours > 168 then 'too_long'
            when n.code is null then 'unknown_network'
            when p.home_practice_code is not null and pr.code is null then 'unknown_practice'
            when p.role not in (select role from canonical_roles) then 'unknown_role'
            when p.engagement not in ('salaried', 'bank', 'locum', 'agency') then 'unknown_engagement'
            when p.session_type is not null and p.session_type not in ('in_hours', 'extended_hours') then 'unknown_session_type'
            when p.exported_text is not null and p.exported_at_parsed is null then 'bad_timestamp'
        end as reason_code,
        case
            when p.person_id_norm = '' or p.network_code is null or p.role is null or p.engagement is null
                or p.week_text is null or p.hours_text is null then concat_ws(', ',
                    case when p.person_id_norm = '' then 'person_id' end,
                    case when p.network_code is null then 'network_code' end,
                    case when p.role is null then 'role' end,
                    case when p.engagement is null then 'engagement' end,
                    case when p.week_text is null then 'week_start' end,
                    case when p.hours_text is null then 'available_hours' end)
        end as reason_detail
    from parsed as p
    left join networks as n on n.code = p.network_code
    left join practices as pr on pr.code = p.home_practice_code
    left join pseudonyms as ps on ps.person_id_norm = p.person_id_norm
)

select
    c.source_row,
    c.reason_code,
    c.reason_detail,
    $source_system as source_system,
    $source_file as source_file,
    coalesce(c.exported_at_parsed, cast($ingested_at as timestamptz)) as exported_at,
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
