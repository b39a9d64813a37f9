/**
 * Numbers and dates that must never stop a run or be misread in silence (issue 16, points 1, 4
 * and 9), table-driven: every case is one row, its own export of one good row and one changed
 * row (`BAD`), ingested with real DuckDB in one run. Each asserts the changed row's reason (or,
 * for readable values, what it was read as) and conservation (rows in = accepted + rejected).
 * A clean export sorted after all of them in the same run must still be ingested.
 *
 * Worked by hand: every export is dated 2026-11-16 07:00 (London), so the plausible dates are
 * 2015-01-01 to 2026-11-16 + 400 days = 2027-12-21. Bounds: break 0..1440 minutes, cost
 * 0..£100,000 (10,000,000 pence).
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableRows } from '../../../src/engine/arrow-types.js';
import { DuckDbEngine, sqlString } from '../../../src/engine/duckdb-engine.js';
import type { IngestSummary } from '../../../src/ingest/ingest-all.js';
import { GENERIC_SHIFT_HEADER, GOOD_GENERIC_SHIFT } from '../../helpers/generic-shift-row.js';
import { EUROCSV, mappingsWithVariants } from '../../helpers/mapping-variants.js';
import { ingestTestStores, openTestStores, type TestStores } from '../../helpers/stores.js';

/**
 * Sources: the shipped generic, rotacloud and wheniwork mappings, plus two made here:
 * `eurocsv` (generic with "decimal": "," on cost and break) and `rotacost` (rotacloud with a
 * `cost` column in pounds, so a JSON source has a cost). `availability` is generic availability.
 */
type Source = 'generic' | 'eurocsv' | 'rotacloud' | 'wheniwork' | 'rotacost' | 'availability';

/** The changed row's outcome: its reject reason, or the canonical values it was read as. */
type Outcome = string | { cost_pence?: number | null; break_minutes?: number; shift_date?: string };

/**
 * [name, source, change to the good row, outcome]. CSV changes are cell text; JSON changes are
 * JSON literals as written in the file (`'1e309'` is the number, `'"NaN"'` the string).
 */
