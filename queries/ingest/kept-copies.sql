-- kept-copies (ingest): of each repeated shift id (`duplicate_ids`), the copy kept is the first
-- that can be read (no stage_reason), not merely the first: a copy before it could not be read
-- and is rejected for that, so a good copy after a bad one is kept rather than lost as a
-- duplicate of a row that was itself rejected. Runs only when there are repeated ids
-- (src/ingest/ingest-batch.ts): it reads `staged` again, which for a large export is the CSV
-- read again (0.6 s for 1M rows), whatever the number of repeats.
update duplicate_ids as d
set first_row = coalesce(k.kept_row, d.first_row)
from (
    select s.file_id, s.shift_id, min(s.source_row) as kept_row
    from staged as s
    join duplicate_ids as r on r.file_id = s.file_id and r.shift_id = s.shift_id
    where s.stage_reason is null
    group by s.file_id, s.shift_id
) as k
where k.file_id = d.file_id and k.shift_id = d.shift_id;
