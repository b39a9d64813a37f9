/**
 * CSV exports, header first. The header decides the dialect, never a sniffed guess: among the
 * first 30 lines, the first that splits (on the mapping's delimiter, else on `,` `;` tab or `|`)
 * into every column the mapping requires is the header; lines above it are title lines (kept for
 * `exported_at.title_line`). DuckDB then reads the rest with that delimiter, `"` as quote and
 * escape, the header's own column names, and its rejects machinery (`store_rejects`), so a
 * line with too many or too few fields, or a quote that never closes properly, is one
 * malformed row (reject `malformed_row`, with its row and line number), never the whole file.
 *
 * Row numbers (`source_row`) count data records as DuckDB reads them: blank lines are not rows, a
 * quoted value spanning lines is one row. Malformed rows keep their place in that count, so the
 * rows around them keep the numbers they have in the file.
 *
 * A quote that opens and never closes would swallow the rest of the file into one value: such a
 * row is malformed up to the end of its own line, and the file is read again from the next line
 * (at most MAX_RESTARTS times).
 *
 * When no line names every required column, the file is read as before (DuckDB sniffs the
 * dialect) and read-export.ts says which columns are missing.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tableRows } from '../engine/arrow-types.js';
import { type DuckDbEngine, sqlString } from '../engine/duckdb-engine.js';
import { quoteIdent } from './mapping-sql.js';
import { cleanColumnName, uniqueColumnNames } from './text-rows.js';

/** How many lines from the top are searched for the header. */
export const HEADER_SEARCH_LINES = 30;
const CANDIDATE_DELIMITERS = [',', ';', '\t', '|'];
const MAX_RESTARTS = 20;
/** The error type of a record that took in rows of their own (swallowingRecord), not DuckDB's. */
const SWALLOWED = 'SWALLOWED ROWS';

export interface CsvRead {
  /** Lines above the header (title lines), as text. */
  titleLines: string[];
  /** Rows that could not be split into the header's fields. */
  malformed: number;
}

export interface CsvHeader {
  delimiter: string;
  /** 0-based physical line of the header. */
  line: number;
  /** Byte offset of the first data line. */
  dataStart: number;
  names: string[];
  titleLines: string[];
}

