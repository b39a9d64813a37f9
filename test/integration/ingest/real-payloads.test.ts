/**
 * The shipped When I Work, Deputy (API and timesheet export) and RotaCloud mappings on exports
 * shaped exactly like what those systems send (field names, nesting, types, time formats; sources
 * in test/fixtures/exports/README.md), through ingest and the lead_time metric. Real DuckDB,
 * local stores. Worked by hand (November: London = UTC):
 * - hours = end - start - break; drafts (published false) are rejected as unpublished_shift;
 * - lead time = published_at -> start; a late fill is filled less than 48 h before the start.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableRows } from '../../../src/engine/arrow-types.js';
import { DuckDbEngine, sqlString } from '../../../src/engine/duckdb-engine.js';
import type { IngestSummary } from '../../../src/ingest/ingest-all.js';
import { computeMetrics, metricTable } from '../../../src/metrics/compute-metrics.js';
import { ingestTestStores, openTestStores, type TestStores } from '../../helpers/stores.js';

const FIXTURES = path.join(import.meta.dirname, '..', '..', 'fixtures', 'exports');
const KEYS = {
  wheniwork: 'wheniwork/U60865/shifts/shifts-2026-11-16T0700.json',
  deputyApi: 'deputy_api/U60865/shifts/roster-2026-11-16T0700.json',
  rotacloud: 'rotacloud/U60865/shifts/shifts-2026-11-16T0700.json',
  deputyTimesheets: 'deputy_timesheets/U60865/shifts/timesheets-2026-11-16T0700.csv',
};
const FILES: Record<keyof typeof KEYS, string> = {
  wheniwork: 'wheniwork-api-shifts.json',
  deputyApi: 'deputy-api-roster.json',
  rotacloud: 'rotacloud-api-shifts.json',
  deputyTimesheets: 'deputy-timesheets.csv',
};

type Row = Record<string, string | number | boolean | null>;

describe('shipped mappings on payloads shaped like the real systems', () => {
  let stores: TestStores;
  let engine: DuckDbEngine;
  let summary: IngestSummary;

  const shifts = async (key: string) =>
    tableRows<Row>(
      await engine.query(
        `select shift_id, practice_code, role, engagement, status, start_at, hours, break_minutes,
           cost_pence, published_at, filled_at, clinician_key is not null as has_clinician
         from read_parquet(${sqlString(`${stores.curated.localPath?.('shifts/')}/**/*.parquet`)}, hive_partitioning = true)
         where source_file = ${sqlString(key)} order by source_row`,
      ),
    );
  const rejects = async (key: string) =>
    tableRows<{ source_row: number; reason_code: string; message: string }>(
      await engine.query(
        `select source_row, reason_code, message
         from read_parquet(${sqlString(`${stores.curated.localPath?.('rejects/')}/**/*.parquet`)})
         where source_file = ${sqlString(key)} order by source_row`,
      ),
    );

  beforeAll(async () => {
    stores = await openTestStores('local');
    engine = await DuckDbEngine.open();
    for (const [name, key] of Object.entries(KEYS)) {
      await stores.raw.put(
        key,
        await readFile(path.join(FIXTURES, FILES[name as keyof typeof KEYS])),
      );
    }
    summary = await ingestTestStores(stores, engine);
  });
  afterAll(async () => {
    await engine?.close();
    await stores?.close();
  });

  it('reads every file; rows in = accepted + rejected, drafts among the rejected', () => {
    expect(summary.failed.map((f) => f.reason)).toEqual([]);
    expect(
      Object.fromEntries(
        summary.ingested.map((m) => [m.sourceFile, [m.rowsIn, m.accepted, m.rejected]]),
      ),
    ).toEqual({
      [KEYS.wheniwork]: [3, 2, 1],
      [KEYS.deputyApi]: [4, 3, 1],
      [KEYS.rotacloud]: [4, 3, 1],
      [KEYS.deputyTimesheets]: [2, 2, 0],
    });
  });

  it('wheniwork: -0600 offsets, location_id as the practice, published_date, drafts out', async () => {
    expect(await shifts(KEYS.wheniwork)).toEqual([
      // 03:00-11:00 -0600 = 09:00-17:00 UTC, break_time 0.5 h: 8 - 0.5 = 7.5 h. location 1 = F84025.
      // published_date Mon 2 Nov 03:00 -0600 = 09:00 UTC; assigned when published, so filled then.
      {
        shift_id: '2281001',
        practice_code: 'F84025',
        role: 'gp',
        engagement: 'salaried',
        status: 'filled',
        start_at: '2026-11-09T09:00:00.000Z',
        hours: 7.5,
        break_minutes: 30,
        cost_pence: null,
        published_at: '2026-11-02T09:00:00.000Z',
        filled_at: '2026-11-02T09:00:00.000Z',
        has_clinician: true,
      },
      // Saturday open shift (user_id 0, is_open): 4 h, unfilled, so no fill time.
      {
        shift_id: '2281002',
        practice_code: 'F84054',
        role: 'paramedic',
        engagement: null,
        status: 'unfilled',
        start_at: '2026-11-14T09:00:00.000Z',
        hours: 4,
        break_minutes: 0,
        cost_pence: null,
        published_at: '2026-11-12T16:00:00.000Z',
        filled_at: null,
        has_clinician: false,
      },
    ]);
    expect(await rejects(KEYS.wheniwork)).toEqual([
      {
        source_row: 3,
        reason_code: 'unpublished_shift',
        message:
          'Row 3: the shift is not published (a draft in the rota), so it is not counted as demand or cover.',
      },
    ]);
  });

  it('deputy API: Unix seconds, Mealbreak clock = break, unit ids, Cost 0 unknown, drafts out', async () => {
    expect(await shifts(KEYS.deputyApi)).toEqual([
      // 09:00-17:00 less Mealbreak T00:30:00 = 7.5 h, Deputy's own TotalTime. Cost 0 = no rate: NULL.
      {
        shift_id: '7777',
        practice_code: 'F84025',
        role: 'gp',
        engagement: 'salaried',
        status: 'filled',
        start_at: '2026-11-09T09:00:00.000Z',
        hours: 7.5,
        break_minutes: 30,
        cost_pence: null,
        published_at: '2026-11-02T09:00:00.000Z',
        filled_at: '2026-11-02T09:00:00.000Z',
        has_clinician: true,
      },
      // Open, Employee 0: unfilled; 18:30-20:00 = 1.5 h.
      {
        shift_id: '7778',
        practice_code: 'F84054',
        role: 'practice_nurse',
        engagement: null,
        status: 'unfilled',
        start_at: '2026-11-10T18:30:00.000Z',
        hours: 1.5,
        break_minutes: 0,
        cost_pence: null,
        published_at: '2026-11-05T08:00:00.000Z',
        filled_at: null,
        has_clinician: false,
      },
      // Unit 12 = locum GP; Cost 412.5 = 41250 pence; created 20 h before the start.
      {
        shift_id: '7779',
        practice_code: 'F84025',
        role: 'gp',
        engagement: 'locum',
        status: 'filled',
        start_at: '2026-11-11T08:00:00.000Z',
        hours: 4,
        break_minutes: 0,
        cost_pence: 41250,
        published_at: '2026-11-10T12:00:00.000Z',
        filled_at: '2026-11-10T12:00:00.000Z',
        has_clinician: true,
      },
    ]);
    expect((await rejects(KEYS.deputyApi)).map((r) => [r.source_row, r.reason_code])).toEqual([
      [4, 'unpublished_shift'],
    ]);
  });

  it('rotacloud: role null is other, created_at and claimed_at, deleted is cancelled', async () => {
    expect(await shifts(KEYS.rotacloud)).toEqual([
      {
        shift_id: '5101',
        practice_code: 'F84025',
        role: 'other',
        engagement: 'salaried',
        status: 'filled',
        start_at: '2026-11-09T09:00:00.000Z',
        hours: 4,
        break_minutes: 0,
        cost_pence: null,
        published_at: '2026-11-02T09:00:00.000Z',
        filled_at: null,
        has_clinician: true,
      },
      // 8 h less 30 min = 7.5 h; claimed 24 h before the start.
      {
        shift_id: '5102',
        practice_code: 'F84054',
        role: 'practice_nurse',
        engagement: 'salaried',
        status: 'filled',
        start_at: '2026-11-10T09:00:00.000Z',
        hours: 7.5,
        break_minutes: 30,
        cost_pence: null,
        published_at: '2026-11-06T09:00:00.000Z',
        filled_at: '2026-11-09T09:00:00.000Z',
        has_clinician: true,
      },
      {
        shift_id: '5103',
        practice_code: 'F84025',
        role: 'gp',
        engagement: null,
        status: 'cancelled',
        start_at: '2026-11-11T09:00:00.000Z',
        hours: 4,
        break_minutes: 0,
        cost_pence: null,
        published_at: '2026-11-01T09:00:00.000Z',
        filled_at: null,
        has_clinician: false,
      },
    ]);
    expect((await rejects(KEYS.rotacloud)).map((r) => [r.source_row, r.reason_code])).toEqual([
      [4, 'unpublished_shift'],
    ]);
  });

  it('deputy timesheets: the web export headers, HH:MM:SS Mealbreak, Total Cost 0 unknown', async () => {
    const rows = await shifts(KEYS.deputyTimesheets);
    expect(
      rows.map((r) => [r.practice_code, r.engagement, r.hours, r.cost_pence, r.status]),
    ).toEqual([
      // 09:00-17:00 less 00:30:00 = 7.5 h (Total Hours 7.5); Total Cost 0 = no rate: NULL.
      ['F84025', 'salaried', 7.5, null, 'filled'],
      // 13:00-18:30 less 30 min = 5 h; 450.00 = 45000 pence.
      ['F84025', 'locum', 5, 45000, 'filled'],
    ]);
    expect(rows.every((r) => String(r.shift_id).startsWith('h'))).toBe(true);
  });

  it('lead_time gets rows from the sources that give publication and fill times', async () => {
    const rows = tableRows<Row>(
      metricTable(await computeMetrics({ engine, curated: stores.curated }), 'lead_time'),
    );
    expect(rows).toEqual([
      {
        network_code: 'U60865',
        icb_code: 'QMF',
        week_start: '2026-11-09',
        // Filled: WIW 2281001, Deputy 7777 and 7779, RotaCloud 5101 and 5102, 2 timesheets = 7.
        filled_shifts: 7,
        // Timed (both times): 2281001 (168 h), 7777 (168 h), 7779 (20 h), 5102 (96 h).
        timed_shifts: 4,
        // 20, 96, 168, 168: the mean of the middle two = (96 + 168) / 2 = 132.
        median_lead_hours: 132,
        // 7779 filled 20 h before, 5102 claimed 24 h before: 2 of 4.
        late_fills: 2,
        late_fill_share: 0.5,
      },
    ]);
  });
});

