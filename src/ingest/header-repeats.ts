/**
 * Header lines inside an export: two exports pasted into one file, or a report that prints its
 * header on every page. Such a line reads as a row whose cells are the column names, and is a
 * `malformed_row` reject, said as such (before, its cells failed one check after another:
 * `arrs_funded "arrs_funded" is not true or false`). A repeated header with the columns in
 * another order means every row after it (up to the next header line) holds its values under
 * other columns: read in this file's order, a person id became a shift id and was accepted in
 * clear. Those rows are `malformed_row` rejects too, naming the header's row, and like every
 * malformed row their raw values are not kept.
 *
 * A row is a header line when at least half of the mapping's required columns (and at least
 * three) hold a column name of the file, compared trimmed, ignoring case and a byte-order mark
 * before it; in the same order when each holds its own name. Half, not all: a header pasted with
 * a column more or fewer (an XLSX row has no field count to give it away) holds the names a
 * place out. SQL over `batch_rows` (file_id, source_row, the exports' columns), giving the rows
 * to add to `batch_malformed` (file_id, source_row, detail); it runs only when a byte search of
 * the text finds every required name again after the header (`textMayRepeatHeader`).
 */
import { sqlString } from '../engine/duckdb-engine.js';
import { quoteIdent } from './mapping-sql.js';

/**
 * Whether the text after the header (from byte `from`) holds every required column name as the
 * header writes it, in lower case or in upper case: a header line must. A few byte searches, so
 * the SQL below runs only on an export that may have one (never on a large export without).
 */
export function textMayRepeatHeader(
  utf8: Uint8Array,
  from: number,
  requiredColumns: readonly string[],
  columns: Map<string, string>,
): boolean {
  const text = Buffer.from(utf8.buffer, utf8.byteOffset, utf8.byteLength);
  // Each search reads the whole text (about 0.1 s for 137 MB), so each distinct form once, and
  // the first required name that is missing ends it.
  return requiredColumns.every((c) => {
    const name = (columns.get(c.trim().toLowerCase()) ?? c).trim();
    return [...new Set([name, name.toLowerCase(), name.toUpperCase()])].some(
      (form) => text.indexOf(form, from, 'utf8') !== -1,
    );
  });
}

export function headerRepeatsSql(
  /** The exports' columns: lower-cased trimmed name -> the name as it appears. */
  columns: Map<string, string>,
  requiredColumns: readonly string[],
): string | undefined {
  const names = [...columns.keys()];
  const required = [...new Set(requiredColumns.map((c) => c.trim().toLowerCase()))].filter((c) =>
    columns.has(c),
  );
  // One or two columns in common with a header are too little to tell a header line by.
  if (required.length < 3) return undefined;
  // A byte-order mark or zero-width character before a name (an Excel-saved export pasted in
  // whole) still reads as the name.
  const cell = (c: string) =>
    `lower(trim(regexp_replace(r.${quoteIdent(columns.get(c) as string)}, '[\\x{FEFF}\\x{200B}-\\x{200D}\\x{2060}]', '', 'g')))`;
  const nameList = names.map((n) => sqlString(n)).join(', ');
  // A header line pasted with a column more or fewer shifts the names by a place, so it is told
  // by how many required cells hold some column name: half of them, and at least three.
  const hits = required.map((c) => `coalesce(${cell(c)} in (${nameList}), false)::int`).join(' + ');
  const enough = Math.max(3, Math.ceil(required.length / 2));
  const inPlace = required.map((c) => `${cell(c)} = ${sqlString(c)}`).join(' and ');
  return `with header_lines as (
  select file_id, source_row, ${inPlace} as same_order
  from batch_rows as r
  where ${hits} >= ${enough}
),
spans as (
  select file_id, source_row, same_order,
    lead(source_row) over (partition by file_id order by source_row) as next_header
  from header_lines
)
select file_id, source_row,
  case when same_order then 'it repeats the header line (two exports pasted into one file?); only its own line is left out'
  else 'it is a header line with other columns or in another order (two exports pasted into one file?): the rows after it, up to the next header line, are left out' end as detail
from spans
union all
select r.file_id, r.source_row,
  'it follows a header line (row ' || s.source_row || ') with other columns or in another order, so its values are not under this file''s columns; split the file at that row' as detail
from batch_rows as r
join spans as s on s.file_id = r.file_id and not s.same_order
  and r.source_row > s.source_row and (s.next_header is null or r.source_row < s.next_header)`;
}