const CASES: [name: string, source: Source, change: Record<string, string>, outcome: Outcome][] = [
  // Non-finite and huge numbers: a row reject, never a DuckDB error.
  ['cost NaN', 'generic', { cost_gbp: 'NaN' }, 'bad_number'],
  ['cost Infinity', 'generic', { cost_gbp: 'Infinity' }, 'out_of_range'],
  ['cost -inf', 'generic', { cost_gbp: '-inf' }, 'out_of_range'],
  ['cost 1e309', 'generic', { cost_gbp: '1e309' }, 'out_of_range'],
  ['cost £1e20', 'generic', { cost_gbp: '£1e20' }, 'out_of_range'],
  ['cost 400 digits', 'generic', { cost_gbp: `1${'0'.repeat(400)}` }, 'out_of_range'],
  ['cost £100,000.01', 'generic', { cost_gbp: '£100,000.01' }, 'out_of_range'],
  ['cost £12,345,678.9', 'generic', { cost_gbp: '£12,345,678.9' }, 'out_of_range'],
  ['cost £100,000 (the limit)', 'generic', { cost_gbp: '£100,000' }, { cost_pence: 10_000_000 }],
  ['break 9999999999', 'generic', { break_minutes: '9999999999' }, 'out_of_range'],
  ['break 1441', 'generic', { break_minutes: '1441' }, 'out_of_range'],
  ['break NaN', 'generic', { break_minutes: 'NaN' }, 'bad_number'],
  ['break 1e309', 'generic', { break_minutes: '1e309' }, 'out_of_range'],
  ['break -1e309', 'generic', { break_minutes: '-1e309' }, 'out_of_range'],
  ['cost 1_000', 'generic', { cost_gbp: '1_000' }, 'bad_number'],
  ['cost 0x10', 'generic', { cost_gbp: '0x10' }, 'bad_number'],
  ['cost (45.00)', 'generic', { cost_gbp: '(45.00)' }, 'bad_number'],
  // Separators: only the declared decimal mark; the other form is ambiguous, never misread.
  ['cost 12,34', 'generic', { cost_gbp: '12,34' }, 'ambiguous_number'],
  ['cost 1.234,50', 'generic', { cost_gbp: '1.234,50' }, 'ambiguous_number'],
  ['cost 1,2345', 'generic', { cost_gbp: '1,2345' }, 'ambiguous_number'],
  ['cost 1,234.50', 'generic', { cost_gbp: '1,234.50' }, { cost_pence: 123_450 }],
  ['cost 1,234', 'generic', { cost_gbp: '1,234' }, { cost_pence: 123_400 }],
  // A thousands dot without pence (£1.234 is not money): not read as £1.23.
  ['cost 1.234', 'generic', { cost_gbp: '1.234' }, 'ambiguous_number'],
  ['cost £12.345', 'generic', { cost_gbp: '£12.345' }, 'ambiguous_number'],
  ['cost 1.5', 'generic', { cost_gbp: '1.5' }, { cost_pence: 150 }],
  ['cost 1 234.50', 'generic', { cost_gbp: '1 234.50' }, { cost_pence: 123_450 }],
  // Half a penny rounds up, as the decimal written, not as its nearest double (1024.21499...).
  ['cost 1024.215', 'generic', { cost_gbp: '1024.215' }, { cost_pence: 102_422 }],
  ['rotacost: cost 1.005', 'rotacost', { cost: '1.005' }, { cost_pence: 101 }],
  ['rotacost: cost 1.015', 'rotacost', { cost: '1.015' }, { cost_pence: 102 }],
  ['cost -£0.00', 'generic', { cost_gbp: '-£0.00' }, { cost_pence: 0 }],
  ['cost 1.5e2', 'generic', { cost_gbp: '1.5e2' }, { cost_pence: 15_000 }],
  ['comma: cost 1.234,50', 'eurocsv', { cost_gbp: '1.234,50' }, { cost_pence: 123_450 }],
  ['comma: cost 12,34', 'eurocsv', { cost_gbp: '12,34' }, { cost_pence: 1234 }],
  ['comma: cost 1 234,50', 'eurocsv', { cost_gbp: '1 234,50' }, { cost_pence: 123_450 }],
  // Money has pence, not thousandths: 1,234 with a decimal comma is a thousands comma (£1,234)
  // or £1.234; either way it is not read.
  ['comma: cost 1,234', 'eurocsv', { cost_gbp: '1,234' }, 'ambiguous_number'],
  ['comma: cost 1,5', 'eurocsv', { cost_gbp: '1,5' }, { cost_pence: 150 }],
  ['comma: cost 1,234.50', 'eurocsv', { cost_gbp: '1,234.50' }, 'ambiguous_number'],
  ['comma: cost 12.5', 'eurocsv', { cost_gbp: '12.5' }, 'ambiguous_number'],
  ['comma: break 7,5', 'eurocsv', { break_minutes: '7,5' }, { break_minutes: 8 }],
  ['comma: cost NaN', 'eurocsv', { cost_gbp: 'NaN' }, 'bad_number'],
  // Dates: 2015-01-01 to the export's date + 400 days.
  ['year 0026', 'generic', { date: '0026-11-10' }, 'date_out_of_range'],
  ['year 1900', 'generic', { date: '10/11/1900' }, 'date_out_of_range'],
  ['year 2062', 'generic', { date: '2062-11-10' }, 'date_out_of_range'],
  ['year 5138', 'generic', { date: '5138-11-10' }, 'date_out_of_range'],
  // An exported_at in the future does not widen the window: the ingest clock (2026-11-16) caps it.
  [
    'year 5138, exported in 5138',
    'generic',
    { date: '5138-01-05', exported_at: '5138-01-06 07:00' },
    'date_out_of_range',
  ],
  // The export time itself: a future one would win every supersede for ever, an ancient one lose it.
  ['exported in 2062', 'generic', { exported_at: '2062-01-01 07:00' }, 'date_out_of_range'],
  ['exported in 1999', 'generic', { exported_at: '1999-01-01 07:00' }, 'date_out_of_range'],
  [
    'exported a week after the ingest clock (clock skew)',
    'generic',
    { exported_at: '2026-11-22 23:00' },
    { shift_date: '2026-11-10' },
  ],
  ['the day before 2015', 'generic', { date: '2014-12-31' }, 'date_out_of_range'],
  ['the first day of 2015', 'generic', { date: '2015-01-01' }, { shift_date: '2015-01-01' }],
  ['400 days ahead', 'generic', { date: '21/12/2027' }, { shift_date: '2027-12-21' }],
  ['401 days ahead', 'generic', { date: '22/12/2027' }, 'date_out_of_range'],
  ['Excel serial in 2173', 'generic', { date: '99999' }, 'date_out_of_range'],
  ['Excel serial past 9999', 'generic', { date: '9999999' }, 'bad_date'],
  // RotaCloud JSON (break in minutes, Unix-second times).
  ['rotacloud: break "NaN"', 'rotacloud', { minutes_break: '"NaN"' }, 'bad_number'],
  ['rotacloud: break "Infinity"', 'rotacloud', { minutes_break: '"Infinity"' }, 'out_of_range'],
  ['rotacloud: break 1e309', 'rotacloud', { minutes_break: '1e309' }, 'out_of_range'],
  // Bare NaN / Infinity are not JSON, but Python's json module writes them: the row is rejected,
  // the rest of the file read (read-json.ts quotes them).
  ['rotacloud: break bare NaN', 'rotacloud', { minutes_break: 'NaN' }, 'bad_number'],
  ['rotacloud: break bare Infinity', 'rotacloud', { minutes_break: 'Infinity' }, 'out_of_range'],
  ['rotacloud: break 9999999999', 'rotacloud', { minutes_break: '9999999999' }, 'out_of_range'],
  ['rotacloud: break 1_000', 'rotacloud', { minutes_break: '"1_000"' }, 'bad_number'],
  [
    'rotacloud: start in 33658',
    'rotacloud',
    { start_time: '999999996399', end_time: '999999999999' },
    'date_out_of_range',
  ],
  [
    'rotacloud: start in 1970',
    'rotacloud',
    { start_time: '0', end_time: '3600' },
    'date_out_of_range',
  ],
  [
    'rotacloud: start before year 0',
    'rotacloud',
    { start_time: '-99999999999', end_time: '-99999996399' },
    'date_out_of_range',
  ],
  [
    'rotacloud: milliseconds',
    'rotacloud',
    { start_time: '1794214800000', end_time: '1794229200000' },
    'bad_timestamp',
  ],
  ['rotacloud: start "NaN"', 'rotacloud', { start_time: '"NaN"' }, 'bad_timestamp'],
  // A float encoder's seconds: the same shift, half a second on each end.
  [
    'rotacloud: fractional seconds',
    'rotacloud',
    { start_time: '1794214800.5', end_time: '1794229200.5' },
    { shift_date: '2026-11-09' },
  ],
  // RotaCloud with a cost column in pounds.
  ['rotacost: cost 1e20', 'rotacost', { cost: '1e20' }, 'out_of_range'],
  ['rotacost: cost 1e309', 'rotacost', { cost: '1e309' }, 'out_of_range'],
  ['rotacost: cost "NaN"', 'rotacost', { cost: '"NaN"' }, 'bad_number'],
  ['rotacost: cost "£1.234,50"', 'rotacost', { cost: '"£1.234,50"' }, 'ambiguous_number'],
  ['rotacost: cost 95.5', 'rotacost', { cost: '95.5' }, { cost_pence: 9550 }],
  // When I Work JSON (break in hours, RFC 2822 times).
  ['wheniwork: break "NaN"', 'wheniwork', { break_time: '"NaN"' }, 'bad_number'],
  ['wheniwork: break "-Infinity"', 'wheniwork', { break_time: '"-Infinity"' }, 'out_of_range'],
  ['wheniwork: break 1e309', 'wheniwork', { break_time: '1e309' }, 'out_of_range'],
  ['wheniwork: break bare -Infinity', 'wheniwork', { break_time: '-Infinity' }, 'out_of_range'],
  // 9,999,999,999 hours is 599,999,999,940 minutes: far past 1440.
  ['wheniwork: break 9999999999', 'wheniwork', { break_time: '9999999999' }, 'out_of_range'],
  ['wheniwork: break 24.01 hours', 'wheniwork', { break_time: '24.01' }, 'out_of_range'],
  ['wheniwork: break 0.25 hours', 'wheniwork', { break_time: '0.25' }, { break_minutes: 15 }],
  // Availability (generic CSV): available_hours over 168 stays too_long.
  ['availability: week in 2062', 'availability', { week_start: '2062-11-06' }, 'date_out_of_range'],
  ['availability: week in 2014', 'availability', { week_start: '29/12/2014' }, 'date_out_of_range'],
  ['availability: hours NaN', 'availability', { available_hours: 'NaN' }, 'bad_number'],
  ['availability: hours Infinity', 'availability', { available_hours: 'Infinity' }, 'out_of_range'],
  ['availability: hours 1e309', 'availability', { available_hours: '1e309' }, 'out_of_range'],
  ['availability: hours 1e300', 'availability', { available_hours: '1e300' }, 'too_long'],
  ['availability: hours 12,5', 'availability', { available_hours: '12,5' }, 'ambiguous_number'],
  [
    'wheniwork: year 2062',
    'wheniwork',
    {
      start_time: '"Thu, 09 Nov 2062 08:00:00 +0000"',
      end_time: '"Thu, 09 Nov 2062 12:00:00 +0000"',
    },
    'date_out_of_range',
  ],
];

