-- shifts-repeats (ingest): a shift id given more than once in one file. Runs after
-- queries/ingest/shifts.sql, on its `mapped`: of the copies that passed every other check, the
-- first (lowest source_row) is kept and each later one is rejected as duplicate_shift_id, naming
-- the kept row. A copy that fails a check of its own keeps that reason and does not count: an
-- earlier copy for another network's folder, with an unknown practice or status, or unreadable,
-- does not make the good copy after it a duplicate of a row that was itself rejected (which
-- would keep no copy at all). Files are never compared with each other (file_id), so a file's
-- outcome does not depend on its batch. A rejected row carries no break or cost, as in shifts.sql.
-- One scan of `mapped` (ids are grouped on accepted rows only); the update touches only the
-- later copies, so an export without repeats costs the scan alone.
update mapped as m
set reason_code = 'duplicate_shift_id',
    reason_field = 'shift_id',
    reason_value = m.shift_id,
    reason_detail = cast(k.kept_row as varchar),
    break_minutes = null,
    cost_pence = null
from (
    select file_id, shift_id, min(source_row) as kept_row
    from mapped
    where reason_code is null
    group by file_id, shift_id
    having count(*) > 1
) as k
where m.file_id = k.file_id
    and m.shift_id = k.shift_id
    and m.reason_code is null
    and m.source_row > k.kept_row;