describe('the generic features the shipped mappings use, on their edge values', () => {
  let stores: TestStores;
  let engine: DuckDbEngine;
  const key = 'deputy_api/U60865/shifts/edges-2026-11-16T0700.json';
  const roster = (Id: number, Mealbreak: unknown, Cost: unknown) => ({
    Id,
    StartTime: Date.parse('2026-11-09T09:00:00Z') / 1000,
    EndTime: Date.parse('2026-11-09T17:00:00Z') / 1000,
    Mealbreak,
    Cost,
    OperationalUnit: 11,
    Employee: 421,
    Published: true,
    Open: false,
  });

  beforeAll(async () => {
    stores = await openTestStores('local');
    engine = await DuckDbEngine.open();
    const rows = [
      // The clock part, whatever the date and offset: 01:15 = 75 minutes; 8 h - 1.25 = 6.75 h.
      roster(1, '2026-11-08T01:15:00+10:00', '0.00'),
      // A bare clock time, with seconds: 00:45:30 = 45.5 minutes.
      roster(2, '00:45:30', 320),
      // Not a clock time at all.
      roster(3, 'thirty', 320),
      // Cost 0 written as money is unknown too; a negative cost is still a negative cost.
      roster(4, null, '£0'),
      roster(5, null, -5),
    ];
    await stores.raw.put(key, new TextEncoder().encode(JSON.stringify(rows)));
    await ingestTestStores(stores, engine);
  });
  afterAll(async () => {
    await engine?.close();
    await stores?.close();
  });

  it('reads Mealbreak by its clock part and Cost 0 in any form as unknown', async () => {
    const rows = tableRows<Row>(
      await engine.query(
        `select shift_id, break_minutes, hours, cost_pence
         from read_parquet(${sqlString(`${stores.curated.localPath?.('shifts/')}/**/*.parquet`)}, hive_partitioning = true)
         order by source_row`,
      ),
    );
    expect(rows).toEqual([
      { shift_id: '1', break_minutes: 75, hours: 6.75, cost_pence: null },
      // 45.5 minutes is stored rounded to 46 (break_minutes is whole); hours keep the half minute.
      { shift_id: '2', break_minutes: 46, hours: 8 - 45.5 / 60, cost_pence: 32000 },
      { shift_id: '4', break_minutes: 0, hours: 8, cost_pence: null },
    ]);
    const rejected = tableRows<{ source_row: number; message: string }>(
      await engine.query(
        `select source_row, message
         from read_parquet(${sqlString(`${stores.curated.localPath?.('rejects/')}/**/*.parquet`)})
         order by source_row`,
      ),
    );
    expect(rejected).toEqual([
      { source_row: 3, message: 'Row 3: Mealbreak "thirty" is not a number.' },
      { source_row: 5, message: 'Row 5: Cost "-5" is negative.' },
    ]);
  });
});
