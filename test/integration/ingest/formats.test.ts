/**
 * The format corpus: XLSX, JSON and CSV exports that are odd in their container rather than in
 * their values (header lower down, Excel date cells and serials, formulas, envelopes, encodings,
 * delimiters, a 10 MB line), each ingested with real DuckDB into a temp folder. Every case
 * asserts its outcome and conservation (rows in = accepted + rejected); a file that cannot be
 * read asserts one clear message naming it. Expected values are worked out in the comments.
 *
 * Dates used: Monday 16 Nov 2026 (GMT, so local time = UTC; Excel serial 46342) and Monday
 * 6 Jul 2026 (BST, local time = UTC + 1).
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestManifest } from '../../../src/curated/ingest-manifest.js';
import { tableRows } from '../../../src/engine/arrow-types.js';
import { DuckDbEngine, sqlString } from '../../../src/engine/duckdb-engine.js';
import type { IngestSummary } from '../../../src/ingest/ingest-all.js';
import { packageRoot } from '../../../src/package-root.js';
import { stageLocally } from '../../../src/store/stage-locally.js';
import { ingestTestStores, openTestStores, type TestStores } from '../../helpers/stores.js';

/** The generic shifts layout (docs/generic-csv.md), in its column order. */
const COLUMNS = [
  'shift_id',
  'practice_code',
  'network_code',
  'role',
  'engagement',
  'arrs_funded',
  'person_id',
  'date',
  'start_time',
  'end_time',
  'break_minutes',
  'session_type',
  'delivery',
  'status',
  'cost_gbp',
  'published_at',
  'filled_at',
  'exported_at',
] as const;
type Column = (typeof COLUMNS)[number];

/** A good generic row: a GP locum at F84698 (network U60865), Mon 16 Nov 2026 08:30-12:30, £380. */
const GOOD: Record<Column, string> = {
  shift_id: 'G-1',
  practice_code: 'F84698',
  network_code: 'U60865',
  role: 'gp',
  engagement: 'locum',
  arrs_funded: 'false',
  person_id: 'GMC-7100001',
  date: '2026-11-16',
  start_time: '08:30',
  end_time: '12:30',
  break_minutes: '0',
  session_type: '',
  delivery: 'on_site',
  status: 'filled',
  cost_gbp: '380.00',
  published_at: '2026-10-20 10:00',
  filled_at: '2026-11-01 16:00',
  exported_at: '2026-11-16 07:00',
};

/** One ingest run over a corpus, and the curated shifts and rejects it wrote. */
interface Outcome {
  summary: IngestSummary;
  shifts: Record<string, unknown>[];
  rejects: Record<string, unknown>[];
}

/** The manifest of one file, after checking conservation on it. */
function manifestOf(outcome: Outcome, key: string): IngestManifest {
  const manifest = outcome.summary.ingested.find((m) => m.sourceFile === key);
  expect(manifest, `${key} was ingested`).toBeDefined();
  const m = manifest as IngestManifest;
  expect(m.rowsIn, `${key}: rows in = accepted + rejected`).toBe(m.accepted + m.rejected);
  return m;
}

/** The one-line reason a file failed; the file was not ingested at all. */
function failureOf(outcome: Outcome, key: string): string {
  expect(outcome.summary.ingested.map((m) => m.sourceFile)).not.toContain(key);
  const failure = outcome.summary.failed.find((f) => f.key === key);
  expect(failure, `${key} failed`).toBeDefined();
  const reason = failure?.reason ?? '';
  expect(reason).toContain(`Cannot read export ${key}: `);
  expect(reason).not.toContain('\n');
  return reason;
}

const shiftsOf = (outcome: Outcome, key: string) =>
  outcome.shifts.filter((r) => r.source_file === key);
const rejectsOf = (outcome: Outcome, key: string) =>
  outcome.rejects
    .filter((r) => r.source_file === key)
    .map((r) => [r.source_row, r.reason_code] as const);

/** Put the files, ingest them once, and read back the curated shifts and rejects. */
async function ingestCorpus(
  stores: TestStores,
  engine: DuckDbEngine,
  files: Record<string, string | Uint8Array>,
  mappingsDir?: string,
): Promise<Outcome> {
  for (const [key, body] of Object.entries(files)) await stores.raw.put(key, body);
  const summary = await ingestTestStores(stores, engine, mappingsDir ? { mappingsDir } : {});
  const read = async (table: string) => {
    if ((await stores.curated.list(`${table}/`)).length === 0) return [];
    const dir = await stageLocally(stores.curated, `${table}/`, path.join(stores.dir, table));
    return tableRows<Record<string, unknown>>(
      await engine.query(
        `select * from read_parquet(${sqlString(`${dir}/**/*.parquet`)}, hive_partitioning = true) order by source_file, source_row`,
      ),
    );
  };
  return { summary, shifts: await read('shifts'), rejects: await read('rejects') };
}

/** A mappings folder: the bundled mappings plus test mappings (name -> mapping JSON). */
async function mappingsWith(extra: Record<string, object>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rotascope-mappings-'));
  await cp(path.join(packageRoot, 'mappings'), dir, { recursive: true });
  for (const [name, mapping] of Object.entries(extra)) {
    await writeFile(path.join(dir, `${name}.json`), JSON.stringify(mapping, null, 2));
  }
  return dir;
}

