/**
 * Every shipped source mapping on a small hand-made export, with the exact canonical rows and
 * reject messages expected. Real DuckDB, real local stores, the mappings and example lookup
 * tables in mappings/. Worked by hand:
 * - times in November are GMT, so local = UTC; hours = end - start - break;
 * - extended hours (no session type in these sources) = Mon-Fri starting 18:30-20:00, Sat 09:00-17:00;
 * - engagement, clinician and cost are kept for filled shifts only.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableRows } from '../../../src/engine/arrow-types.js';
import { DuckDbEngine, sqlString } from '../../../src/engine/duckdb-engine.js';
import type { IngestSummary } from '../../../src/ingest/ingest-all.js';
import { ingestTestStores, openTestStores, type TestStores } from '../../helpers/stores.js';

const FIXTURES = path.join(import.meta.dirname, '..', '..', 'fixtures', 'exports');

const KEYS = {
  rotacloud: 'rotacloud/U60865/shifts/shifts-2026-11-16T0700.json',
  wheniwork: 'wheniwork/U60865/shifts/shifts.json',
  deputyCsv: 'deputy/U60865/shifts/roster-2026-11-16-0700.csv',
  deputyXlsx: 'deputy/U60865/shifts/roster-2026-11-16-0700.xlsx',
};

/** The columns compared, in this order; clinician_key is compared as present / absent. */
const COLUMNS = [
  'source_row',
  'shift_id',
  'practice_code',
  'role',
  'staff_group',
  'engagement',
  'arrs_funded',
  'start_at',
  'end_at',
  'shift_date',
  'week_start',
  'start_hour',
  'break_minutes',
  'hours',
  'session_type',
  'delivery',
  'status',
  'cost_pence',
  'has_clinician',
] as const;
type Row = (string | number | boolean | null)[];

