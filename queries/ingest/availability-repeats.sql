-- availability-repeats (ingest): a clinician's availability given more than once in one file.
-- Runs after queries/ingest/availability.sql, on its `mapped`, and counts only the rows that
-- passed every check there, as queries/ingest/shifts-repeats.sql does for shift ids: a row
-- rejected for a reason of its own (another network's folder, an unknown role) neither is kept
-- nor makes a good row a duplicate. Files are never compared with each other (file_id).
-- Rows are the same availability when clinician (its key, one per normalised person id),
-- network, week and session type agree.

-- 1. A week given both whole (no session type) and per session: the whole-week rows are
-- rejected, naming the first session row, as `all` adds every row of the week and would count
-- the hours twice (a total line under the session rows, say).
update mapped as m
set reason_code = 'duplicate_availability',
    reason_field = 'week_start',
    reason_value = cast(w.first_session_row as varchar),
    reason_detail = 'whole_week'
from (
    select file_id, clinician_key, network_code, week_start,
        min(source_row) filter (where session_type is not null) as first_session_row
    from mapped
    where reason_code is null
    group by all
    having count(*) filter (where session_type is null) > 0
        and count(*) filter (where session_type is not null) > 0
) as w
where m.file_id = w.file_id
    and m.clinician_key is not distinct from w.clinician_key
    and m.network_code is not distinct from w.network_code
    and m.week_start is not distinct from w.week_start
    and m.session_type is null
    and m.reason_code is null;

-- 2. The same session (or the whole week) given twice: the first copy is kept and each later one
-- rejected, naming the kept row.
update mapped as m
set reason_code = 'duplicate_availability',
    reason_field = 'week_start',
    reason_value = cast(m.week_start as varchar),
    reason_detail = cast(d.kept_row as varchar)
from (
    select file_id, clinician_key, network_code, week_start, session_type, min(source_row) as kept_row
    from mapped
    where reason_code is null
    group by all
    having count(*) > 1
) as d
where m.file_id = d.file_id
    and m.clinician_key is not distinct from d.clinician_key
    and m.network_code is not distinct from d.network_code
    and m.week_start is not distinct from d.week_start
    and m.session_type is not distinct from d.session_type
    and m.reason_code is null
    and m.source_row > d.kept_row;