/** A generic CSV export. */
const CSV = (name: string) => `generic/U60865/shifts/${name}.csv`;
/** The generic header plus an ignored `notes` column, and rows of it; quotes as needed. */
const csvHeader = (delimiter = ',') => [...COLUMNS, 'notes'].join(delimiter);
const csvLine = (change: Partial<Record<Column | 'notes', string>>, delimiter = ',') =>
  [...COLUMNS, 'notes' as const]
    .map((c) => {
      const v = change[c] ?? (c === 'notes' ? '' : GOOD[c]);
      return /[",;\t|\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
    })
    .join(delimiter);
const csv = (rows: Partial<Record<Column | 'notes', string>>[], delimiter = ',', eol = '\n') =>
  [csvHeader(delimiter), ...rows.map((r) => csvLine(r, delimiter))].join(eol) + eol;

// ---------------------------------------------------------------------------------------------
// XLSX
// ---------------------------------------------------------------------------------------------

type Cells = ExcelJS.CellValue[];

/** A generic row as XLSX cells: the good row's text, with some cells replaced (any cell type). */
const xlsxRow = (change: Partial<Record<Column, ExcelJS.CellValue>> = {}): Cells =>
  COLUMNS.map((c) => (c in change ? change[c] : GOOD[c]) ?? null);

/** Excel's wall-clock values as exceljs hands them over: UTC Dates; a time of day is on 1899-12-30. */
const excelDate = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d));
const excelTime = (h: number, min: number) => new Date(Date.UTC(1899, 11, 30, h, min));

/**
 * A workbook of the given sheets, as bytes. Date cells get a date or time number format, as
 * Excel gives them; everything else keeps the General format.
 */
async function workbook(sheets: Record<string, Cells[]>): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const sheet = book.addWorksheet(name);
    rows.forEach((cells, i) => {
      const row = sheet.getRow(i + 1);
      cells.forEach((value, c) => {
        if (value === null || value === undefined) return;
        const cell = row.getCell(c + 1);
        cell.value = value;
        if (value instanceof Date) {
          cell.numFmt = value.getUTCFullYear() === 1899 ? 'hh:mm' : 'dd/mm/yyyy';
        }
      });
      row.commit();
    });
  }
  return new Uint8Array(await book.xlsx.writeBuffer());
}

const XLSX = (name: string) => `generic/U60865/shifts/${name}.xlsx`;
const SHEET_MAPPING = 'rostersheet';
const NAMED = (name: string) => `${SHEET_MAPPING}/U60865/shifts/${name}.xlsx`;