/** Split one line of CSV into fields: `"` quotes, `""` a quote inside quotes. */
export function splitCsvLine(line: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const ch = line[i] as string;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (ch === delimiter) {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

/** The header line (and with it the delimiter), or undefined when no line names them all. */
export function findCsvHeader(
  utf8: Uint8Array,
  required: readonly string[],
  delimiter: string | undefined,
): CsvHeader | undefined {
  const head = Buffer.from(utf8.buffer, utf8.byteOffset, Math.min(utf8.byteLength, 1 << 20));
  const wanted = required.map((c) => c.trim().toLowerCase());
  const candidates = delimiter ? [delimiter] : CANDIDATE_DELIMITERS;
  let start = 0;
  for (let line = 0; line < HEADER_SEARCH_LINES && start < head.length; line += 1) {
    const newline = head.indexOf(0x0a, start);
    const end = newline === -1 ? head.length : newline;
    const text = head.toString('utf8', start, end).replace(/\r$/, '');
    for (const d of candidates) {
      const fields = splitCsvLine(text, d);
      const names = new Set(fields.map((f) => cleanColumnName(f).toLowerCase()));
      const matches =
        wanted.length > 0
          ? wanted.every((w) => names.has(w))
          : line === 0 && (fields.length > 1 || d === candidates.at(-1));
      if (matches) {
        const titleLines = head
          .toString('utf8', 0, start)
          .split('\n')
          .slice(0, line)
          .map((l) => l.replace(/\r$/, ''));
        const dataStart = newline === -1 ? head.length : newline + 1;
        return {
          delimiter: d,
          line,
          dataStart,
          names: trailingFieldsAgreed(fields, sampleLines(head, dataStart), d),
          titleLines,
        };
      }
    }
    if (newline === -1) break;
    start = newline + 1;
  }
  return undefined;
}

const SAMPLE_LINES = 20;

/** Up to SAMPLE_LINES non-blank physical lines from `start`, each with its quotes balanced. */
function sampleLines(head: Buffer, start: number): string[] {
  const lines: string[] = [];
  let at = start;
  while (lines.length < SAMPLE_LINES && at < head.length) {
    const newline = head.indexOf(0x0a, at);
    if (newline === -1) break; // the last line may be cut off by the sample's end
    const text = head.toString('utf8', at, newline).replace(/\r$/, '');
    if (text !== '' && (text.split('"').length - 1) % 2 === 0) lines.push(text);
    at = newline + 1;
  }
  return lines;
}

/**
 * The header's names, made to agree with a trailing delimiter the rows all share: rows that all
 * end in k more empty fields than the header get k unnamed columns; a header that ends in k
 * unnamed columns the rows all lack loses them. Otherwise every row would be malformed for a
 * comma at the end of the line.
 */
function trailingFieldsAgreed(names: string[], sample: string[], delimiter: string): string[] {
  if (sample.length === 0) return names;
  const rows = sample.map((line) => splitCsvLine(line, delimiter));
  const extra = (rows[0]?.length ?? 0) - names.length;
  const allEmptyBeyond = (row: string[], from: number) =>
    row.slice(from).every((f) => f.trim() === '');
  if (
    extra > 0 &&
    rows.every((r) => r.length === names.length + extra && allEmptyBeyond(r, names.length))
  ) {
    return [...names, ...Array.from({ length: extra }, () => '')];
  }
  let blank = 0;
  while (blank < names.length && (names[names.length - 1 - blank] ?? '').trim() === '') blank += 1;
  if (blank > 0 && rows.every((r) => r.length === names.length - blank)) {
    return names.slice(0, names.length - blank);
  }
  return names;
}

interface RejectRow {
  line: number;
  line_byte_position: number;
  error_type: string;
  csv_line: string;
  error_message: string;
}

interface Located {
  /** 1-based data record index within the segment. */
  index: number;
  /** 1-based physical line within the segment's bytes. */
  line: number;
  start: number;
  /** Byte just after the record's first physical line (after its newline). */
  nextLine: number;
  /** Fields in the record's first physical line (quote-aware). */
  fields: number;
  /** Byte just after the record (after its newline). */
  end: number;
}

/**
 * For each position (ascending), the data record DuckDB reported it at: the first non-blank
 * record starting at or after position - 1. Quote handling mirrors DuckDB's: a quote opens a
 * quoted value only at the start of a field; `""` inside quotes is a quote; a closing quote
 * followed by other text leaves the rest of the field unquoted.
 */
function locateRecords(
  bytes: Uint8Array,
  from: number,
  positions: readonly number[],
  delimiter: number,
): Located[] {
  const out: Located[] = [];
  let want = 0;
  for (const record of scanRecords(bytes, from, delimiter)) {
    if (want >= positions.length) break;
    while (want < positions.length && (positions[want] as number) - 1 <= record.start) {
      out.push(record);
      want += 1;
    }
  }
  return out;
}

/** Every non-blank record from `from` on, as DuckDB splits them (see locateRecords). */
function* scanRecords(bytes: Uint8Array, from: number, delimiter: number): Generator<Located> {
  let index = 0;
  let line = 1;
  let i = from;
  while (i < bytes.length) {
    // Skip blank lines.
    if (bytes[i] === 0x0a || (bytes[i] === 0x0d && bytes[i + 1] === 0x0a)) {
      i += bytes[i] === 0x0d ? 2 : 1;
      line += 1;
      continue;
    }
    const start = i;
    const startLine = line;
    index += 1;
    let state = 0; // 0 field start, 1 unquoted, 2 quoted, 3 quote inside quoted
    let fields = 1;
    let nextLine = -1;
    let firstLineFields = 0;
    for (; i < bytes.length; i += 1) {
      const c = bytes[i] as number;
      if (c === 0x0a) {
        if (nextLine === -1) {
          nextLine = i + 1;
          firstLineFields = fields;
        }
        line += 1;
        if (state !== 2) {
          i += 1;
          break;
        }
        continue;
      }
      if (state === 2) {
        if (c === 0x22) state = 3;
      } else if (state === 3) {
        if (c === 0x22) state = 2;
        else if (c === delimiter) {
          state = 0;
          fields += 1;
        } else if (c !== 0x0d) state = 1;
      } else if (c === delimiter) {
        state = 0;
        fields += 1;
      } else if (state === 0 && c === 0x22) state = 2;
      else if (c !== 0x0d || state !== 0) state = state === 0 ? 1 : state;
    }
    if (nextLine === -1) {
      nextLine = bytes.length;
      firstLineFields = fields;
    }
    yield { index, line: startLine, start, nextLine, fields: firstLineFields, end: i };
  }
}

const CR = 13;
const LF = 10;

/**
 * The CSV text with one kind of line end, as DuckDB's reader needs: a file that mixes `\r\n` with
 * `\n` (or holds a lone `\r`) makes read_csv fail the whole file with an internal "state machine"
 * error, and a file whose lines end in `\r` alone (old Mac exports) reads as one line, its header,
 * and no rows. A file with one kind of line end already is returned as it is (the common case
 * costs a native search for `\r`, and for `\n` in a `\r\n` file); otherwise every `\r\n` and lone
 * `\r` becomes `\n`, inside quoted values too (the one change to the text; the raw export is
 * untouched).
 */
export function uniformLineEnds(bytes: Uint8Array): Uint8Array {
  let crlf = 0;
  let lone = 0;
  for (let i = bytes.indexOf(CR); i !== -1; i = bytes.indexOf(CR, i + 1)) {
    if (bytes[i + 1] === LF) crlf += 1;
    else lone += 1;
  }
  if (crlf + lone === 0) return bytes;
  if (lone === 0) {
    let lf = 0;
    for (let i = bytes.indexOf(LF); i !== -1 && lf <= crlf; i = bytes.indexOf(LF, i + 1)) lf += 1;
    if (lf === crlf) return bytes;
  }
  const out = new Uint8Array(bytes.length - crlf);
  let n = 0;
  for (let i = 0; i < bytes.length; i += 1) {
    const b = bytes[i] as number;
    if (b === CR) {
      out[n++] = LF;
      if (bytes[i + 1] === LF) i += 1;
    } else out[n++] = b;
  }
  return out;
}

/** How many records a clean read of the CSV from `from` on gives (blank lines are not records). */
export function countCsvRecords(bytes: Uint8Array, from: number, delimiter: string): number {
  let n = 0;
  for (const _ of scanRecords(bytes, from, delimiter.charCodeAt(0))) n += 1;
  return n;
}

/** A record that took in lines of rows of their own (swallowingRecord), and the last of them. */
interface Swallowing {
  record: Located;
  /** 1-based physical line, within the segment, of the record's last line (its closing quote). */
  lastLine: number;
}

/**
 * The first record whose quoted value runs over a line that is a row of its own: a quote opened
 * and never meant to span lines (`"unclosed note`) that a later quote happens to close cleanly at
 * the end of a field (`5'10"`), so DuckDB reads the lines between as text of one value, with no
 * error and the right number of fields, and their rows vanish from the count. A line inside a
 * quoted value (up to the quote that closes it) that splits by itself into exactly the header's
 * fields (at least three) is such a row; a note spanning lines has nothing like it, nor has a
 * value broken over lines in the first column (`"G\n1",F84698,...`: inside, only `1`). A row
 * taken in whose quote closes in another column than the last is found only with a line between.
 * Undefined when there is none.
 */
function swallowingRecord(
  bytes: Uint8Array,
  from: number,
  delimiter: string,
  fields: number,
): Swallowing | undefined {
  if (fields < 3) return undefined;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const record of scanRecords(bytes, from, delimiter.charCodeAt(0))) {
    if (record.nextLine >= record.end) continue;
    const lines = text.toString('utf8', record.nextLine, record.end).split('\n');
    if (
      lines.some((line) => quotedPart(line.replace(/\r$/, '')).split(delimiter).length === fields)
    ) {
      // The record's last line (the text after its final line end is no line).
      return { record, lastLine: record.line + lines.length - (lines.at(-1) === '' ? 1 : 0) };
    }
  }
  return undefined;
}

/**
 * A line that starts inside a quoted value, up to the quote that closes it (`""` is a quote in
 * the value), or all of it when none does.
 */
function quotedPart(line: string): string {
  for (let at = line.indexOf('"'); at !== -1; at = line.indexOf('"', at + 2)) {
    if (line[at + 1] !== '"') return line.slice(0, at);
  }
  return line;
}

/**
 * Whether each record from `from` on may be one physical line: as many non-blank lines as `records`
 * (then no quoted value spans lines, and none can have taken in a row). A native search per line.
 */
function oneLinePerRecord(bytes: Uint8Array, from: number, records: number): boolean {
  let lines = 0;
  let at = from;
  while (at < bytes.length && lines <= records) {
    const newline = bytes.indexOf(LF, at);
    const end = newline === -1 ? bytes.length : newline;
    if (end > at && !(end === at + 1 && bytes[at] === CR)) lines += 1;
    at = end + 1;
  }
  return lines === records;
}

/** Read a CSV export into `raw_rows` (and `raw_malformed`), header first. */
export async function readCsvRows(
  engine: DuckDbEngine,
  utf8: Uint8Array,
  header: CsvHeader,
  workDir: string,
): Promise<CsvRead> {
  const columns = uniqueColumnNames(header.names);
  const columnsSql = `{${columns.map((c) => `${sqlString(c)}: 'VARCHAR'`).join(', ')}}`;
  const delimiterCode = header.delimiter.charCodeAt(0);
  const segments: string[] = [];
  const malformed: (string | null)[][] = [];
  let from = header.dataStart;
  let offset = 0; // rows before this segment
  let lineOffset = header.line + 1; // physical lines before this segment's first data line
  for (let segment = 0; ; segment += 1) {
    const file = path.join(workDir, `export-${segment}.csv`);
    await writeFile(file, utf8.subarray(from));
    const read = async (extra: string) => {
      await engine.run('drop table if exists csv_rejects; drop table if exists csv_scans');
      await engine.run(
        `create or replace temp table csv_segment_${segment} as select ${excelTextUnwrapped(columns)} from read_csv(${sqlString(file)}, header = false, auto_detect = false, delim = ${sqlString(header.delimiter)}, quote = '"', escape = '"', columns = ${columnsSql}, store_rejects = true, rejects_table = 'csv_rejects', rejects_scan = 'csv_scans'${extra})`,
      );
      return tableRows<RejectRow>(
        await engine.query(
          `select min(line) as line, min(line_byte_position) as line_byte_position, first(error_type order by byte_position) as error_type,
             first(csv_line order by byte_position) as csv_line, first(error_message order by byte_position) as error_message
           from csv_rejects group by line order by line`,
        ),
      );
    };
    let rejects = await read('');
    if (rejects.some((r) => r.error_type === 'LINE SIZE OVER MAXIMUM')) {
      // DuckDB refuses a record over 2 MB (max_line_size). Such a record is still a row (a huge
      // notes cell): read again allowing one as long as the segment. Only then, so ordinary
      // exports keep DuckDB's default buffers.
      rejects = await read(`, max_line_size = ${utf8.byteLength - from + 1}`);
    }
    // A quote that a later one closed cleanly, over lines that are rows of their own: read as
    // one that never closes (below). Looked for only where a record may span lines.
    const swallowing =
      segment < MAX_RESTARTS &&
      (rejects.length > 0 ||
        !oneLinePerRecord(
          utf8,
          from,
          Number(
            tableRows<{ n: bigint }>(
              await engine.query(`select count(*) as n from csv_segment_${segment}`),
            )[0]?.n ?? 0,
          ),
        ))
        ? swallowingRecord(utf8, from, header.delimiter, columns.length)
        : undefined;
    if (segment === 0 && rejects.length === 0 && !swallowing) {
      // The common case, a clean file: rows numbered as read, nothing else to do.
      await engine.run('drop table if exists raw_file');
      await engine.run(
        'create or replace temp view raw_rows as select cast(rowid + 1 as integer) as source_row, * from csv_segment_0',
      );
      return { titleLines: header.titleLines, malformed: 0 };
    }
    const located = locateRecords(
      utf8,
      from,
      rejects.map((r) => from + Number(r.line_byte_position)),
      delimiterCode,
    );
    // A quoted value that swallowed following lines: malformed to the end of its own line.
    let runawayAt = rejects.findIndex(
      (r) => r.error_type === 'UNQUOTED VALUE' && /\n./.test(r.csv_line.replace(/^[\r\n]+/, '')),
    );
    if (swallowing) {
      // Before the first runaway DuckDB reported (a quote that never closes), it is the runaway:
      // rejects after it go, as the lines after it are read again.
      const at = swallowing.record;
      const before = located.findIndex((l) => l.index >= at.index);
      const place = before === -1 ? rejects.length : before;
      if (runawayAt === -1 || at.index < (located[runawayAt]?.index ?? 0)) {
        rejects.splice(place, rejects.length - place, {
          line: at.line,
          line_byte_position: at.start - from,
          error_type: SWALLOWED,
          csv_line: String(lineOffset + swallowing.lastLine),
          error_message: '',
        });
        located.splice(place, located.length - place, at);
        runawayAt = place;
      }
    }
    const kept = runawayAt === -1 ? rejects.length : runawayAt + 1;
    // Each reject's record; one the scan cannot place (it should not happen) falls back on
    // DuckDB's own count, so no dropped line goes uncounted. One record is rejected once.
    const bad: Located[] = [];
    let lastRow: number | undefined;
    for (const [i, r] of rejects.slice(0, kept).entries()) {
      const at = located[i] ?? {
        index: Math.max(Number(r.line) - (segment === 0 ? 1 : 0), (bad.at(-1)?.index ?? 0) + 1),
        line: Number(r.line),
        start: utf8.length,
        nextLine: utf8.length,
        fields: 0,
        end: utf8.length,
      };
      if (at.index <= (bad.at(-1)?.index ?? 0)) continue;
      bad.push(at);
      // Read on from the next line, unless that was done MAX_RESTARTS times already: then the
      // row keeps what DuckDB swallowed into it (up to the next quote), counted as one row.
      const restart = i === runawayAt && segment < MAX_RESTARTS && at.nextLine < utf8.length;
      if (restart) lastRow = at.index;
      malformed.push([
        String(offset + at.index),
        describe(
          r,
          at,
          lineOffset + at.line,
          columns.length,
          i === runawayAt,
          restart || at.nextLine >= utf8.length,
        ),
      ]);
    }
    // Good rows: the k-th good row of the segment is row k + (rejects j with index_j - j < k).
    await engine.loadTextTable(
      'csv_gaps',
      ['g', 'j'],
      bad.map((b, j) => [String(b.index - (j + 1)), String(j + 1)]),
    );
    const name = `csv_rows_${segment}`;
    await engine.run(
      `create or replace temp view ${name} as
       select cast(${offset} + k + coalesce(g.j, 0) as integer) as source_row, s.* exclude (k)
       from (select rowid + 1 as k, * from csv_segment_${segment}) as s
       asof left join (select cast(g as bigint) as g, max(cast(j as bigint)) as j from csv_gaps group by 1) as g on s.k > g.g
       ${lastRow === undefined ? '' : `where ${offset} + k + coalesce(g.j, 0) < ${offset + lastRow}`}`,
    );
    await engine.run(
      `create or replace temp table ${name}_t as select * from ${name}; drop view ${name}`,
    );
    segments.push(`${name}_t`);
    const runaway = lastRow === undefined ? undefined : bad.at(-1);
    if (!runaway) break;
    offset += runaway.index;
    lineOffset += runaway.line;
    from = runaway.nextLine;
  }
  await engine.loadTextTable('raw_malformed', ['source_row', 'detail'], malformed);
  const names = columns.map(quoteIdent).join(', ');
  await engine.run(
    `create or replace temp table raw_file as
     select * from (${segments.map((s) => `select source_row, ${names} from ${s}`).join(' union all ')}
       union all select cast(source_row as integer), ${columns.map(() => 'null').join(', ')} from raw_malformed)
     order by source_row`,
  );
  await engine.run('create or replace temp view raw_rows as select * from raw_file');
  for (const [segment, table] of segments.entries()) {
    await engine.run(`drop table if exists ${table}; drop table if exists csv_segment_${segment}`);
  }
  return { titleLines: header.titleLines, malformed: malformed.length };
}

function describe(
  reject: RejectRow,
  at: Located,
  fileLine: number,
  expected: number,
  runaway: boolean,
  readOn: boolean,
): string {
  const where = `line ${fileLine} of the file`;
  if (reject.error_type === SWALLOWED) {
    return `a quote opened on ${where} closes only on line ${reject.csv_line}, taking in lines that are rows of their own, so the line cannot be split into fields; the lines after it are read as rows`;
  }
  if (runaway) {
    return readOn
      ? `a quote opened on ${where} is never closed, so the line cannot be split into fields`
      : `a quote opened on ${where} is never closed; the lines after it, up to the next quote, are part of this row`;
  }
  switch (reject.error_type) {
    case 'TOO MANY COLUMNS':
    case 'MISSING COLUMNS': {
      // DuckDB stops counting at the first field too many; count them on the line itself.
      const counted = /Found: (\d+)/.exec(reject.error_message)?.[1];
      const found =
        reject.error_type === 'TOO MANY COLUMNS' || counted === undefined
          ? String(Math.max(at.fields, Number(counted ?? 0)))
          : counted;
      return `${where} has ${found} field${found === '1' ? '' : 's'}, the header has ${expected}`;
    }
    case 'UNQUOTED VALUE':
      // An odd number of quotes: one opened and never closed (on the last line, where it
      // swallows no line after it, DuckDB reports it as text after a closing quote).
      return (reject.csv_line.match(/"/g)?.length ?? 0) % 2 === 1
        ? `a quote opened on ${where} is never closed, so the line cannot be split into fields`
        : `${where} has a quoted value with text after its closing quote`;
    default:
      return `${where} cannot be read (${reject.error_message.split('\n')[0]})`;
  }
}

/**
 * The select list of a read_csv of these columns with the wrappers exporters put around a value
 * to make Excel keep it as text read as that text:
 * - an Excel text formula, `="00123"` (an id's leading zeros, an ODS code), is `00123`, and
 *   `="a""b"` is `a"b`. Read as written, `="GMC-1"` and `GMC-1` were two people, a shift id
 *   `="00123"` never matched the `00123` of the next export, and `="F84025"` was an unknown
 *   practice. Only a whole cell that is one quoted string after `=` (not `="a" & "b"`, not
 *   `=SUM(...)`);
 * - a value quoted twice over, `"""GMC-1"""` in the file (the exporter's quotes, then the CSV
 *   writer's), whose text is `"GMC-1"` with its quotes: `GMC-1`. Only a whole cell in quotes with
 *   none inside;
 * - the apostrophe exporters put before a value that starts with `=`, `+`, `-`, `@`, a tab or a
 *   carriage return, so that a spreadsheet does not run it as a formula (the usual guard against
 *   CSV injection): `'-150.25` is `-150.25`. Read as written, a cancellation's credit was
 *   bad_number, so the cancellation was rejected and never superseded the shift it cancels. An
 *   apostrophe before anything else (`'0123`, `'t Hooft`) stays.
 * The check costs a prefix test per cell.
 */
function excelTextUnwrapped(columns: readonly string[]): string {
  const unwrapped = columns.map((c) => {
    const q = quoteIdent(c);
    return `case when starts_with(${q}, '="') and regexp_full_match(${q}, '="([^"]|"")*"') then replace(${q}[3:-2], '""', '"')
      when starts_with(${q}, '"') and regexp_full_match(${q}, '"[^"]*"') then ${q}[2:-2]
      when starts_with(${q}, '''') and regexp_matches(${q}, '^''[-=+@\\t\\r]') then ${q}[2:] else ${q} end as ${q}`;
  });
  return `* replace (${unwrapped.join(', ')})`;
}

/** One CSV export of a batch: its id there, its text and its header (findCsvHeader). */
export interface BatchCsv {
  id: number;
  utf8: Uint8Array;
  header: CsvHeader;
}

/** The column read_csv names after the file a row came from (no export has a column so named). */
const FILE_COLUMN = '__rotascope_file';

/**
 * Read many CSV exports with one header and delimiter in one `read_csv`, into `batch_all_rows`
 * (file_id, source_row, the header's columns), each file's rows numbered as readCsvRows numbers a
 * clean file. A file with any reject (a ragged line, a runaway quote, a record over the line
 * size) is left out and its id returned, for readCsvRows to read alone, which places and
 * describes each malformed row; so are all of them if the read fails.
 */
export async function readCsvBatch(
  engine: DuckDbEngine,
  files: readonly BatchCsv[],
  workDir: string,
): Promise<number[]> {
  const header = (files[0] as BatchCsv).header;
  const columns = uniqueColumnNames(header.names);
  const columnsSql = `{${columns.map((c) => `${sqlString(c)}: 'VARCHAR'`).join(', ')}}`;
  const paths = new Map<string, number>();
  for (const f of files) {
    const file = path.join(workDir, `batch-${f.id}.csv`);
    await writeFile(file, f.utf8.subarray(f.header.dataStart));
    paths.set(file, f.id);
  }
  await engine.loadTextTable(
    'csv_batch_files',
    ['path', 'id'],
    [...paths].map(([file, id]) => [file, String(id)]),
  );
  let alone: number[];
  try {
    await engine.run('drop table if exists csv_rejects; drop table if exists csv_scans');
    await engine.run(
      `create or replace temp table csv_batch as select ${excelTextUnwrapped(columns)} from read_csv([${[...paths.keys()].map(sqlString).join(', ')}], header = false, auto_detect = false, delim = ${sqlString(header.delimiter)}, quote = '"', escape = '"', columns = ${columnsSql}, store_rejects = true, rejects_table = 'csv_rejects', rejects_scan = 'csv_scans', filename = ${sqlString(FILE_COLUMN)})`,
    );
    alone = tableRows<{ file_path: string }>(
      await engine.query(
        'select distinct s.file_path from csv_rejects as r join csv_scans as s using (scan_id, file_id)',
      ),
    ).map((r) => paths.get(r.file_path) ?? -1);
    if (alone.includes(-1)) alone = files.map((f) => f.id);
    // A file whose rows the shared read did not all give back (a runaway quote at its end can
    // drop rows there without a reject) is read alone too: counted here independently.
    const read = new Map(
      tableRows<{ file: string; n: number }>(
        await engine.query(
          `select ${FILE_COLUMN} as file, count(*) as n from csv_batch group by 1`,
        ),
      ).map((r) => [paths.get(r.file), r.n]),
    );
    for (const f of files) {
      if (alone.includes(f.id)) continue;
      const expected = countCsvRecords(f.utf8, f.header.dataStart, f.header.delimiter);
      const fields = uniqueColumnNames(f.header.names).length;
      if (
        (read.get(f.id) ?? 0) !== expected ||
        (!oneLinePerRecord(f.utf8, f.header.dataStart, expected) &&
          swallowingRecord(f.utf8, f.header.dataStart, f.header.delimiter, fields))
      ) {
        alone.push(f.id);
      }
    }
  } catch {
    // Whatever the shared read could not do, each file's own read does or says why.
    alone = files.map((f) => f.id);
    await engine.run(
      `create or replace temp table csv_batch as select ${columns.map((c) => `cast(null as varchar) as ${quoteIdent(c)}`).join(', ')}, cast(null as varchar) as ${FILE_COLUMN} where false`,
    );
  }
  await engine.run(
    `create temp table batch_all_rows as
     select cast(f.id as integer) as file_id,
       cast(row_number() over (partition by b.${FILE_COLUMN} order by b.rowid) as integer) as source_row,
       b.* exclude (${FILE_COLUMN})
     from csv_batch as b join csv_batch_files as f on f.path = b.${FILE_COLUMN}
     where cast(f.id as integer) not in (${[-1, ...alone].join(', ')});
     drop table csv_batch`,
  );
  return alone.sort((a, b) => a - b);
}
