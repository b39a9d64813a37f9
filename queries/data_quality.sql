-- data_quality: what arrived from each network, week by week, and how much of it was usable.
-- Grain: one row per network_code x week_start, where week_start is the Monday (Europe/London)
--   of the week the exports were taken (exported_at), not the week the shifts are in.
-- Columns: network_code, week_start, files, rows_received, rows_accepted, rows_rejected,
--   reject_share, latest_exported_at, latest_shift_date.
-- Definition: shift rows as ingested, every version (a later export of the same shift counts
-- again: it was received again); rows_received = rows_accepted + rows_rejected; reject_share =
-- rows_rejected / rows_received; latest_shift_date = the last local shift date among accepted
-- rows of those exports. Accepted rows count under their own network, rejected rows under the
-- network of the export they came in, in the week of its export time (the latest of its accepted
-- rows', src/ingest/write-curated.ts FILE_EXPORTED_AT_SQL). Availability rows are not counted here.
with accepted as (
    select
        network_code,
        cast(date_trunc('week', cast(exported_at at time zone 'Europe/London' as date)) as date) as week_start,
        source_file,
        exported_at,
        shift_date
    from {{curated_shifts}}
),

rejected as (
    select
        network_code,
        cast(date_trunc('week', cast(exported_at at time zone 'Europe/London' as date)) as date) as week_start,
        source_file,
        exported_at
    from {{curated_rejects}}
    where kind = 'shifts'
),

received as (
    select network_code, week_start, source_file, exported_at, shift_date, 1 as is_accepted from accepted
    union all
    select network_code, week_start, source_file, exported_at, cast(null as date) as shift_date, 0 as is_accepted from rejected
)

select
    network_code,
    week_start,
    count(distinct source_file) as files,
    count(*) as rows_received,
    sum(is_accepted) as rows_accepted,
    count(*) - sum(is_accepted) as rows_rejected,
    cast(count(*) - sum(is_accepted) as double) / count(*) as reject_share,
    max(exported_at) as latest_exported_at,
    max(shift_date) as latest_shift_date
from received
group by network_code, week_start
order by network_code, week_start
