-- rejects_by_reason: why rows were rejected, for each network's data-quality panel.
-- Grain: one row per network_code x week_start x kind x reason_code, where week_start is the
--   Monday (Europe/London) of the week the exports were taken and kind is shifts or availability.
-- Columns: network_code, week_start, kind, reason_code, rows_rejected, files.
-- Definition: rejected rows (queries/ingest/ reasons, src/ingest/messages.ts) counted under the
-- network of the export they came in.
select
    network_code,
    cast(date_trunc('week', cast(exported_at at time zone 'Europe/London' as date)) as date) as week_start,
    kind,
    reason_code,
    count(*) as rows_rejected,
    count(distinct source_file) as files
from {{curated_rejects}}
group by 1, 2, 3, 4
order by network_code, week_start, kind, rows_rejected desc, reason_code
