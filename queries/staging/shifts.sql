-- shifts (staging): the current version of every shift ever ingested.
-- Grain: one row per (source_system, network_code, shift_id): a shift's identity.
-- Columns: the canonical shift columns (DESIGN §3.1, docs/metrics.md).
-- Definition: among all ingested rows with the same identity, the row with the latest
-- exported_at is current (ties: later source_file, then later source_row); a later export
-- supersedes an earlier one at query time, nothing is updated in place.
-- Identity: networks on the same rostering system have separate accounts and reuse ids, so the
-- network is part of it. The row's network_code is the network the raw key's folder names (ingest
-- rejects a row whose network, given or from the reference data, is another one:
-- network_folder_mismatch), so one network's uploads can never supersede another's shifts.
-- practice_code is deliberately not part of it: a shift moved between practices of one network is
-- the same shift, and its later version replaces the earlier. docs/metrics.md ("Supersede").
-- icb_code is the network's one ICB: ingest gives each shift its practice's, and a network with
-- practices in two ICBs ({{network_icbs}}, from the reference data) counts whole in one.
with ranked as (
    select
        s.*,
        row_number() over (
            partition by s.source_system, s.network_code, s.shift_id
            order by s.exported_at desc, s.source_file desc, s.source_row desc
        ) as version_rank
    from {{curated_shifts}} as s
)

select
    source_system,
    source_file,
    source_row,
    exported_at,
    shift_id,
    practice_code,
    ranked.network_code,
    coalesce(n.icb_code, ranked.icb_code) as icb_code,
    role,
    staff_group,
    engagement,
    arrs_funded,
    clinician_key,
    start_at,
    end_at,
    shift_date,
    week_start,
    start_hour,
    -- Curated files ingested before start_minute existed lack it (read as NULL): the hour is the
    -- best they say. `rotascope ingest --force` rewrites them with exact minutes.
    cast(coalesce(start_minute, start_hour * 60) as smallint) as start_minute,
    break_minutes,
    hours,
    session_type,
    delivery,
    status,
    published_at,
    filled_at,
    cost_pence
from ranked
left join {{network_icbs}} as n on n.network_code = ranked.network_code
where version_rank = 1
