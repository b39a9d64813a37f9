-- functions: the parsing rules every ingest mapping shares, as DuckDB macros (ingest only).
-- Loaded once per ingest run, before any mapping file.
-- parse_date: YYYY-MM-DD, DD/MM/YYYY, D/M/YYYY or DD/MM/YY (UK order; a two-digit year is 20YY or
-- 19YY as strptime's %y decides). Anything else, or a date that does not exist, is NULL.
create or replace temp macro parse_date(t) as (
    case
        when regexp_full_match(trim(t), '\d{1,2}/\d{1,2}/\d{2}') then try_strptime(trim(t), '%d/%m/%y')::date
        when regexp_full_match(trim(t), '\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4}')
            then try_strptime(trim(t), ['%Y-%m-%d', '%d/%m/%Y'])::date
    end
);

-- parse_time: 24-hour HH:MM[:SS], or a 12-hour clock (9:30 pm, 9:30PM, 9am, 12:15 AM).
create or replace temp macro parse_time(t) as (
    try_strptime(upper(trim(t)), ['%H:%M', '%H:%M:%S', '%I:%M %p', '%I:%M%p', '%I %p', '%I%p'])::time
);

-- parse_local_timestamp: a local (Europe/London) wall-clock timestamp, as an instant.
create or replace temp macro parse_local_timestamp(t) as (
    timezone(
        'Europe/London',
        try_strptime(trim(t), ['%Y-%m-%d %H:%M', '%Y-%m-%d %H:%M:%S', '%Y-%m-%dT%H:%M', '%Y-%m-%dT%H:%M:%S'])
    )
);

-- normalise_person_id: the form person ids are pseudonymised in (src/ingest/pseudonymise.ts
-- normalisePersonId does the same): trimmed, inner spaces collapsed, upper case; '' when empty.
create or replace temp macro normalise_person_id(t) as (
    coalesce(upper(regexp_replace(trim(t), '\s+', ' ', 'g')), '')
);
