-- functions: the parsing rules every source mapping shares, as DuckDB macros (ingest only).
-- Loaded once per ingest run, before any mapping. The SQL a mapping compiles to
-- (src/ingest/mapping-sql.ts) calls these by the field's type and format; docs/mappings.md
-- lists what each accepts. The parse_* macros take text already trimmed (the mapping SQL passes
-- each cell as nullif(trim(cell), ''), or trims a mapped value first): DuckDB expands a macro
-- inline and computes every trim(t) inside a CASE again, which cost 0.03-0.04 s per field per
-- million rows.

-- ms_instant: an instant cut to the millisecond (a finer fraction of a second dropped, towards
-- the past). Athena's timestamp holds milliseconds (engine v3 rounds a finer Parquet value), so
-- the curated instants hold no more, and DuckDB and Athena read the same instants: the same export
-- wins a supersede, the same lead time crosses a second (docs/engines.md). Plain arithmetic on
-- the microseconds, not date_trunc (which goes through ICU: 0.28 s against 0.04 s of CPU a
-- million values).
create or replace temp macro ms_instant(t) as (
    make_timestamptz(epoch_us(t) - ((epoch_us(t) % 1000) + 1000) % 1000)
);

-- date_of_weekday: the date, when the weekday written before it (`tue`, lower case; '' for none)
-- is its own; else NULL.
create or replace temp macro date_of_weekday(w, d) as (
    case when w = '' or lower(left(dayname(d), 3)) = w then d end
);

-- month_words: `10-Nov-26`, `10 Sept. 2026` as strptime's %b and %B read them (`10 Nov 26`,
-- `10 Sep 2026`).
create or replace temp macro month_words(d) as (
    regexp_replace(replace(replace(d, '.', ''), '-', ' '), '(?i)^(\d+ )sept ', '\1Sep ')
);

-- date_part_of: the date part date_words found, as a date (NULL when it does not exist).
create or replace temp macro date_part_of(d) as (
    case
        when regexp_full_match(d, '\d{1,2}/\d{1,2}/\d{2}') then try_strptime(d, '%d/%m/%y')::date
        when regexp_full_match(d, '\d{1,2}/\d{1,2}/\d{4}') then try_strptime(d, '%d/%m/%Y')::date
        when regexp_full_match(d, '\d{4}[-/]\d{1,2}[-/]\d{1,2}') then try_strptime(replace(d, '/', '-'), '%Y-%m-%d')::date
        -- A month name; %Y would read a two-digit year as the year 26.
        when regexp_full_match(d, '.*\D\d{2}') then try_strptime(month_words(d), ['%d %b %y', '%d %B %y'])::date
        else try_strptime(month_words(d), ['%d %b %Y', '%d %B %Y'])::date
    end
);

-- date_words: the date forms of parse_date beyond the plain ones, NULL for anything else. The
-- date is found between an optional weekday (which must be its own: `Mon 10/11/2026` is NULL, as
-- 10 November 2026 is a Tuesday) and an optional midnight time; no other time, as a date-time with
-- a clock time or a zone is no date. Read as not real dates, a whole export of `10 Nov 2026` or of
-- Excel's `10/11/2026 00:00` was rejected row by row.
create or replace temp macro date_words(t) as (
    case when regexp_full_match(t, '(?i)((mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,? +)?(\d{1,2}/\d{1,2}/(\d{4}|\d{2})|\d{4}[-/]\d{1,2}[-/]\d{1,2}|\d{1,2}[ -][a-z]{3,9}\.?[ -](\d{4}|\d{2}))([ T]00:00(:00(\.0+)?)?)?')
    then date_of_weekday(
        regexp_extract(lower(t), '^(mon|tue|wed|thu|fri|sat|sun)', 1),
        date_part_of(regexp_extract(t, '(\d{1,2}/\d{1,2}/(\d{4}|\d{2})|\d{4}[-/]\d{1,2}[-/]\d{1,2}|\d{1,2}[ -][A-Za-z]{3,9}\.?[ -](\d{4}|\d{2}))', 1)))
    end
);