/** The Deputy rows of deputy-roster.csv, as an XLSX sheet with typed cells and two title rows. */
async function deputyWorkbook(): Promise<Uint8Array> {
  const time = (hhmm: string) => new Date(`1899-12-30T${hhmm}:00Z`);
  const day = (d: number) => new Date(Date.UTC(2026, 10, d));
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Roster');
  sheet.addRow(['Roster export']);
  sheet.addRow(['Network 7, week of 9 November 2026']);
  sheet.addRow([
    'Id',
    'Date',
    'StartTime',
    'EndTime',
    'Mealbreak',
    'TotalTime',
    'Cost',
    'OperationalUnit',
    'Employee',
    'Published',
    'Open',
  ]);
  const rows: unknown[][] = [
    [
      301,
      day(9),
      time('08:00'),
      time('12:00'),
      time('00:00'),
      4,
      320,
      'Gough Walk - GP',
      'E1001',
      'Yes',
      'No',
    ],
    [
      302,
      day(9),
      time('13:00'),
      time('18:30'),
      time('00:30'),
      5,
      '£450.00',
      'Gough Walk - Locum GP',
      'E1002',
      'Yes',
      'No',
    ],
    [
      303,
      day(10),
      time('09:00'),
      time('17:00'),
      time('01:00'),
      7,
      0,
      'Limehouse - Bank Nurse',
      null,
      'Yes',
      'Yes',
    ],
    [
      304,
      day(11),
      time('22:00'),
      time('06:00'),
      time('00:30'),
      7.5,
      300,
      'Network 7 - Remote Pharmacist',
      'E1003',
      'Yes',
      'No',
    ],
    [
      305,
      day(12),
      '9:00 AM',
      '1:00 PM',
      time('00:00'),
      4,
      1234.5,
      'Aberfeldy - Physio',
      'E1004',
      'Yes',
      'No',
    ],
    [
      306,
      day(12),
      time('09:00'),
      time('13:00'),
      time('00:00'),
      4,
      200,
      'Mars - GP',
      'E1005',
      'Yes',
      'No',
    ],
    [
      301,
      day(13),
      time('09:00'),
      time('13:00'),
      time('00:00'),
      4,
      200,
      'Gough Walk - GP',
      'E1001',
      'Yes',
      'No',
    ],
    [
      308,
      day(13),
      time('09:00'),
      time('13:00'),
      time('00:00'),
      4,
      -50,
      'Limehouse - Nurse',
      'E1006',
      'Yes',
      'No',
    ],
  ];
  for (const row of rows) sheet.addRow(row);
  sheet.getColumn(2).numFmt = 'dd/mm/yyyy';
  for (const c of [3, 4, 5]) sheet.getColumn(c).numFmt = 'hh:mm';
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

describe('shipped source mappings on hand-made exports', () => {
  let stores: TestStores;
  let engine: DuckDbEngine;
  let summary: IngestSummary;

  const shifts = async (sourceFile: string): Promise<Row[]> => {
    const dir = stores.curated.localPath?.('shifts/') as string;
    const rows = tableRows<Record<string, string | number | boolean | null>>(
      await engine.query(
        `select ${COLUMNS.slice(0, -1).join(', ')}, clinician_key is not null as has_clinician
         from read_parquet(${sqlString(`${dir}/**/*.parquet`)}, hive_partitioning = true)
         where source_file = ${sqlString(sourceFile)} order by source_row`,
      ),
    );
    return rows.map((r) => COLUMNS.map((c) => r[c] ?? null));
  };
  const rejects = async (sourceFile: string) => {
    const dir = stores.curated.localPath?.('rejects/') as string;
    return tableRows<{
      source_row: number;
      reason_code: string;
      message: string;
      raw_values: string;
    }>(
      await engine.query(
        `select source_row, reason_code, message, raw_values from read_parquet(${sqlString(`${dir}/**/*.parquet`)})
         where source_file = ${sqlString(sourceFile)} order by source_row`,
      ),
    );
  };
  const manifest = (key: string) => summary.ingested.find((m) => m.sourceFile === key);

  beforeAll(async () => {
    // Prepare
    stores = await openTestStores('local');
    engine = await DuckDbEngine.open();
    await stores.raw.put(
      KEYS.rotacloud,
      await readFile(path.join(FIXTURES, 'rotacloud-shifts.json')),
    );
    await stores.raw.put(
      KEYS.wheniwork,
      await readFile(path.join(FIXTURES, 'wheniwork-shifts.json')),
    );
    await stores.raw.put(KEYS.deputyCsv, await readFile(path.join(FIXTURES, 'deputy-roster.csv')));
    await stores.raw.put(KEYS.deputyXlsx, await deputyWorkbook());
    // Act
    summary = await ingestTestStores(stores, engine);
  });
  afterAll(async () => {
    await engine?.close();
    await stores?.close();
  });

  it('reads every file and conserves rows', () => {
    expect(summary.failed.map((f) => f.reason)).toEqual([]);
    expect(
      Object.fromEntries(
        summary.ingested.map((m) => [m.sourceFile, [m.rowsIn, m.accepted, m.rejected, m.format]]),
      ),
    ).toEqual({
      [KEYS.rotacloud]: [7, 5, 2, 'json'],
      [KEYS.wheniwork]: [7, 4, 3, 'json'],
      [KEYS.deputyCsv]: [8, 5, 3, 'csv'],
      [KEYS.deputyXlsx]: [8, 5, 3, 'xlsx'],
    });
  });

  it('rotacloud: Unix-second times, id lookups, open and deleted shifts', async () => {
    // Assess
    expect(await shifts(KEYS.rotacloud)).toEqual([
      // 9001: location 101 = F84025, role 11 = salaried GP, 09:00-13:00 = 4 h.
      [
        1,
        '9001',
        'F84025',
        'gp',
        'gp',
        'salaried',
        false,
        '2026-11-09T09:00:00.000Z',
        '2026-11-09T13:00:00.000Z',
        '2026-11-09',
        '2026-11-09',
        9,
        0,
        4,
        'in_hours',
        'on_site',
        'filled',
        null,
        true,
      ],
      // 9002: user null -> unfilled, so no engagement or clinician; 14:00-18:30 less 30 min = 4 h.
      [
        2,
        '9002',
        'F84054',
        'practice_nurse',
        'nurse',
        null,
        false,
        '2026-11-09T14:00:00.000Z',
        '2026-11-09T18:30:00.000Z',
        '2026-11-09',
        '2026-11-09',
        14,
        30,
        4,
        'in_hours',
        'on_site',
        'unfilled',
        null,
        false,
      ],
      // 9003: deleted -> cancelled; 09:00-17:00 less 60 min = 7 h.
      [
        3,
        '9003',
        'F84698',
        'gp',
        'gp',
        null,
        false,
        '2026-11-10T09:00:00.000Z',
        '2026-11-10T17:00:00.000Z',
        '2026-11-10',
        '2026-11-09',
        9,
        60,
        7,
        'in_hours',
        'on_site',
        'cancelled',
        null,
        false,
      ],
      // 9004: location 190 = remote clinics of F84025; Monday 18:30 start = extended hours; 1.5 h.
      [
        4,
        '9004',
        'F84025',
        'clinical_pharmacist',
        'direct_patient_care',
        'salaried',
        true,
        '2026-11-09T18:30:00.000Z',
        '2026-11-09T20:00:00.000Z',
        '2026-11-09',
        '2026-11-09',
        18,
        0,
        1.5,
        'extended_hours',
        'remote',
        'filled',
        null,
        true,
      ],
      // 9007: Saturday 10:00-14:00 less 15 min = 3.75 h, extended hours; role 15 = agency physio.
      [
        7,
        '9007',
        'F84698',
        'first_contact_physio',
        'direct_patient_care',
        'agency',
        true,
        '2026-11-14T10:00:00.000Z',
        '2026-11-14T14:00:00.000Z',
        '2026-11-14',
        '2026-11-09',
        10,
        15,
        3.75,
        'extended_hours',
        'on_site',
        'filled',
        null,
        true,
      ],
    ]);
    const rejected = await rejects(KEYS.rotacloud);
    expect(rejected.map((r) => r.message)).toEqual([
      'Row 5: location "999" is not in the lookup table "locations" (rotacloud-locations.csv).',
      'Row 6: the shift ends before it starts (-1 hours); check its times and end date.',
    ]);
    // The person id in a reject is its pseudonym, never the id itself.
    expect(JSON.parse(rejected[0]?.raw_values ?? '{}').user).toMatch(/^pseudonym:[0-9a-f]{32}$/);
  });

  it('rotacloud: exported_at comes from the file name when the rows do not say', async () => {
    const dir = stores.curated.localPath?.('shifts/') as string;
    const [row] = tableRows<{ exported_at: string }>(
      await engine.query(
        `select distinct exported_at from read_parquet(${sqlString(`${dir}/**/*.parquet`)})
         where source_file = ${sqlString(KEYS.rotacloud)}`,
      ),
    );
    // shifts-2026-11-16T0700: 07:00 in London in November is 07:00 UTC.
    expect(row?.exported_at).toBe('2026-11-16T07:00:00.000Z');
  });

  it('wheniwork: an envelope, RFC 2822 times with offsets, break in hours, user 0 = open', async () => {
    expect(await shifts(KEYS.wheniwork)).toEqual([
      [
        1,
        '70001',
        'F84025',
        'gp',
        'gp',
        'salaried',
        false,
        '2026-11-09T08:00:00.000Z',
        '2026-11-09T12:00:00.000Z',
        '2026-11-09',
        '2026-11-09',
        8,
        0,
        4,
        'in_hours',
        'on_site',
        'filled',
        null,
        true,
      ],
      // break_time 0.5 h = 30 min: 8 h - 0.5 h = 7.5 h; is_open -> unfilled.
      [
        2,
        '70002',
        'F84054',
        'paramedic',
        'direct_patient_care',
        null,
        true,
        '2026-11-10T09:00:00.000Z',
        '2026-11-10T17:00:00.000Z',
        '2026-11-10',
        '2026-11-09',
        9,
        30,
        7.5,
        'in_hours',
        'on_site',
        'unfilled',
        null,
        false,
      ],
      [
        3,
        '70003',
        'F84698',
        'gp',
        'gp',
        'locum',
        false,
        '2026-11-11T18:30:00.000Z',
        '2026-11-11T20:00:00.000Z',
        '2026-11-11',
        '2026-11-09',
        18,
        0,
        1.5,
        'extended_hours',
        'remote',
        'filled',
        null,
        true,
      ],
      // Saturday 22:00 BST (+0100) to Sunday 07:00 GMT across the October change: 10 h, not 9.
      // Local start date 24 October, so ISO week of Monday 19 October.
      [
        4,
        '70004',
        'F84062',
        'gp',
        'gp',
        'salaried',
        false,
        '2026-10-24T21:00:00.000Z',
        '2026-10-25T07:00:00.000Z',
        '2026-10-24',
        '2026-10-19',
        22,
        0,
        10,
        'in_hours',
        'on_site',
        'filled',
        null,
        true,
      ],
    ]);
    expect((await rejects(KEYS.wheniwork)).map((r) => r.message)).toEqual([
      'Row 5: position_id "799" is not in the lookup table "positions" (wheniwork-positions.csv).',
      'Row 6: start_time "Thu, 12 Nov 2026 25:00:00 +0000" is not a date and time (use YYYY-MM-DD HH:MM).',
      'Row 7: the shift lasts 30 hours, longer than 24.',
    ]);
    expect(manifest(KEYS.wheniwork)?.weeks).toEqual(['2026-10-19', '2026-11-09']);
  });

  const deputyRows: Row[] = [
    // 301: unit "Gough Walk - GP" = F84025 GP, salaried by default; £320.00 = 32000 pence.
    [
      1,
      '301',
      'F84025',
      'gp',
      'gp',
      'salaried',
      null,
      '2026-11-09T08:00:00.000Z',
      '2026-11-09T12:00:00.000Z',
      '2026-11-09',
      '2026-11-09',
      8,
      0,
      4,
      'in_hours',
      'on_site',
      'filled',
      32000,
      true,
    ],
    // 302: locum unit; 13:00-18:30 less 0:30 = 5 h; "£450.00" = 45000 pence.
    [
      2,
      '302',
      'F84025',
      'gp',
      'gp',
      'locum',
      null,
      '2026-11-09T13:00:00.000Z',
      '2026-11-09T18:30:00.000Z',
      '2026-11-09',
      '2026-11-09',
      13,
      30,
      5,
      'in_hours',
      'on_site',
      'filled',
      45000,
      true,
    ],
    // 303: Open = Yes and no Employee -> unfilled; no engagement, clinician or cost.
    [
      3,
      '303',
      'F84054',
      'practice_nurse',
      'nurse',
      null,
      null,
      '2026-11-10T09:00:00.000Z',
      '2026-11-10T17:00:00.000Z',
      '2026-11-10',
      '2026-11-09',
      9,
      60,
      7,
      'in_hours',
      'on_site',
      'unfilled',
      null,
      false,
    ],
    // 304: 22:00 to 06:00 crosses midnight: ends the next day; 8 h less 0:30 = 7.5 h; remote unit.
    [
      4,
      '304',
      'F84062',
      'clinical_pharmacist',
      'direct_patient_care',
      'salaried',
      null,
      '2026-11-11T22:00:00.000Z',
      '2026-11-12T06:00:00.000Z',
      '2026-11-11',
      '2026-11-09',
      22,
      30,
      7.5,
      'in_hours',
      'remote',
      'filled',
      30000,
      true,
    ],
    // 305: 12-hour clock 9:00 AM - 1:00 PM; "£1,234.50" = 123450 pence; agency unit.
    [
      5,
      '305',
      'F84698',
      'first_contact_physio',
      'direct_patient_care',
      'agency',
      null,
      '2026-11-12T09:00:00.000Z',
      '2026-11-12T13:00:00.000Z',
      '2026-11-12',
      '2026-11-09',
      9,
      0,
      4,
      'in_hours',
      'on_site',
      'filled',
      123450,
      true,
    ],
  ];
  const deputyRejects = [
    'Row 6: OperationalUnit "Mars - GP" is not in the lookup table "units" (deputy-units.csv).',
    'Row 7: Id "301" already appears on row 1 of this file.',
    'Row 8: Cost "-50" is negative.',
  ];

  it('deputy CSV: UK dates, H:MM meal breaks, £ amounts, a unit lookup naming practice and role', async () => {
    expect(await shifts(KEYS.deputyCsv)).toEqual(deputyRows);
    expect((await rejects(KEYS.deputyCsv)).map((r) => r.message)).toEqual(deputyRejects);
  });

  it('deputy XLSX: date and time cells, header on row 3, gives the same canonical rows', async () => {
    expect(await shifts(KEYS.deputyXlsx)).toEqual(deputyRows);
    expect((await rejects(KEYS.deputyXlsx)).map((r) => r.message)).toEqual(deputyRejects);
  });

  it('keeps no raw person id in curated shifts', async () => {
    const dir = stores.curated.localPath?.('shifts/') as string;
    const [row] = tableRows<{ n: number }>(
      await engine.query(
        `select count(*) as n from read_parquet(${sqlString(`${dir}/**/*.parquet`)})
         where clinician_key in ('E1001', '501', '8001') or not regexp_full_match(clinician_key, '[0-9a-f]{32}')`,
      ),
    );
    expect(row?.n).toBe(0);
  });
});