describe('XLSX exports', () => {
  let stores: TestStores;
  let engine: DuckDbEngine;
  let mappingsDir: string;
  let outcome: Outcome;
  let truncatedLength = 0;

  beforeAll(async () => {
    // Arrange
    stores = await openTestStores('local');
    engine = await DuckDbEngine.open();
    const generic = JSON.parse(
      await readFile(path.join(packageRoot, 'mappings', 'generic.json'), 'utf8'),
    );
    // The generic mapping, reading the sheet named "Roster" instead of the first one.
    mappingsDir = await mappingsWith({
      [SHEET_MAPPING]: {
        ...generic,
        name: SHEET_MAPPING,
        description: 'Test: the generic layout on a sheet named Roster.',
        shifts: { ...generic.shifts, formats: { xlsx: { sheet: 'Roster' } } },
      },
    });
    const header: Cells = [...COLUMNS];
    const good = await workbook({
      Sheet1: [
        header,
        // Text cells throughout, as a CSV pasted into Excel.
        xlsxRow({ shift_id: 'X-1' }),
        // Numbers typed as numbers: a 30-minute break, £412.50.
        xlsxRow({
          shift_id: 'X-2',
          start_time: '09:00',
          end_time: '17:00',
          break_minutes: 30,
          cost_gbp: 412.5,
        }),
      ],
    });
    truncatedLength = Math.floor(good.length / 2);
    const files: Record<string, string | Uint8Array> = {
      [XLSX('header-on-row-1')]: good,
      // Titles on rows 1 and 2, the header on row 3, data from row 4; sheet row 6 is blank
      // (skipped) and row 7 is data. source_row = sheet row - 3.
      [XLSX('title-rows')]: await workbook({
        Sheet1: [
          ['Rota for Riverside PCN (U60865)'],
          ['Exported 16/11/2026 07:00'],
          header,
          xlsxRow({ shift_id: 'T-1' }), // row 4 -> source_row 1
          xlsxRow({ shift_id: 'T-2', practice_code: 'F99999' }), // row 5 -> 2, unknown_practice
          [], // row 6: blank, skipped
          xlsxRow({ shift_id: 'T-3' }), // row 7 -> source_row 4
        ],
      }),
      // The same shift, 09:00-17:00 on Monday 16 Nov 2026, written four ways.
      [XLSX('dates-and-times')]: await workbook({
        Sheet1: [
          header,
          // Date and time cells (dd/mm/yyyy, hh:mm), as Excel stores a typed date and time.
          xlsxRow({
            shift_id: 'D-cells',
            date: excelDate(2026, 11, 16),
            start_time: excelTime(9, 0),
            end_time: excelTime(17, 0),
          }),
          // General-formatted numbers: serial day 46342 = 2026-11-16; 0.375 day = 9 h,
          // 17/24 day = 17 h.
          xlsxRow({ shift_id: 'D-serial', date: 46342, start_time: 0.375, end_time: 17 / 24 }),
          // Text.
          xlsxRow({
            shift_id: 'D-text',
            date: '16/11/2026',
            start_time: '09:00',
            end_time: '17:00',
          }),
          // Date cell in summer: 09:00 BST on Monday 6 Jul 2026 is 08:00 UTC.
          xlsxRow({
            shift_id: 'D-summer',
            date: excelDate(2026, 7, 6),
            start_time: excelTime(9, 0),
            end_time: excelTime(17, 0),
          }),
        ],
      }),
      [XLSX('formulas')]: await workbook({
        Sheet1: [
          header,
          // A HYPERLINK formula with its cached result: Excel shows "F84698", and that is what a
          // coordinator typed; Rotascope reads the cached result and never evaluates formulas.
          // The cost is a formula too (=190*2, cached 380).
          xlsxRow({
            shift_id: 'F-1',
            practice_code: { formula: 'HYPERLINK("http://x","F84698")', result: 'F84698' },
            cost_gbp: { formula: '190*2', result: 380 },
          }),
          // Text that merely looks like a formula is text: no practice has that code.
          xlsxRow({ shift_id: 'F-2', practice_code: '=HYPERLINK("http://x","F84698")' }),
          // A formula saved without a cached result (never calculated): no value to read, so the
          // practice is empty.
          xlsxRow({ shift_id: 'F-3', practice_code: { formula: 'A1&""' } as ExcelJS.CellValue }),
          // A hyperlink cell and rich text read as their text.
          xlsxRow({
            shift_id: 'F-4',
            practice_code: { text: 'F84698', hyperlink: 'http://x' },
            role: { richText: [{ text: 'G' }, { text: 'P', font: { bold: true } }] },
          }),
          // An error cell reads as its error text, which is no practice code.
          xlsxRow({ shift_id: 'F-5', practice_code: { error: '#N/A' } as ExcelJS.CellValue }),
        ],
      }),
      [XLSX('truncated')]: good.subarray(0, truncatedLength),
      [XLSX('no-header')]: await workbook({
        // Every column but status.
        Sheet1: [
          COLUMNS.filter((c) => c !== 'status'),
          xlsxRow({ shift_id: 'N-1' }).filter((_, i) => COLUMNS[i] !== 'status'),
        ],
      }),
      [XLSX('no-sheets')]: await workbook({}),
      [XLSX('blank-sheet')]: await workbook({ Sheet1: [] }),
      [XLSX('header-only')]: await workbook({ Sheet1: [header] }),
      // A sheet with a column of its own called source_row (a corrected rejects download, say):
      // rows are still numbered by their place in the sheet.
      [XLSX('own-source-row-column')]: await workbook({
        Sheet1: [
          [...header, 'source_row'],
          [...xlsxRow({ shift_id: 'SR-1' }), 7],
        ],
      }),
      // A CSV first: its table must not leak into the workbooks read after it in the same run.
      [CSV('0-before-the-workbooks')]: csv([{ shift_id: 'C-1' }]),
      // Without a sheet in the mapping, the one sheet with the header is read, wherever it is.
      [XLSX('data-on-second-sheet')]: await workbook({
        Notes: [['Read me first']],
        Roster: [header, xlsxRow({ shift_id: 'S-1' })],
      }),
      // Two sheets with the header: reading one would leave the other's rows out unsaid.
      [XLSX('two-roster-sheets')]: await workbook({
        'Week 1': [header, xlsxRow({ shift_id: 'W1-1' })],
        'Week 2': [header, xlsxRow({ shift_id: 'W2-1' }), xlsxRow({ shift_id: 'W2-2' })],
      }),
      // The mapping names "Roster": it is read although it is not the first sheet.
      [NAMED('named-sheet')]: await workbook({
        Notes: [['Read me first'], header, xlsxRow({ shift_id: 'NOT-THIS-ONE' })],
        Roster: [header, xlsxRow({ shift_id: 'R-1' }), xlsxRow({ shift_id: 'R-2' })],
      }),
      [NAMED('sheet-missing')]: await workbook({
        Sheet1: [header, xlsxRow({ shift_id: 'M-1' })],
        Summary: [['Total', 1]],
      }),
    };
    // Act
    outcome = await ingestCorpus(stores, engine, files, mappingsDir);
  });
  afterAll(async () => {
    await engine?.close();
    await stores?.close();
    if (mappingsDir) await rm(mappingsDir, { recursive: true, force: true });
  });

  it('reads a sheet with the header on row 1 onto canonical shifts', () => {
    // Assess
    expect(manifestOf(outcome, XLSX('header-on-row-1'))).toMatchObject({
      format: 'xlsx',
      rowsIn: 2,
      accepted: 2,
      rejected: 0,
    });
    const rows = shiftsOf(outcome, XLSX('header-on-row-1'));
    // X-1: 08:30-12:30 GMT on Monday 16 Nov 2026: 4 hours, £380.00 = 38000 pence.
    expect(rows[0]).toMatchObject({
      shift_id: 'X-1',
      source_row: 1,
      start_at: '2026-11-16T08:30:00.000Z',
      end_at: '2026-11-16T12:30:00.000Z',
      hours: 4,
      cost_pence: 38000,
      network_code: 'U60865',
      week_start: '2026-11-16',
    });
    // X-2: 09:00-17:00 less a 30-minute break = 7.5 hours; the number 412.5 is £412.50.
    expect(rows[1]).toMatchObject({ shift_id: 'X-2', hours: 7.5, cost_pence: 41250 });
  });

  it('finds the header below title rows; source_row = sheet row - header row', () => {
    expect(manifestOf(outcome, XLSX('title-rows'))).toMatchObject({
      rowsIn: 3,
      accepted: 2,
      rejected: 1,
      rejectsByReason: { unknown_practice: 1 },
    });
    const rows = shiftsOf(outcome, XLSX('title-rows'));
    expect(rows.map((r) => [r.shift_id, r.source_row])).toEqual([
      ['T-1', 1], // sheet row 4 - 3
      ['T-3', 4], // sheet row 7 - 3
    ]);
    expect(rejectsOf(outcome, XLSX('title-rows'))).toEqual([[2, 'unknown_practice']]); // row 5 - 3
    expect(outcome.rejects.find((r) => r.source_file === XLSX('title-rows'))?.message).toContain(
      'Row 2',
    );
  });

  it('reads date and time cells, Excel serials and text to the same instant', () => {
    expect(manifestOf(outcome, XLSX('dates-and-times'))).toMatchObject({
      rowsIn: 4,
      accepted: 4,
      rejected: 0,
    });
    const byId = Object.fromEntries(
      shiftsOf(outcome, XLSX('dates-and-times')).map((r) => [
        r.shift_id,
        [r.start_at, r.end_at, r.hours],
      ]),
    );
    // 09:00-17:00 GMT = 09:00-17:00 UTC, 8 hours, however the cells were written.
    const november = ['2026-11-16T09:00:00.000Z', '2026-11-16T17:00:00.000Z', 8];
    expect(byId).toEqual({
      'D-cells': november,
      'D-serial': november,
      'D-text': november,
      // 09:00-17:00 BST = 08:00-16:00 UTC.
      'D-summer': ['2026-07-06T08:00:00.000Z', '2026-07-06T16:00:00.000Z', 8],
    });
  });

  it('reads a formula as its cached result, and never evaluates text that looks like one', () => {
    expect(manifestOf(outcome, XLSX('formulas'))).toMatchObject({
      rowsIn: 5,
      accepted: 2,
      rejected: 3,
      rejectsByReason: { unknown_practice: 2, malformed_row: 1 },
    });
    const rows = shiftsOf(outcome, XLSX('formulas'));
    // F-1: the cached "F84698" and the cached 380 (£380.00 = 38000 pence).
    expect(rows.map((r) => [r.shift_id, r.practice_code, r.role, r.cost_pence])).toEqual([
      ['F-1', 'F84698', 'gp', 38000],
      ['F-4', 'F84698', 'gp', 38000], // hyperlink text; rich text "G" + "P" -> gp
    ]);
    expect(rejectsOf(outcome, XLSX('formulas'))).toEqual([
      [2, 'unknown_practice'], // F-2: the text '=HYPERLINK(...)'
      [3, 'malformed_row'], // F-3: no cached result: its value is not known, not empty
      [5, 'unknown_practice'], // F-5: #N/A
    ]);
  });

  it('fails a truncated workbook with one clear message', () => {
    expect(truncatedLength).toBeGreaterThan(0);
    expect(failureOf(outcome, XLSX('truncated'))).toContain('not a readable XLSX workbook');
  });

  it('fails a workbook without the needed header, saying which header it looked for', () => {
    const reason = failureOf(outcome, XLSX('no-header'));
    expect(reason).toContain('sheet "Sheet1" has no header row naming');
    expect(reason).toContain('status');
    expect(reason).toContain('first 30 rows');
  });

  it('fails a workbook with no sheets, and one whose only sheet is blank', () => {
    expect(failureOf(outcome, XLSX('no-sheets'))).toContain('the workbook has no sheets');
    expect(failureOf(outcome, XLSX('blank-sheet'))).toContain(
      'sheet "Sheet1" has no header row naming',
    );
  });

  it('reads a sheet with a header and no rows as an export of no shifts', () => {
    expect(manifestOf(outcome, XLSX('header-only'))).toMatchObject({
      rowsIn: 0,
      accepted: 0,
      rejected: 0,
    });
  });

  it('numbers rows by their place in the sheet, even beside a source_row column of its own', () => {
    expect(manifestOf(outcome, XLSX('own-source-row-column'))).toMatchObject({
      rowsIn: 1,
      accepted: 1,
    });
    expect(shiftsOf(outcome, XLSX('own-source-row-column'))[0]).toMatchObject({
      shift_id: 'SR-1',
      source_row: 1,
    });
  });

  it('reads a workbook after a CSV in the same run without mixing their rows', () => {
    expect(manifestOf(outcome, CSV('0-before-the-workbooks'))).toMatchObject({
      rowsIn: 1,
      accepted: 1,
    });
    expect(shiftsOf(outcome, CSV('0-before-the-workbooks')).map((r) => r.shift_id)).toEqual([
      'C-1',
    ]);
  });

  it('reads the one sheet with the header when the mapping names none, and refuses two', () => {
    expect(manifestOf(outcome, XLSX('data-on-second-sheet'))).toMatchObject({
      rowsIn: 1,
      accepted: 1,
    });
    expect(shiftsOf(outcome, XLSX('data-on-second-sheet')).map((r) => r.shift_id)).toEqual(['S-1']);
    expect(failureOf(outcome, XLSX('two-roster-sheets'))).toContain(
      'the workbook has 2 sheets with a header naming',
    );
    expect(failureOf(outcome, XLSX('two-roster-sheets'))).toContain(
      '("Week 1", "Week 2"); export one sheet per file, or name the sheet to read in the mapping',
    );
  });

  it('reads the sheet the mapping names, wherever it is in the workbook', () => {
    expect(manifestOf(outcome, NAMED('named-sheet'))).toMatchObject({
      sourceSystem: SHEET_MAPPING,
      rowsIn: 2,
      accepted: 2,
      rejected: 0,
    });
    expect(shiftsOf(outcome, NAMED('named-sheet')).map((r) => r.shift_id)).toEqual(['R-1', 'R-2']);
  });

  it('fails a workbook without the named sheet, naming it and the sheets there are', () => {
    expect(failureOf(outcome, NAMED('sheet-missing'))).toContain(
      'the workbook has no sheet named "Roster" (sheets: Sheet1, Summary)',
    );
  });

  it('conserves rows over all XLSX files', () => {
    const { summary } = outcome;
    expect(summary.rowsIn).toBe(summary.accepted + summary.rejected);
    // 2 + 3 + 4 + 5 + 0 + 1 + 1 + 1 (data-on-second-sheet) + 2 rows in the files that were read.
    expect(summary.rowsIn).toBe(19);
    expect(summary.ingested).toHaveLength(9);
    // truncated, no-header, no-sheets, blank-sheet, two-roster-sheets and sheet-missing.
    expect(summary.failed).toHaveLength(6);
  });
});