const CSV_HEADER = GENERIC_SHIFT_HEADER;
const CSV_GOOD: Record<string, string> = GOOD_GENERIC_SHIFT;
const AVAILABILITY_HEADER =
  'person_id,network_code,home_practice_code,role,engagement,week_start,session_type,available_hours,exported_at';
const AVAILABILITY_GOOD: Record<string, string> = {
  person_id: 'GMC-7000001',
  network_code: 'U60865',
  home_practice_code: 'F84025',
  role: 'gp',
  engagement: 'salaried',
  week_start: '2026-11-09',
  session_type: '',
  available_hours: '20',
  exported_at: '2026-11-16 07:00',
};
/** RotaCloud shift 9001 (test/fixtures/exports/rotacloud-shifts.json), as JSON literals. */
const ROTACLOUD_GOOD: Record<string, string> = {
  id: '9001',
  deleted: 'false',
  published: 'true',
  open: 'false',
  start_time: '1794214800',
  end_time: '1794229200',
  minutes_break: '0',
  user: '501',
  location: '101',
  role: '11',
  cost: '380',
};
/** When I Work shift 70001 (test/fixtures/exports/wheniwork-shifts.json), as JSON literals. */
const WHENIWORK_GOOD: Record<string, string> = {
  id: '70001',
  user_id: '8001',
  position_id: '701',
  location_id: '1',
  site_id: '5001',
  start_time: '"Mon, 09 Nov 2026 08:00:00 +0000"',
  end_time: '"Mon, 09 Nov 2026 12:00:00 +0000"',
  break_time: '0',
  published: 'true',
  is_open: 'false',
};

