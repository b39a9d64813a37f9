/**
 * network_week on the hand-made U60865 fixture (test/fixtures/exports), through real ingest and
 * real DuckDB. Every expected number is worked out in the comments.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableRows } from '../../../src/engine/arrow-types.js';
import { DuckDbEngine } from '../../../src/engine/duckdb-engine.js';
import { computeMetrics, metricTable, readMetrics } from '../../../src/metrics/compute-metrics.js';
import { ingestTestStores, openTestStores, type TestStores } from '../../helpers/stores.js';

const FIXTURES = path.join(import.meta.dirname, '..', '..', 'fixtures', 'exports');

let stores: TestStores;
let engine: DuckDbEngine;

async function ingestAndMeasure() {
  await ingestTestStores(stores, engine, { at: '2026-11-17T13:00:00Z' });
  return tableRows(
    await metricTable(await computeMetrics({ engine, curated: stores.curated }), 'network_week'),
  );
}

beforeAll(async () => {
  stores = await openTestStores('local');
  engine = await DuckDbEngine.open();
  await stores.raw.put(
    'generic/U60865/shifts/2026-11-09.csv',
    await readFile(path.join(FIXTURES, 'u60865-shifts.csv')),
  );
});
afterAll(async () => {
  await engine?.close();
  await stores?.close();
});

describe('network_week', () => {
  it('counts demand, cover and fill rates per network and week', async () => {
    const rows = await ingestAndMeasure();
    expect(rows).toEqual([
      // Week of 19 Oct: S8 only, filled, 10 hours (22:00 BST to 07:00 GMT across the clock change).
      {
        network_code: 'U60865',
        icb_code: 'QMF',
        week_start: '2026-10-19',
        demand_shifts: 1,
        filled_shifts: 1,
        unfilled_shifts: 0,
        cancelled_shifts: 0,
        demand_hours: 10,
        filled_hours: 10,
        unfilled_hours: 0,
        fill_rate_shifts: 1,
        fill_rate_hours: 1,
      },
      // Week of 2 Nov: S14 cancelled, nothing else. Demand 0, so both fill rates are NULL, not 0.
      {
        network_code: 'U60865',
        icb_code: 'QMF',
        week_start: '2026-11-02',
        demand_shifts: 0,
        filled_shifts: 0,
        unfilled_shifts: 0,
        cancelled_shifts: 1,
        demand_hours: 0,
        filled_hours: 0,
        unfilled_hours: 0,
        fill_rate_shifts: null,
        fill_rate_hours: null,
      },
      // Week of 9 Nov: filled S1 (4 h), S3 (7.5 h), S5 (7.5 h), S6 (1.5 h) = 4 shifts, 20.5 h;
      // unfilled S2 (4 h) and S7 (Sunday 23:30-07:30, 8 h) = 2 shifts, 12 h; S4 cancelled.
      // Demand 6 shifts, 32.5 h: fill rate 4/6 by shifts, 20.5/32.5 by hours.
      {
        network_code: 'U60865',
        icb_code: 'QMF',
        week_start: '2026-11-09',
        demand_shifts: 6,
        filled_shifts: 4,
        unfilled_shifts: 2,
        cancelled_shifts: 1,
        demand_hours: 32.5,
        filled_hours: 20.5,
        unfilled_hours: 12,
        fill_rate_shifts: 4 / 6,
        fill_rate_hours: 20.5 / 32.5,
      },
    ]);
  });

  it('applies a later export of the same shift (supersede), without changing earlier files', async () => {
    // The amended export (exported 17 Nov 12:00, a day after the first) says S2 was filled by a locum.
    await stores.raw.put(
      'generic/U60865/shifts/2026-11-09_amended.csv',
      await readFile(path.join(FIXTURES, 'u60865-shifts-amended.csv')),
    );
    const week = (await ingestAndMeasure()).find((r) => r.week_start === '2026-11-09');
    // S2 moves from unfilled to filled: 5 of 6 shifts, 24.5 of 32.5 hours.
    expect(week).toMatchObject({
      demand_shifts: 6,
      filled_shifts: 5,
      unfilled_shifts: 1,
      filled_hours: 24.5,
      unfilled_hours: 8,
    });
    expect(week?.fill_rate_shifts).toBeCloseTo(5 / 6, 12);
    expect(week?.fill_rate_hours).toBeCloseTo(24.5 / 32.5, 12);
  });

  it('applies a still later export that cancels a filled shift', async () => {
    // Exported 18 Nov 09:00, after both earlier files: S1 (filled, 4 h) is now cancelled.
    await stores.raw.put(
      'generic/U60865/shifts/2026-11-09_cancelled.csv',
      await readFile(path.join(FIXTURES, 'u60865-shifts-cancelled.csv')),
    );
    const week = (await ingestAndMeasure()).find((r) => r.week_start === '2026-11-09');
    // S1 leaves demand: 5 shifts, 32.5 - 4 = 28.5 h; filled S2, S3, S5, S6 = 4 shifts, 20.5 h;
    // cancelled S1 and S4.
    expect(week).toMatchObject({
      demand_shifts: 5,
      filled_shifts: 4,
      unfilled_shifts: 1,
      cancelled_shifts: 2,
      demand_hours: 28.5,
      filled_hours: 20.5,
      unfilled_hours: 8,
    });
    expect(week?.fill_rate_shifts).toBeCloseTo(4 / 5, 12);
    expect(week?.fill_rate_hours).toBeCloseTo(20.5 / 28.5, 12);
  });

  it('stores the metric table so publish can read it back unchanged', async () => {
    const computed = tableRows(
      metricTable(await computeMetrics({ engine, curated: stores.curated }), 'network_week'),
    );
    expect(
      tableRows(metricTable(await readMetrics(engine, stores.curated), 'network_week')),
    ).toEqual(computed);
  });
});