// ---------------------------------------------------------------------------------------------
// JSON
// ---------------------------------------------------------------------------------------------

/** A JSON API's shifts: instants with a zone, ids that may be numbers, cost in pence. */
const jsonMapping = (name: string, envelopePath?: string) => ({
  name,
  description: `Test: shifts as a JSON array${envelopePath ? ` at ${envelopePath}` : ''}.`,
  shifts: {
    formats: { json: envelopePath ? { path: envelopePath } : {} },
    fields: {
      shift_id: { column: 'id' },
      practice_code: { column: 'practice' },
      role: { column: 'role' },
      engagement: { column: 'engagement' },
      arrs_funded: { column: 'arrs' },
      person_id: { column: 'person' },
      start_at: { column: 'start' },
      end_at: { column: 'end' },
      break: { column: 'break_minutes', unit: 'minutes' },
      status: { column: 'status' },
      cost: { column: 'cost_pence', unit: 'pence' },
    },
  },
});
const ARRAY = (name: string) => `jsonarray/U60865/shifts/${name}.json`;
const ENVELOPE = (name: string) => `jsonenvelope/U60865/shifts/${name}.json`;

/** A filled GP locum shift, 08:30-12:30 UTC on Mon 16 Nov 2026 less a 30-minute break; £380. */
const JSON_GOOD = {
  id: 'J-1',
  practice: 'F84698',
  role: 'gp',
  engagement: 'locum',
  arrs: false,
  person: 'GMC-7100001',
  start: '2026-11-16T08:30:00Z',
  end: '2026-11-16T12:30:00Z',
  break_minutes: 30,
  status: 'filled',
  cost_pence: 38000,
};
/** An unfilled ARRS pharmacist shift: JSON nulls where nobody is booked. */
const JSON_UNFILLED = {
  id: 1002,
  practice: 'F84698',
  role: 'clinical_pharmacist',
  engagement: null,
  arrs: true,
  person: null,
  start: '2026-11-16T13:00:00Z',
  end: '2026-11-16T17:00:00Z',
  break_minutes: null,
  status: 'unfilled',
  cost_pence: null,
};
const json = (value: unknown) => JSON.stringify(value);