const csvLine = (row: Record<string, string>, header = CSV_HEADER) =>
  header
    .split(',')
    .map((c) => {
      const v = row[c] ?? '';
      return /[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
    })
    .join(',');
const jsonObject = (row: Record<string, string>) =>
  `{${Object.entries(row)
    .map(([k, v]) => `${JSON.stringify(k)}: ${v}`)
    .join(', ')}}`;

/** The export for a source: the good row (with its id), then each changed row. */
function exportFor(source: Source, goodId: string, changed: Record<string, string>[]): string {
  if (source === 'availability') {
    // One person-week per row; the good row's id is its person.
    const good = { ...AVAILABILITY_GOOD, person_id: goodId };
    const rows = [good, ...changed.map((c, i) => ({ ...good, person_id: `BAD-${i}`, ...c }))];
    return `${AVAILABILITY_HEADER}\n${rows.map((r) => csvLine(r, AVAILABILITY_HEADER)).join('\n')}\n`;
  }
  if (source === 'generic' || source === 'eurocsv') {
    // eurocsv writes the good row's cost with its own decimal comma.
    const cost = source === 'eurocsv' ? '380,00' : '380.00';
    const good = { ...CSV_GOOD, shift_id: goodId, cost_gbp: cost };
    const rows = [good, ...changed.map((c, i) => ({ ...good, shift_id: `BAD-${i}`, ...c }))];
    return `${CSV_HEADER}\n${rows.map((r) => csvLine(r)).join('\n')}\n`;
  }
  const good = {
    ...(source === 'wheniwork' ? WHENIWORK_GOOD : ROTACLOUD_GOOD),
    id: JSON.stringify(goodId),
  };
  const rows = [good, ...changed.map((c, i) => ({ ...good, id: `"BAD-${i}"`, ...c }))];
  const array = `[\n${rows.map(jsonObject).join(',\n')}\n]`;
  return source === 'wheniwork' ? `{"shifts": ${array}}\n` : `${array}\n`;
}

const extension = (source: Source) =>
  source === 'generic' || source === 'eurocsv' || source === 'availability' ? 'csv' : 'json';
/** The raw key's folders: `<mapping>/U60865/<kind>`. */
const folder = (source: Source) =>
  source === 'availability' ? 'generic/U60865/availability' : `${source}/U60865/shifts`;
/** Numbered (names can differ only in punctuation) and dated, as the CSV's exported_at. */
const keyFor = (name: string, source: Source) => {
  const n = String(CASES.findIndex((c) => c[0] === name)).padStart(2, '0');
  return `${folder(source)}/shifts-2026-11-16T0700-${n}-${name.replace(/[^a-z0-9]+/gi, '-')}.${extension(source)}`;
};
const SOURCES: Source[] = [
  'generic',
  'eurocsv',
  'rotacloud',
  'rotacost',
  'wheniwork',
  'availability',
];
/** A clean export per source, sorted after every case (`zz`) so it runs after the bad ones. */
const cleanKey = (source: Source) =>
  `${folder(source)}/zz-clean-2026-11-16T0700.${extension(source)}`;

let stores: TestStores;
let engine: DuckDbEngine;
let summary: IngestSummary;
let mappingsDir: string;

beforeAll(async () => {
  // The shipped mappings, plus eurocsv and rotacost made from generic and rotacloud.
  mappingsDir = await mappingsWithVariants({
    eurocsv: EUROCSV,
    rotacost: {
      from: 'rotacloud',
      edit: (rotacloud) => {
        rotacloud.shifts.fields.cost = { column: 'cost', unit: 'pounds' };
      },
    },
  });

  stores = await openTestStores('local');
  engine = await DuckDbEngine.open();
  for (const [name, source, change] of CASES) {
    await stores.raw.put(keyFor(name, source), exportFor(source, 'OK-1', [change]));
  }
  for (const source of SOURCES) {
    await stores.raw.put(cleanKey(source), exportFor(source, `CLEAN-${source}`, []));
  }
  summary = await ingestTestStores(stores, engine, { mappingsDir });
}, 120_000);
afterAll(async () => {
  await engine?.close();
  await stores?.close();
  if (mappingsDir) await rm(mappingsDir, { recursive: true, force: true });
});

async function readRow(key: string) {
  const dir = stores.curated.localPath?.('shifts/') as string;
  const [row] = tableRows<{ cost_pence: number | null; break_minutes: number; shift_date: string }>(
    await engine.query(
      `select cost_pence, break_minutes, cast(shift_date as varchar) as shift_date
       from read_parquet(${sqlString(`${dir}/**/*.parquet`)}, hive_partitioning = true)
       where source_file = ${sqlString(key)} and shift_id = 'BAD-0'`,
    ),
  );
  return row;
}

describe('numbers and dates corpus', () => {
  it('has at least 15 cases, across generic CSV, RotaCloud and When I Work JSON', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(15);
    for (const source of SOURCES) expect(CASES.some((c) => c[1] === source)).toBe(true);
  });

  it.each(CASES)('%s (%s)', async (name, source, _change, outcome) => {
    const key = keyFor(name, source);
    expect(summary.failed.find((f) => f.key === key)).toBeUndefined();
    const manifest = summary.ingested.find((m) => m.sourceFile === key);
    expect(manifest?.rowsIn).toBe(2);
    expect((manifest?.accepted ?? 0) + (manifest?.rejected ?? 0)).toBe(2);
    if (typeof outcome === 'string') {
      expect(manifest).toMatchObject({
        accepted: 1,
        rejected: 1,
        rejectsByReason: { [outcome]: 1 },
      });
    } else {
      expect(manifest).toMatchObject({ accepted: 2, rejected: 0 });
      expect(await readRow(key)).toMatchObject(outcome);
    }
  });

  it.each([
    ['cost 1e309', 'Row 2: cost_gbp "1e309" is out of range (allowed: £0 to £100,000 per shift).'],
    [
      'wheniwork: break 9999999999',
      'Row 2: break_time "9999999999" is out of range (allowed: 0 to 1440 minutes (24 hours)).',
    ],
    [
      'cost 12,34',
      'Row 2: cost_gbp "12,34" is ambiguous: write 1,234.50 (or set "decimal": "," for this field in the mapping if the export writes 1.234,50).',
    ],
    [
      'comma: cost 1,234.50',
      `Row 2: cost_gbp "1,234.50" does not fit the mapping's decimal comma (write 1.234,50).`,
    ],
    [
      'year 2062',
      'Row 2: date "2062-11-10" is outside the plausible dates 2015-01-01 to 2027-12-21 (check the year).',
    ],
    [
      'rotacloud: start in 1970',
      'Row 2: start_time "0" is outside the plausible dates 2015-01-01 to 2027-12-21 (check the year).',
    ],
    [
      'availability: week in 2062',
      'Row 2: week_start "2062-11-06" is outside the plausible dates 2015-01-01 to 2027-12-21 (check the year).',
    ],
  ])(
    '%s: the reject says why, naming the column, the value and what is allowed',
    async (name, message) => {
      const source = CASES.find((c) => c[0] === name)?.[1] as Source;
      const dir = stores.curated.localPath?.('rejects/') as string;
      const rows = tableRows<{ message: string }>(
        await engine.query(
          `select message from read_parquet(${sqlString(`${dir}/**/*.parquet`)})
         where source_file = ${sqlString(keyFor(name, source))}`,
        ),
      );
      expect(rows.map((r) => r.message)).toEqual([message]);
    },
  );

  it('reads any text through every parsing macro without a DuckDB error', async () => {
    // The macros of queries/ingest/functions.sql (loaded by the run above) over hostile text in
    // one vector, so a cast reached by any row would fail the whole query.
    const hostile = [
      ...['NaN', 'inf', '-Infinity', '1e309', '-1e309', '1e-400', '1_000', '0x10', '+', '-', '£'],
      ...['9999999', '2958466', '99999999', '999999999999', '-999999999999', '9999999999999'],
      ...['0.99999999999', `.${'9'.repeat(5000)}`, '9'.repeat(5000), '999:99:99', '25:61'],
      ...['00/00/0000', '99/99/9999', '0026-11-10', '99999-01-01', '2026-11-16T10:00+99:99'],
      ...['Mon, 99 Nov 99999 10:00:00 +9999', '١٢٣', '１２３', ' ', '1.234.567', '1,2,3'],
    ];
    await engine.loadTextTable('hostile', ['t'], [...hostile.map((t) => [t]), ['2026-11-16']]);
    const macros = [
      'parse_date',
      'parse_time',
      'parse_timestamp',
      'parse_local_timestamp',
      'parse_unix_seconds',
      'parse_excel_timestamp',
      'parse_number',
      'parse_number_decimal_comma',
      'parse_duration_minutes',
      'parse_boolean',
    ];
    const [counts] = tableRows<Record<string, number>>(
      await engine.query(`select ${macros.map((m) => `count(${m}(t)) as ${m}`).join(', ')},
        count(cast(timezone('Europe/London', parse_unix_seconds(t)) as date)) as unix_date,
        count(cast(timezone('Europe/London', parse_excel_timestamp(t)) as date)) as excel_date
        from hostile`),
    );
    // The words and symbols are never numbers.
    const [numbers] = tableRows<{ words: number }>(
      await engine.query(
        `select count(parse_number(t)) as words from hostile where t in ('NaN', 'inf', '-Infinity', '1_000', '0x10', '+', '-', '£')`,
      ),
    );
    expect(numbers?.words).toBe(0);
    expect(counts?.parse_date).toBeGreaterThanOrEqual(1);
  });

  it('takes the plausible dates from the ingest options', async () => {
    // Window 2026-11-10 .. the export's date (2026-11-16) + 0 days: the 9th and 17th are out.
    const own = await openTestStores('local');
    try {
      const dates = ['2026-11-09', '2026-11-10', '2026-11-16', '2026-11-17'];
      const rows = dates.map((date, i) => csvLine({ ...CSV_GOOD, shift_id: `D-${i}`, date }));
      await own.raw.put('generic/U60865/shifts/window.csv', `${CSV_HEADER}\n${rows.join('\n')}\n`);
      const run = await ingestTestStores(own, engine, {
        dateWindow: { earliest: '2026-11-10', maxDaysAhead: 0 },
      });
      expect(run.ingested[0]).toMatchObject({
        rowsIn: 4,
        accepted: 2,
        rejected: 2,
        rejectsByReason: { date_out_of_range: 2 },
      });
    } finally {
      await own.close();
    }
  });

  it('ingests a clean export of every source after the bad ones in the same run', () => {
    const order = summary.ingested.map((m) => m.sourceFile);
    for (const source of SOURCES) {
      const clean = order.indexOf(cleanKey(source));
      expect(summary.ingested[clean]).toMatchObject({ rowsIn: 1, accepted: 1, rejected: 0 });
      expect(order.slice(0, clean).some((k) => k.startsWith(`${folder(source)}/`))).toBe(true);
    }
    expect(summary.failed).toEqual([]);
    expect(summary.rowsIn).toBe(summary.accepted + summary.rejected);
  });
});