-- parse_date: YYYY-MM-DD, DD/MM/YYYY, D/M/YYYY or DD/MM/YY (UK order; a two-digit year is 20YY or
-- 19YY as strptime's %y decides), or an Excel serial day number (46342 = 2026-11-16); also, as
-- rota exports write them (date_words), a day and month name (`10 Nov 2026`, `10-Nov-26`,
-- `10 November 2026`), YYYY/MM/DD, each of these after a weekday (`Tue 10/11/2026`,
-- `Tuesday, 10 November 2026`: it must be the date's), or followed by a midnight time (`10/11/2026
-- 00:00`, `2026-11-10T00:00:00`: a date cell saved by Excel as a date-time). Anything else, or a
-- date that does not exist, is NULL.
create or replace temp macro parse_date(t) as (
    case
        -- Fast path, the common case: exactly YYYY-MM-DD (a cast, no pattern matching).
        when length(t) = 10 and substr(t, 5, 1) = '-' and substr(t, 8, 1) = '-'
            then try_cast(t as date)
        when regexp_full_match(t, '\d{1,2}/\d{1,2}/\d{2}') then try_strptime(t, '%d/%m/%y')::date
        when regexp_full_match(t, '\d{1,2}/\d{1,2}/\d{4}') then try_strptime(t, '%d/%m/%Y')::date
        when regexp_full_match(t, '\d{1,7}(\.0+)?') and cast(t as double) between 1 and 2958465
            then date '1899-12-30' + cast(cast(t as double) as integer)
        else date_words(t)
    end
);

-- parse_time: 24-hour HH:MM[:SS], a 12-hour clock (9:30 pm, 9:30PM, 9am, 12:15 AM), or an Excel
-- time fraction of a day (0.375 = 09:00), rounded to the second. 24:00 (a shift ending at
-- midnight, as rotas write it) is the end of the day, time '24:00:00': the date plus it is the
-- next midnight, and it is after every start, so no day is added for it (queries/ingest/shifts.sql).
create or replace temp macro parse_time(t) as (
    coalesce(
        try_strptime(upper(t), ['%H:%M', '%H:%M:%S', '%I:%M %p', '%I:%M%p', '%I:%M:%S %p', '%I:%M:%S%p', '%I %p', '%I%p'])::time,
        case when t in ('24:00', '24:00:00') then time '24:00:00' end,
        case when regexp_full_match(t, '0?\.\d+|0') then time '00:00' + to_seconds(cast(round(cast(t as double) * 86400) as bigint)) end
    )
);

-- parse_time_of: a time as parse_time, or the clock part of a date-time (YYYY-MM-DD HH:MM[:SS],
-- as a spreadsheet's date-time cell reads) whose date is Excel's day 0 or day 1 (1899-12-30 or
-- 1899-12-31; 1904-01-01 or 1904-01-02 in the 1904 system: an end computed as start + 8/24 past
-- midnight is 1899-12-31 06:00) or the row's date `d` (its date cell's text, read as parse_date
-- reads it; NULL when the row has none). Any other date is no time of this row (bad_time). Only
-- text that parse_time refuses pays for more.
create or replace temp macro parse_time_of(t, d) as (
    coalesce(
        parse_time(t),
        case when length(t) in (16, 19) and substr(t, 5, 1) = '-' and substr(t, 11, 1) in (' ', 'T')
            and (left(t, 10) in ('1899-12-30', '1899-12-31', '1904-01-01', '1904-01-02')
                or try_cast(left(t, 10) as date) = parse_date(d))
            then try_cast(substr(t, 12) as time)
        end
    )
);

-- parse_end_time_of: an end time as parse_time_of, or the end of an overnight shift written as a
-- date-time on the day after the row's date `d` (a spreadsheet's date-time cell: 22:00 to
-- 2026-11-11 08:00 on 10 November) whose clock is before the start `s` (its text, read as
-- parse_time_of reads it), so that the overnight rule adds exactly that day; the next day's
-- midnight (2026-11-11, or 2026-11-11 00:00) is 24:00. A next-day end at or after the start's
-- clock (over 24 hours), or on any other day, is NULL (bad_time). Not used where the mapping
-- reads an end date (end_date), to which the end time belongs.
create or replace temp macro parse_end_time_of(t, d, s) as (
    coalesce(
        parse_time_of(t, d),
        case when length(t) in (10, 16, 19) and substr(t, 5, 1) = '-' and substr(t, 8, 1) = '-'
            and (length(t) = 10 or substr(t, 11, 1) in (' ', 'T'))
            and try_cast(left(t, 10) as date) = parse_date(d) + 1
            then case
                when length(t) = 10 or try_cast(substr(t, 12) as time) = time '00:00' then time '24:00:00'
                when try_cast(substr(t, 12) as time) < parse_time_of(s, d) then try_cast(substr(t, 12) as time)
            end
        end
    )
);

-- is_iso_local: exactly YYYY-MM-DD HH:MM or YYYY-MM-DD HH:MM:SS (T allowed for the space). These
-- lengths leave no room for an offset, so a plain cast reads them right, and fast.
create or replace temp macro is_iso_local(t) as (
    length(t) in (16, 19) and substr(t, 5, 1) = '-' and substr(t, 11, 1) in (' ', 'T')
    and substr(t, 14, 1) = ':' and (length(t) = 16 or substr(t, 17, 1) = ':')
);

-- parse_local_timestamp: a Europe/London wall-clock date and time (ISO or UK order), as an instant.
-- ISO with a fraction of a second (2026-10-20 10:00:00.000, as databases write it) and a two-digit
-- year in UK order (20/10/26 10:00, as the date column reads it: not the year 26) read too.
create or replace temp macro parse_local_timestamp(t) as (
    timezone(
        'Europe/London',
        case
            when is_iso_local(t) then try_cast(t as timestamp)
            when regexp_full_match(t, '\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}\.\d{1,6}') then try_cast(t as timestamp)
            when regexp_full_match(t, '\d{1,2}/\d{1,2}/\d{2} \d{1,2}:\d{2}(:\d{2})?')
                then try_strptime(t, ['%d/%m/%y %H:%M', '%d/%m/%y %H:%M:%S'])
            else try_strptime(t, ['%d/%m/%Y %H:%M', '%d/%m/%Y %H:%M:%S'])
        end
    )
);

-- parse_timestamp ("auto"): a local wall-clock time as parse_local_timestamp, an ISO instant with
-- an offset or Z (2026-11-16T08:00:00Z; the offset may follow a space, 2026-11-16 08:00:00 +0100,
-- and Z may be written UTC or GMT), or an RFC 2822 date (Mon, 16 Nov 2026 08:00:00 +0000, its
-- weekday optional, its zone GMT, UT or UTC for +0000). An offset given is honoured.
create or replace temp macro parse_timestamp(t) as (
    case
        when is_iso_local(t) then timezone('Europe/London', try_cast(t as timestamp))
        when regexp_matches(t, '^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)? ?(Z|UTC|GMT|[+-]\d{2}(:?\d{2})?)$')
            -- DuckDB's cast wants seconds before an offset, and no space: 10:00Z -> 10:00:00Z,
            -- 10:00:00 +0100 -> 10:00:00+0100, 10:00 UTC -> 10:00:00Z.
            then try_cast(regexp_replace(
                regexp_replace(regexp_replace(t, ' ?(UTC|GMT)$', 'Z'), ' ([+-])', '\1'),
                '^(.{10}[T ]\d{2}:\d{2})(Z|[+-])', '\1:00\2') as timestamptz)
        when regexp_matches(t, '^([A-Za-z]{3}, )?\d{1,2} [A-Za-z]{3} \d{4} ')
            then try_strptime(
                regexp_replace(t, ' (GMT|UTC|UT|Z)$', ' +0000'),
                ['%a, %d %b %Y %H:%M:%S %z', '%a, %d %b %Y %H:%M %z', '%d %b %Y %H:%M:%S %z', '%d %b %Y %H:%M %z'])
        else parse_local_timestamp(t)
    end
);

-- parse_unix_seconds: seconds since 1970-01-01 UTC (RotaCloud), as an instant; a fraction of a
-- second (1794816000.5, as many JSON encoders write a float) is kept. Milliseconds (13 digits)
-- are not seconds, and are refused.
create or replace temp macro parse_unix_seconds(t) as (
    case when regexp_full_match(t, '-?\d{1,12}') then to_timestamp(cast(t as bigint))
        when regexp_full_match(t, '-?\d{1,12}\.\d{1,9}') then to_timestamp(cast(t as double)) end
);

-- parse_excel_timestamp: an Excel serial date-time (46342.7708333 = 2026-11-16 18:30), read as
-- Europe/London wall-clock time and rounded to the second.
create or replace temp macro parse_excel_timestamp(t) as (
    case when regexp_full_match(t, '\d{1,7}(\.\d+)?') and cast(t as double) between 1 and 2958466
        then timezone(
            'Europe/London',
            timestamp '1899-12-30' + to_seconds(cast(round(cast(t as double) * 86400) as bigint))
        )
    end
);

-- Numbers (docs/mappings.md, "Numbers"). A number field reads a finite plain or money amount:
-- an optional sign and £, digits, an optional fraction. With the decimal point (the default):
-- '1234.5', '£1,234.50', '1 234.50', '-3', '.5', '1.5e3'; commas and spaces only as thousands
-- separators in groups of three. With "decimal": "," (parse_number_decimal_comma): '1.234,50',
-- '12,34', '1 234,50'; dots and spaces only as thousands separators, no exponent. Anything else is
-- NULL: nan, inf, infinity, '1_000', '0x10', '(45)', '12.3.4'. A well-formed number too large
-- for a double (1e309) reads as +/-infinity, so the range check (src/ingest/mapping-sql.ts)
-- rejects it as out_of_range instead of a cast failing. Spaces may be U+00A0 or U+202F too.

-- number_from_clean: the double for a checked numeral with only digits, sign, '.', exponent;
-- +/-infinity when it overflows a double (try_cast gives NULL only then).
create or replace temp macro number_from_clean(s) as (
    coalesce(try_cast(s as double), case when starts_with(s, '-') then -'infinity'::double else 'infinity'::double end)
);

create or replace temp macro parse_number(t) as (
    case
        -- Fast path, the common case: plain digits with an optional fraction, short enough that
        -- the cast is always finite (one simple pattern and a cast: faster than the general one).
        when regexp_full_match(t, '\d{1,15}(\.\d{1,15})?') then cast(t as double)
        when regexp_full_match(
            t,
            '\s*(?:[+-]?£?|£[+-])\s*(?:(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?:[ \x{00A0}\x{202F}]\d{3})+)(?:\.\d+)?)\s*'
        )
            then number_from_clean(regexp_replace(t, '[£,\s\x{00A0}\x{202F}]', '', 'g'))
    end
);

create or replace temp macro parse_number_decimal_comma(t) as (
    case
        when regexp_full_match(t, '\d{1,15}') then cast(t as double)
        when regexp_full_match(
            t,
            '\s*(?:[+-]?£?|£[+-])\s*(?:\d+(?:,\d*)?|,\d+|(?:\d{1,3}(?:\.\d{3})+|\d{1,3}(?:[ \x{00A0}\x{202F}]\d{3})+)(?:,\d+)?)\s*'
        )
            then number_from_clean(replace(regexp_replace(t, '[£.\s\x{00A0}\x{202F}]', '', 'g'), ',', '.'))
    end
);

-- parse_duration_minutes: a duration as H:MM or H:MM:SS ('0:30' = 30), or an Excel fraction of a
-- day (0.0208333 = 30).
create or replace temp macro parse_duration_minutes(t) as (
    case
        when regexp_full_match(t, '\d{1,3}:\d{2}(:\d{2})?')
            then cast(split_part(t, ':', 1) as integer) * 60 + cast(split_part(t, ':', 2) as integer)
                + coalesce(try_cast(nullif(split_part(t, ':', 3), '') as integer), 0) / 60.0
        when regexp_full_match(t, '0?\.\d+|0') then round(cast(t as double) * 1440, 2)
    end
);

-- parse_clock_minutes: a duration written as the clock part of a time or timestamp (Deputy's
-- Mealbreak '2019-03-04T00:30:00-05:00' = 30; '00:30', '00:30:00' = 30). The date and the offset
-- are ignored: only HH:MM(:SS) counts.
create or replace temp macro parse_clock_minutes(t) as (
    case
        when regexp_full_match(t, '(\d{4}-\d{2}-\d{2}[T ])?\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?')
            then cast(regexp_extract(t, '(\d{1,2}):(\d{2})(:(\d{2}))?(\.\d+)?(Z|[+-]\d{2}(:?\d{2})?)?$', 1) as integer) * 60
                + cast(regexp_extract(t, '(\d{1,2}):(\d{2})(:(\d{2}))?(\.\d+)?(Z|[+-]\d{2}(:?\d{2})?)?$', 2) as integer)
                + coalesce(try_cast(nullif(regexp_extract(t, '(\d{1,2}):(\d{2})(:(\d{2}))?(\.\d+)?(Z|[+-]\d{2}(:?\d{2})?)?$', 4), '') as integer), 0) / 60.0
    end
);

-- parse_boolean: true/false, yes/no, y/n, 1/0 in any case; NULL for anything else.
create or replace temp macro parse_boolean(t) as (
    case
        when lower(t) in ('true', 'yes', 'y', '1') then true
        when lower(t) in ('false', 'no', 'n', '0') then false
    end
);

-- hours_text: a number of hours for a message: 30, -1, 7.5, 2.33 (two decimals at most).
create or replace temp macro hours_text(h) as (
    regexp_replace(cast(round(h, 2) as varchar), '\.0+$', '')
);

-- look_alike_id: an id with its look-alike characters made plain, as NFKC would for these
-- (DuckDB has only NFC): invisible format characters dropped (zero-width space and joiners,
-- soft hyphen, byte-order mark, direction marks), every Unicode space one ASCII space (no-break,
-- ideographic), every dash and minus sign a hyphen, full-width letters, digits and signs ASCII.
-- `TH-N1-001`, `TH‑N1‑001` (no-break hyphens), `ＴＨ-N1-001` and `TH-N1-001` + U+200B were four
-- clinicians. Only ids with a character beyond ASCII come here (normalise_person_id).
create or replace temp macro look_alike_id(t) as (
    translate(
        regexp_replace(regexp_replace(nfc_normalize(t), '\p{Cf}+', '', 'g'), '\p{Z}', ' ', 'g'),
        '！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～‐‑‒–—―−﹘﹣',
        '!"#$%&''()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\]^_`abcdefghijklmnopqrstuvwxyz{|}~---------'
    )
);