describe('JSON exports', () => {
  let stores: TestStores;
  let engine: DuckDbEngine;
  let mappingsDir: string;
  let outcome: Outcome;

  beforeAll(async () => {
    // Arrange
    stores = await openTestStores('local');
    engine = await DuckDbEngine.open();
    const flags = jsonMapping('jsonflags');
    mappingsDir = await mappingsWith({
      jsonarray: jsonMapping('jsonarray'),
      jsonenvelope: jsonMapping('jsonenvelope', 'data.shifts'),
      // Status from flags, as RotaCloud's: deleted -> cancelled, published false -> draft.
      jsonflags: {
        ...flags,
        shifts: {
          ...flags.shifts,
          fields: {
            ...flags.shifts.fields,
            status: {
              cases: [
                { when: { column: 'deleted', equals: 'true' }, value: 'cancelled' },
                { when: { column: 'published', equals: 'false' }, value: 'draft' },
              ],
              else: 'filled',
            },
          },
        },
      },
    });
    const files: Record<string, string | Uint8Array> = {
      [ARRAY('top-level-array')]: json([JSON_GOOD, JSON_UNFILLED]),
      [ENVELOPE('envelope')]: json({
        meta: { page: 1, pages: 1 },
        data: { shifts: [{ ...JSON_GOOD, id: 'E-1' }] },
      }),
      [ARRAY('object-not-array')]: json({ data: { shifts: [JSON_GOOD] } }),
      [ENVELOPE('envelope-missing')]: json([JSON_GOOD]),
      [ENVELOPE('envelope-not-array')]: json({ data: { shifts: { ...JSON_GOOD, id: 'E-2' } } }),
      [ARRAY('invalid')]: `[${json(JSON_GOOD)},`,
      [ARRAY('empty-file')]: '',
      // One good row, then five elements that are not objects: each is a row with no values.
      [ARRAY('not-objects')]: json([{ ...JSON_GOOD, id: 'O-1' }, 42, 'O-2', null, [1, 2], true]),
      [ARRAY('odd-values')]: json([
        { ...JSON_GOOD, id: 'V-1' },
        { ...JSON_GOOD, id: 'V-2', role: { name: 'gp' } }, // an object: column role.name, no role
        { ...JSON_GOOD, id: 'V-3', status: true }, // a boolean where a word belongs
        { ...JSON_GOOD, id: 'V-4', arrs: 'maybe' }, // not a boolean
        { ...JSON_GOOD, id: 'V-5', status: null }, // null: empty
      ]),
      [ARRAY('empty-array')]: '[]',
      [ARRAY('byte-order-mark')]: `\uFEFF${json([{ ...JSON_GOOD, id: 'B-1' }])}`,
      // An id too long for a JavaScript number stays exactly as written.
      [ARRAY('long-integer-id')]: json([{ ...JSON_GOOD, id: 'LONG' }]).replace(
        '"LONG"',
        '12345678901234567891',
      ),
      // Keys differ in case between elements ("Status"): columns match ignoring case.
      [ARRAY('key-case')]: json([
        { ...JSON_GOOD, id: 'K-1' },
        { ...JSON_GOOD, id: 'K-2', status: undefined, Status: 'filled' },
      ]),
      // Flags as 1 and 0, or yes and no, mean what true and false do.
      'jsonflags/U60865/shifts/flags.json': json(
        [
          { deleted: 1, published: 1 },
          { deleted: 0, published: 0 },
          { deleted: 'yes', published: 'y' },
          { deleted: false, published: true },
        ].map((f, i) => ({ ...JSON_GOOD, id: `FL-${i + 1}`, status: undefined, ...f })),
      ),
      // A key called source_row: rows are still numbered by their place in the array.
      [ARRAY('own-source-row-key')]: json([{ ...JSON_GOOD, id: 'SR-1', source_row: 99 }]),
    };
    // Act
    outcome = await ingestCorpus(stores, engine, files, mappingsDir);
  });
  afterAll(async () => {
    await engine?.close();
    await stores?.close();
    if (mappingsDir) await rm(mappingsDir, { recursive: true, force: true });
  });

  it('reads a top-level array, with JSON numbers, booleans and nulls', () => {
    // Assess
    expect(manifestOf(outcome, ARRAY('top-level-array'))).toMatchObject({
      format: 'json',
      rowsIn: 2,
      accepted: 2,
      rejected: 0,
    });
    const [filled, unfilled] = shiftsOf(outcome, ARRAY('top-level-array'));
    // J-1: 4 hours less 30 minutes = 3.5 hours; 38000 pence as given; false is false.
    expect(filled).toMatchObject({
      shift_id: 'J-1',
      source_row: 1,
      start_at: '2026-11-16T08:30:00.000Z',
      end_at: '2026-11-16T12:30:00.000Z',
      hours: 3.5,
      cost_pence: 38000,
      arrs_funded: false,
      engagement: 'locum',
    });
    // 1002: the number id as text; 13:00-17:00 = 4 hours, null break = none; true is true;
    // null engagement, person and cost are empty, as an unfilled shift has them.
    expect(unfilled).toMatchObject({
      shift_id: '1002',
      source_row: 2,
      hours: 4,
      arrs_funded: true,
      engagement: null,
      clinician_key: null,
      cost_pence: null,
      status: 'unfilled',
    });
  });

  it('reads the array inside an envelope at the mapping path', () => {
    expect(manifestOf(outcome, ENVELOPE('envelope'))).toMatchObject({
      rowsIn: 1,
      accepted: 1,
      rejected: 0,
    });
    expect(shiftsOf(outcome, ENVELOPE('envelope'))[0]).toMatchObject({
      shift_id: 'E-1',
      hours: 3.5,
    });
  });

  it('fails an object where an array is expected, pointing at formats.json.path', () => {
    const reason = failureOf(outcome, ARRAY('object-not-array'));
    expect(reason).toContain('the JSON at the top level is an object, not an array of rows');
    expect(reason).toContain('formats.json.path');
  });

  it('fails a file without the envelope, or with an object at its path', () => {
    expect(failureOf(outcome, ENVELOPE('envelope-missing'))).toContain(
      'the JSON has no "data" (the mapping reads the rows from "data.shifts")',
    );
    expect(failureOf(outcome, ENVELOPE('envelope-not-array'))).toContain(
      'the JSON at "data.shifts" is an object, not an array',
    );
  });

  it('fails invalid JSON and an empty file', () => {
    expect(failureOf(outcome, ARRAY('invalid'))).toContain('it is not valid JSON');
    expect(failureOf(outcome, ARRAY('empty-file'))).toContain('the file is empty');
  });

  it('counts an element that is not an object as a row and rejects it as malformed', () => {
    // 6 elements: O-1 is good; 42, "O-2", null, [1, 2] and true have no fields at all.
    expect(manifestOf(outcome, ARRAY('not-objects'))).toMatchObject({
      rowsIn: 6,
      accepted: 1,
      rejected: 5,
      rejectsByReason: { malformed_row: 5 },
    });
    expect(rejectsOf(outcome, ARRAY('not-objects')).map(([row]) => row)).toEqual([2, 3, 4, 5, 6]);
  });

  it('rejects nested objects, misplaced booleans and nulls with their reasons', () => {
    expect(manifestOf(outcome, ARRAY('odd-values'))).toMatchObject({
      rowsIn: 5,
      accepted: 1,
      rejected: 4,
    });
    expect(rejectsOf(outcome, ARRAY('odd-values'))).toEqual([
      [2, 'malformed_row'], // {"name":"gp"} at role, which the mapping reads as one value
      [3, 'unknown_status'], // true
      [4, 'bad_boolean'], // "maybe"
      [5, 'missing_field'], // null
    ]);
  });

  it('reads 1 and 0, yes and no, as the true and false a case tests for', () => {
    const key = 'jsonflags/U60865/shifts/flags.json';
    expect(manifestOf(outcome, key)).toMatchObject({ rowsIn: 4, accepted: 3, rejected: 1 });
    expect(shiftsOf(outcome, key).map((r) => [r.shift_id, r.status])).toEqual([
      ['FL-1', 'cancelled'],
      ['FL-3', 'cancelled'],
      ['FL-4', 'filled'],
    ]);
    expect(outcome.rejects.filter((r) => r.source_file === key).map((r) => r.reason_code)).toEqual([
      'unpublished_shift',
    ]);
  });

  it('reads an empty array as an export of no shifts', () => {
    expect(manifestOf(outcome, ARRAY('empty-array'))).toMatchObject({
      rowsIn: 0,
      accepted: 0,
      rejected: 0,
    });
  });

  it('reads JSON with a UTF-8 byte-order mark', () => {
    expect(manifestOf(outcome, ARRAY('byte-order-mark'))).toMatchObject({
      rowsIn: 1,
      accepted: 1,
    });
  });

  it('keeps an integer id too long for a JavaScript number exactly as written', () => {
    expect(manifestOf(outcome, ARRAY('long-integer-id'))).toMatchObject({ rowsIn: 1, accepted: 1 });
    // 12345678901234567891 > 2^53: as a double it would be 12345678901234567000.
    expect(shiftsOf(outcome, ARRAY('long-integer-id'))[0]?.shift_id).toBe('12345678901234567891');
  });

  it('matches keys ignoring case, as it matches column names', () => {
    expect(manifestOf(outcome, ARRAY('key-case'))).toMatchObject({
      rowsIn: 2,
      accepted: 2,
      rejected: 0,
    });
  });

  it('numbers rows by their place in the array, even beside a source_row key of its own', () => {
    expect(manifestOf(outcome, ARRAY('own-source-row-key'))).toMatchObject({
      rowsIn: 1,
      accepted: 1,
    });
    expect(shiftsOf(outcome, ARRAY('own-source-row-key'))[0]).toMatchObject({
      shift_id: 'SR-1',
      source_row: 1,
    });
  });

  it('conserves rows over all JSON files', () => {
    const { summary } = outcome;
    expect(summary.rowsIn).toBe(summary.accepted + summary.rejected);
    // 2 + 1 + 6 + 5 + 0 + 1 + 1 + 2 + 1 + 4 (flags) rows in the files that were read.
    expect(summary.rowsIn).toBe(23);
    expect(summary.failed).toHaveLength(5);
  });
});

