/**
 * network_week on the hand-made U60865 fixture (test/fixtures/exports), through real ingest and
 * real DuckDB, and on hand-made curated shifts for what that export does not have (missing
 * costs). Every expected number is worked out in the comments.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableRows } from '../../../src/engine/arrow-types.js';
import { DuckDbEngine } from '../../../src/engine/duckdb-engine.js';
import { computeMetrics, metricTable, readMetrics } from '../../../src/metrics/compute-metrics.js';
import { writeCuratedShifts } from '../../helpers/curated-fixtures.js';
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

/** No population file and no list sizes in these tests: the per-patient columns are NULL. */
const NO_POPULATION = {
  population: null,
  population_basis: null,
  population_practices_missing: null,
  filled_hours_per_1000: null,
  unfilled_hours_per_1000: null,
  spend_pence_per_1000: null,
  agency_spend_pence_per_1000: null,
};

describe('network_week', () => {
  it('counts demand, cover, fill rates, fill mix and spend per network and week', async () => {
    const rows = await ingestAndMeasure();
    expect(rows).toEqual([
      // Week of 19 Oct: S8 only, filled, 10 hours (22:00 BST to 07:00 GMT across the clock change),
      // a locum at £950.00, on site, Saturday 22:00 (after 17:00, so in hours by the default rule).
      // Temporary share 10/10 = 1; agency share of spend 0/95000 = 0 (spend is known, none agency).
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
        cancelled_hours: 0,
        salaried_hours: 0,
        bank_hours: 0,
        locum_hours: 10,
        agency_hours: 0,
        temporary_staffing_share: 1,
        spend_pence: 95000,
        salaried_spend_pence: 0,
        bank_spend_pence: 0,
        locum_spend_pence: 95000,
        agency_spend_pence: 0,
        filled_shifts_without_cost: 0,
        agency_share_of_spend: 0,
        remote_hours: 0,
        remote_share: 0,
        extended_hours_filled: 0,
        ...NO_POPULATION,
      },
      // Week of 2 Nov: S14 cancelled (08:30-12:30, 4 h), nothing else. Demand 0, so both fill
      // rates are NULL, not 0; nothing filled, so the shares of filled hours are NULL too; nothing
      // filled means nothing spent (0), and the agency share of a zero spend is NULL.
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
        cancelled_hours: 4,
        salaried_hours: 0,
        bank_hours: 0,
        locum_hours: 0,
        agency_hours: 0,
        temporary_staffing_share: null,
        spend_pence: 0,
        salaried_spend_pence: 0,
        bank_spend_pence: 0,
        locum_spend_pence: 0,
        agency_spend_pence: 0,
        filled_shifts_without_cost: 0,
        agency_share_of_spend: null,
        remote_hours: 0,
        remote_share: null,
        extended_hours_filled: 0,
        ...NO_POPULATION,
      },
      // Week of 9 Nov: filled S1 (4 h), S3 (7.5 h), S5 (7.5 h), S6 (1.5 h) = 4 shifts, 20.5 h;
      // unfilled S2 (4 h) and S7 (Sunday 23:30-07:30, 8 h) = 2 shifts, 12 h; S4 cancelled.
      // Demand 6 shifts, 32.5 h: fill rate 4/6 by shifts, 20.5/32.5 by hours. S4 cancelled, 4 h.
      // By engagement: S1 salaried 4 h £232.00; S3 agency 7.5 h £375.00; S5 locum 7.5 h £712.50;
      // S6 bank 1.5 h £123.00. Temporary share (1.5 + 7.5 + 7.5) / 20.5 = 16.5/20.5.
      // Spend 23200 + 12300 + 71250 + 37500 = 144250 p; agency share 37500/144250.
      // Remote: S6 only, 1.5 h of 20.5. Extended hours (no session type in the file, so the
      // default rule): S5 Saturday 09:00 (7.5 h) and S6 Thursday 18:30 (1.5 h) = 9 h.
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
        cancelled_hours: 4,
        salaried_hours: 4,
        bank_hours: 1.5,
        locum_hours: 7.5,
        agency_hours: 7.5,
        temporary_staffing_share: 16.5 / 20.5,
        spend_pence: 144250,
        salaried_spend_pence: 23200,
        bank_spend_pence: 12300,
        locum_spend_pence: 71250,
        agency_spend_pence: 37500,
        filled_shifts_without_cost: 0,
        agency_share_of_spend: 37500 / 144250,
        remote_hours: 1.5,
        remote_share: 1.5 / 20.5,
        extended_hours_filled: 9,
        ...NO_POPULATION,
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
    // S2 moves from unfilled to filled: 5 of 6 shifts, 24.5 of 32.5 hours. It is a locum's 4 h at
    // £380.00: locum 7.5 + 4 = 11.5 h, 71250 + 38000 = 109250 p; spend 144250 + 38000 = 182250 p.
    expect(week).toMatchObject({
      demand_shifts: 6,
      filled_shifts: 5,
      unfilled_shifts: 1,
      filled_hours: 24.5,
      unfilled_hours: 8,
      locum_hours: 11.5,
      locum_spend_pence: 109250,
      spend_pence: 182250,
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
    // cancelled S1 and S4, 4 + 4 = 8 h. S1 was the only salaried shift: salaried 0 h, 0 p; spend
    // 182250 - 23200 = 159050 p.
    expect(week).toMatchObject({
      demand_shifts: 5,
      filled_shifts: 4,
      unfilled_shifts: 1,
      cancelled_shifts: 2,
      demand_hours: 28.5,
      filled_hours: 20.5,
      unfilled_hours: 8,
      cancelled_hours: 8,
      salaried_hours: 0,
      salaried_spend_pence: 0,
      spend_pence: 159050,
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

describe('network_week spend when a cost is missing', () => {
  let curatedStores: TestStores;
  beforeAll(async () => {
    curatedStores = await openTestStores('local');
  });
  afterAll(async () => {
    await curatedStores?.close();
  });

  it('leaves a filled shift without a cost out of spend and counts it, never as £0', async () => {
    await writeCuratedShifts(engine, curatedStores.curated, [
      // Week of 9 Nov: an agency GP 4 h at 48000 p and a salaried GP 4 h with no cost.
      {
        shift_id: 'F1',
        start: '2026-11-09 08:00',
        end: '2026-11-09 12:00',
        engagement: 'agency',
        cost_pence: 48000,
      },
      { shift_id: 'F2', start: '2026-11-09 13:00', end: '2026-11-09 17:00', cost_pence: null },
      // Week of 16 Nov: a salaried GP 4 h with no cost, and nothing else.
      { shift_id: 'F3', start: '2026-11-16 08:00', end: '2026-11-16 12:00', cost_pence: null },
    ]);
    const rows = tableRows(
      metricTable(await computeMetrics({ engine, curated: curatedStores.curated }), 'network_week'),
    );
    expect(rows).toEqual([
      // 9 Nov: 2 of 2 filled, 8 h: agency 4 of 8 = temporary share 0.5. Spend is F1's 48000 p
      // (F2 left out and counted: 1); salaried spend NULL (worked, cost unknown). Agency share of
      // the known spend 48000/48000 = 1.
      {
        network_code: 'U60865',
        icb_code: 'QMF',
        week_start: '2026-11-09',
        demand_shifts: 2,
        filled_shifts: 2,
        unfilled_shifts: 0,
        cancelled_shifts: 0,
        demand_hours: 8,
        filled_hours: 8,
        unfilled_hours: 0,
        fill_rate_shifts: 1,
        fill_rate_hours: 1,
        cancelled_hours: 0,
        salaried_hours: 4,
        bank_hours: 0,
        locum_hours: 0,
        agency_hours: 4,
        temporary_staffing_share: 0.5,
        spend_pence: 48000,
        salaried_spend_pence: null,
        bank_spend_pence: 0,
        locum_spend_pence: 0,
        agency_spend_pence: 48000,
        filled_shifts_without_cost: 1,
        agency_share_of_spend: 1,
        remote_hours: 0,
        remote_share: 0,
        extended_hours_filled: 0,
        ...NO_POPULATION,
      },
      // 16 Nov: F3 filled, 4 h, no cost: spend and salaried spend NULL (unknown, not £0),
      // agency share NULL; temporary share 0/4 = 0.
      {
        network_code: 'U60865',
        icb_code: 'QMF',
        week_start: '2026-11-16',
        demand_shifts: 1,
        filled_shifts: 1,
        unfilled_shifts: 0,
        cancelled_shifts: 0,
        demand_hours: 4,
        filled_hours: 4,
        unfilled_hours: 0,
        fill_rate_shifts: 1,
        fill_rate_hours: 1,
        cancelled_hours: 0,
        salaried_hours: 4,
        bank_hours: 0,
        locum_hours: 0,
        agency_hours: 0,
        temporary_staffing_share: 0,
        spend_pence: null,
        salaried_spend_pence: null,
        bank_spend_pence: 0,
        locum_spend_pence: 0,
        agency_spend_pence: 0,
        filled_shifts_without_cost: 1,
        agency_share_of_spend: null,
        remote_hours: 0,
        remote_share: 0,
        extended_hours_filled: 0,
        ...NO_POPULATION,
      },
    ]);
  });
});