-- placeholder_person_id: a person id (as normalise_person_id gives it) that stands for nobody:
-- a spreadsheet error (a VLOOKUP's #N/A), a null word, a "to be confirmed", a lone dash or 0, a
-- boolean. Read as a clinician, each was one phantom clinician shared by every row holding it.
create or replace temp macro placeholder_person_id(t) as (
    t in ('#N/A', 'N/A', 'NA', 'N.A.', '#REF!', '#VALUE!', '#DIV/0!', '#NAME?', '#NUM!', '#NULL!',
        '#SPILL!', '#CALC!', '#GETTING_DATA', 'NULL', 'NIL', 'NONE', 'NAN', 'UNDEFINED', '-', '--',
        '?', '0', 'TBC', 'TBA', 'TBD', 'VACANT', 'UNASSIGNED', 'UNKNOWN', 'OPEN', 'TRUE', 'FALSE')
);

-- excel_shortened_id: a person id (as normalise_person_id gives it) that Excel wrote in
-- scientific notation, `1.23457E+11`: a number of 12 digits or more in a General cell, saved as
-- CSV. Six digits are left, so different clinicians' ids read the same: read as ids, 123456789012
-- and 123456789013 were one clinician.
create or replace temp macro excel_shortened_id(t) as (
    contains(t, 'E+') and regexp_full_match(t, '-?\d(\.\d{1,5})?E\+\d{2,}')
);

-- decimal_id: `1001.0` (a number as pandas and Excel write it) as `1001`; any other id as it is.
-- Only an id with a point pays for the regular expression.
create or replace temp macro decimal_id(t) as (
    case when contains(t, '.') then regexp_replace(t, '^(\s*\d+)\.0+(\s*)$', '\1\2') else t end
);

-- normalise_person_id: the form person ids are looked up in: runs of whitespace and control
-- characters (tabs, line breaks, a vertical tab or NUL pasted in: RE2's \s alone misses some)
-- made one space, trimmed, upper case; '' when empty. An id typed or pasted in
-- another tool is the same clinician when it only looks different (look_alike_id above), and a
-- numeric id written as a decimal (`1001.0`, as pandas and Excel write a number) is `1001`. The
-- pseudonyms tables are keyed by this text, and each key is the HMAC of what
-- src/ingest/pseudonymise.ts normalisePersonId makes of it (JavaScript's trim and upper case
-- reach further: ß is SS there), so the two need not agree for a lookup to find its key.
create or replace temp macro normalise_person_id(t) as (
    coalesce(upper(trim(regexp_replace(
        case when strlen(t) = length(t) then decimal_id(t) else look_alike_id(t) end,
        '[\s\p{Cc}]+', ' ', 'g'))), '')
);

-- normalise_shift_id: a shift id as the duplicate check and the merge across exports compare it:
-- tabs, line breaks and spaces at its ends dropped, and, like a person id, its look-alike
-- characters made plain (look_alike_id: a zero-width space or byte-order mark dropped). `SH-1001`,
-- `SH-1001` + tab and U+200B + `SH-1001` were three shifts, and counted three times.
create or replace temp macro normalise_shift_id(t) as (
    nullif(trim(
        case when strlen(t) = length(t) then t else look_alike_id(t) end,
        chr(9) || chr(10) || chr(11) || chr(12) || chr(13) || ' '), '')
);