// ---------------------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------------------

const BIG = 10 * 1024 * 1024;

/** Text as Windows-1252 bytes: Latin-1, except € (0x80); nothing else outside Latin-1 is used. */
const windows1252 = (text: string) =>
  Uint8Array.from([...text].map((ch) => (ch === '€' ? 0x80 : ch.charCodeAt(0) & 0xff)));

describe('CSV exports', () => {
  let stores: TestStores;
  let engine: DuckDbEngine;
  let outcome: Outcome;

  beforeAll(async () => {
    // Arrange
    stores = await openTestStores('local');
    engine = await DuckDbEngine.open();
    const files: Record<string, string | Uint8Array> = {
      [CSV('semicolon')]: csv([{ shift_id: 'SC-1', cost_gbp: '£1,234.50' }], ';'),
      [CSV('tab')]: csv([{ shift_id: 'TAB-1' }], '\t'),
      [CSV('pipe')]: csv([{ shift_id: 'PIPE-1' }], '|'),
      [CSV('crlf')]: csv([{ shift_id: 'CR-1' }, { shift_id: 'CR-2' }], ',', '\r\n'),
      // A note over three lines inside quotes is one value; the file has 2 rows, not 4.
      [CSV('quoted-newline')]: csv([
        { shift_id: 'QN-1', notes: 'Cover for Dr A.\nBring your smartcard.\r\nPark at the back' },
        { shift_id: 'QN-2' },
      ]),
      // Excel's "CSV" on Windows: £ is the single byte 0xA3, é is 0xE9, € is 0x80.
      [CSV('windows-1252')]: windows1252(
        csv([{ shift_id: 'W-1', cost_gbp: '£1,234.50', notes: 'Café rota, € invoice' }]),
      ),
      [CSV('utf8-bom')]: `\uFEFF${csv([{ shift_id: 'BOM-1', cost_gbp: '£380.00' }])}`,
      [CSV('utf16le-bom')]: Uint8Array.from(
        Buffer.from(`\uFEFF${csv([{ shift_id: 'U16-1', cost_gbp: '£380.00' }])}`, 'utf16le'),
      ),
      // A column of its own called source_row: rows are numbered by their place in the file.
      [CSV('own-source-row-column')]:
        `${csvHeader()},source_row\n${csvLine({ shift_id: 'SR-1' })},99\n`,
      // One line of over 10 MB (DuckDB's default limit is 2 MB): a huge value in the ignored
      // notes column, then a normal row.
      [CSV('ten-mb-line')]: csv([
        { shift_id: 'BIG-1', notes: 'x'.repeat(BIG) },
        { shift_id: 'BIG-2' },
      ]),
    };
    // Act
    outcome = await ingestCorpus(stores, engine, files);
  });
  afterAll(async () => {
    await engine?.close();
    await stores?.close();
  });

  it.each([
    ['semicolon', 'SC-1'],
    ['tab', 'TAB-1'],
    ['pipe', 'PIPE-1'],
  ])('detects the %s delimiter', (name, id) => {
    // Assess
    expect(manifestOf(outcome, CSV(name))).toMatchObject({ rowsIn: 1, accepted: 1, rejected: 0 });
    expect(shiftsOf(outcome, CSV(name))[0]).toMatchObject({
      shift_id: id,
      start_at: '2026-11-16T08:30:00.000Z',
      hours: 4,
    });
  });

  it('reads the quoted "£1,234.50" in the semicolon file as 123450 pence', () => {
    expect(shiftsOf(outcome, CSV('semicolon'))[0]?.cost_pence).toBe(123450);
  });

  it('reads Windows (CRLF) line ends', () => {
    expect(manifestOf(outcome, CSV('crlf'))).toMatchObject({ rowsIn: 2, accepted: 2 });
    // No stray \r on the last column or in the values.
    expect(shiftsOf(outcome, CSV('crlf')).map((r) => r.shift_id)).toEqual(['CR-1', 'CR-2']);
  });

  it('keeps a quoted value that spans lines as one value of one row', () => {
    expect(manifestOf(outcome, CSV('quoted-newline'))).toMatchObject({ rowsIn: 2, accepted: 2 });
    expect(shiftsOf(outcome, CSV('quoted-newline')).map((r) => [r.shift_id, r.source_row])).toEqual(
      [
        ['QN-1', 1],
        ['QN-2', 2],
      ],
    );
  });

  it('reads Windows-1252 with a £ sign: £1,234.50 is 123450 pence', () => {
    expect(manifestOf(outcome, CSV('windows-1252'))).toMatchObject({ rowsIn: 1, accepted: 1 });
    expect(shiftsOf(outcome, CSV('windows-1252'))[0]).toMatchObject({
      shift_id: 'W-1',
      cost_pence: 123450,
    });
  });

  it.each([
    ['utf8-bom', 'BOM-1'],
    ['utf16le-bom', 'U16-1'],
  ])('reads %s: the first column is still shift_id', (name, id) => {
    expect(manifestOf(outcome, CSV(name))).toMatchObject({ rowsIn: 1, accepted: 1 });
    expect(shiftsOf(outcome, CSV(name))[0]).toMatchObject({ shift_id: id, cost_pence: 38000 });
  });

  it('numbers rows by their place in the file, even beside a source_row column of its own', () => {
    expect(manifestOf(outcome, CSV('own-source-row-column'))).toMatchObject({
      rowsIn: 1,
      accepted: 1,
    });
    expect(shiftsOf(outcome, CSV('own-source-row-column'))[0]).toMatchObject({
      shift_id: 'SR-1',
      source_row: 1,
    });
  });

  it('reads a 10 MB line without losing a row', () => {
    const manifest = manifestOf(outcome, CSV('ten-mb-line'));
    expect(manifest.rowsIn).toBe(2);
    // The notes column is not mapped, so both rows are good shifts.
    expect(manifest).toMatchObject({ accepted: 2, rejected: 0 });
    expect(shiftsOf(outcome, CSV('ten-mb-line')).map((r) => r.shift_id)).toEqual([
      'BIG-1',
      'BIG-2',
    ]);
  });

  it('conserves rows over all CSV files', () => {
    const { summary } = outcome;
    expect(summary.failed).toEqual([]);
    expect(summary.rowsIn).toBe(summary.accepted + summary.rejected);
    // 1 + 1 + 1 + 2 + 2 + 1 + 1 + 1 + 1 + 2
    expect(summary.rowsIn).toBe(13);
  });
});
