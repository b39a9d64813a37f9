-- availability (staging): the current version of every availability row ever ingested.
-- Grain: one row per (source_system, clinician_key, network_code, week_start, session_type).
-- Columns: the canonical availability columns (DESIGN §3.2, docs/metrics.md).
-- Definition: as for shifts, the row from the latest export (exported_at, then source_file, then
-- source_row) is current; a NULL session_type is one row covering the whole week.
-- Identity: network-scoped as for shifts (network_code is in the partition, and ingest accepts a
-- row only for a known PCN that is the raw key's network folder); docs/metrics.md ("Supersede").
-- A week restated the other way: whole-week rows and session rows of one clinician, network and
-- week supersede each other too, by export time. A later export giving the week whole replaces
-- the session rows of an earlier one (and the other way round); before, both stayed current and
-- the 'all' scope added them (210 h where the latest export said 105 h; an audit found it).
-- icb_code is the network's one ICB, as in staging shifts ({{network_icbs}}).
with ranked as (
    select
        a.*,
        row_number() over (
            partition by a.source_system, a.clinician_key, a.network_code, a.week_start, a.session_type
            order by a.exported_at desc, a.source_file desc, a.source_row desc
        ) as version_rank
    from {{curated_availability}} as a
)

select
    source_system,
    source_file,
    source_row,
    exported_at,
    clinician_key,
    current_rows.network_code,
    coalesce(n.icb_code, current_rows.icb_code) as icb_code,
    home_practice_code,
    role,
    engagement,
    week_start,
    session_type,
    available_hours
from (
    select
        r.*,
        max(case when r.session_type is null then r.exported_at end)
            over (partition by r.source_system, r.clinician_key, r.network_code, r.week_start) as whole_week_at,
        max(case when r.session_type is not null then r.exported_at end)
            over (partition by r.source_system, r.clinician_key, r.network_code, r.week_start) as sessions_at
    from ranked as r
    where r.version_rank = 1
) as current_rows
left join {{network_icbs}} as n on n.network_code = current_rows.network_code
where (session_type is null and (sessions_at is null or exported_at >= sessions_at))
    or (session_type is not null and (whole_week_at is null or exported_at >= whole_week_at))
