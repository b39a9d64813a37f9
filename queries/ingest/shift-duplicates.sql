-- shift-duplicates (ingest): ids seen more than once in a file of the batch, with the row of
-- their first copy. Runs before queries/ingest/shifts.sql, which reads `duplicate_ids`. Found
-- from the shift ids alone, so `mapped` there reads `staged` once and streams (a CTE read twice
-- would be held in memory whole, every staged column of every row).
create or replace temp table duplicate_ids as
select file_id, shift_id, min(source_row) as first_row
from staged
group by file_id, shift_id
having count(*) > 1;
