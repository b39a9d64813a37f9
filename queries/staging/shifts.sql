-- shifts (staging): the current version of every shift ever ingested.
-- Grain: one row per (source_system, shift_id).
-- Columns: the canonical shift columns (DESIGN §3.1, docs/metrics.md).
-- Definition: among all ingested rows with the same source_system and shift_id, the row with the
-- latest exported_at is current (ties: later source_file, then later source_row); a later export
-- supersedes an earlier one at query time, nothing is updated in place.
with ranked as (
    select
        s.*,
        row_number() over (
            partition by s.source_system, s.shift_id
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
    network_code,
    icb_code,
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
    break_minutes,
    hours,
    session_type,
    delivery,
    status,
    published_at,
    filled_at,
    cost_pence
from ranked
where version_rank = 1
