/**
 * practice_week on hand-made curated shifts, through real DuckDB. Every expected number is worked
 * out in the comments; hours are whole or half hours so the sums are exact.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tableRows } from '../../../src/engine/arrow-types.js';
import { DuckDbEngine } from '../../../src/engine/duckdb-engine.js';
import { computeMetrics, metricTable } from '../../../src/metrics/compute-metrics.js';
import { type ShiftFixture, writeCuratedShifts } from '../../helpers/curated-fixtures.js';
import { openTestStores, type TestStores } from '../../helpers/stores.js';

let stores: TestStores;
let engine: DuckDbEngine;
beforeAll(async () => {
  engine = await DuckDbEngine.open();
});
afterAll(async () => {
  await engine?.close();
});
beforeEach(async () => {
  stores = await openTestStores('local');
});
afterEach(async () => {
  await stores?.close();
});

async function practiceWeek(shifts: readonly ShiftFixture[]) {
  await writeCuratedShifts(engine, stores.curated, shifts);
  return tableRows(
    metricTable(await computeMetrics({ engine, curated: stores.curated }), 'practice_week'),
  );
}

describe('practice_week', () => {
  it('counts demand, cover, fill mix and spend per practice and week', async () => {
    const rows = await practiceWeek([
      // F84025 (network U60865), week of Monday 9 November 2026.
      { shift_id: 'A1', start: '2026-11-09 08:00', end: '2026-11-09 12:00', cost_pence: 20000 },
      {
        shift_id: 'A2',
        start: '2026-11-10 08:00',
        end: '2026-11-10 14:00',
        break_minutes: 30,
        engagement: 'agency',
        cost_pence: 66000,
      },
      {
        shift_id: 'A3',
        start: '2026-11-11 09:00',
        end: '2026-11-11 13:00',
        engagement: 'locum',
        delivery: 'remote',
        cost_pence: null,
      },
      { shift_id: 'A4', start: '2026-11-12 14:00', end: '2026-11-12 18:00', status: 'unfilled' },
      { shift_id: 'A5', start: '2026-11-13 08:00', end: '2026-11-13 11:00', status: 'cancelled' },
      // Starts Sunday 15 November 23:30, ends Monday: the week of that Sunday (9 Nov), not 16 Nov.
      { shift_id: 'A6', start: '2026-11-15 23:30', end: '2026-11-16 07:30', status: 'unfilled' },
      {
        shift_id: 'A7',
        start: '2026-11-14 09:00',
        end: '2026-11-14 12:00',
        role: 'practice_nurse',
        engagement: 'bank',
        session_type: 'extended_hours',
        cost_pence: 7500,
      },
      // F84054 (U60865): a cancelled shift and nothing else.
      {
        shift_id: 'B1',
        practice_code: 'F84054',
        start: '2026-11-09 13:00',
        end: '2026-11-09 17:00',
        status: 'cancelled',
      },
      // F84062 (U60865): one filled salaried shift with no cost.
      {
        shift_id: 'C1',
        practice_code: 'F84062',
        start: '2026-11-10 08:00',
        end: '2026-11-10 16:00',
        break_minutes: 60,
        cost_pence: null,
      },
    ]);
    expect(rows).toEqual([
      // F84025. Filled: A1 salaried 4 h, A2 agency 6 - 0.5 = 5.5 h, A3 locum 4 h, A7 bank 3 h
      // = 4 shifts, 16.5 h. Unfilled: A4 4 h, A6 23:30-07:30 8 h = 2 shifts, 12 h. Demand 6 shifts,
      // 28.5 h: fill rate 4/6 and 16.5/28.5. A5 cancelled, 3 h, not in demand.
      // Temporary share (bank 3 + locum 4 + agency 5.5) / 16.5 = 12.5/16.5.
      // Spend: A1 20000 + A2 66000 + A7 7500 = 93500 p; A3 has no cost, so it is left out and
      // counted (1), and locum spend is NULL (a locum worked, cost unknown), not 0.
      // Agency share 66000/93500. Remote: A3 4 h of 16.5. Extended hours: A7 3 h.
      {
        practice_code: 'F84025',
        network_code: 'U60865',
        icb_code: 'QMF',
        week_start: '2026-11-09',
        demand_shifts: 6,
        filled_shifts: 4,
        unfilled_shifts: 2,
        cancelled_shifts: 1,
        demand_hours: 28.5,
        filled_hours: 16.5,
        unfilled_hours: 12,
        fill_rate_shifts: 4 / 6,
        fill_rate_hours: 16.5 / 28.5,
        cancelled_hours: 3,
        salaried_hours: 4,
        bank_hours: 3,
        locum_hours: 4,
        agency_hours: 5.5,
        temporary_staffing_share: 12.5 / 16.5,
        spend_pence: 93500,
        salaried_spend_pence: 20000,
        bank_spend_pence: 7500,
        locum_spend_pence: null,
        agency_spend_pence: 66000,
        filled_shifts_without_cost: 1,
        agency_share_of_spend: 66000 / 93500,
        remote_hours: 4,
        remote_share: 4 / 16.5,
        extended_hours_filled: 3,
        suppressed: false,
      },
      // F84054: B1 cancelled (4 h) only. Demand 0, so the fill rates are NULL; nothing filled, so
      // the shares of filled hours are NULL; nothing spent (0), so the agency share is NULL.
      {
        practice_code: 'F84054',
        network_code: 'U60865',
        icb_code: 'QMF',
        week_start: '2026-11-09',
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
        suppressed: false,
      },
      // F84062: C1 salaried 8 - 1 = 7 h, filled, no cost. Temporary share 0/7 = 0. Spend is
      // unknown (NULL), not £0, total and salaried; so is the agency share.
      {
        practice_code: 'F84062',
        network_code: 'U60865',
        icb_code: 'QMF',
        week_start: '2026-11-09',
        demand_shifts: 1,
        filled_shifts: 1,
        unfilled_shifts: 0,
        cancelled_shifts: 0,
        demand_hours: 7,
        filled_hours: 7,
        unfilled_hours: 0,
        fill_rate_shifts: 1,
        fill_rate_hours: 1,
        cancelled_hours: 0,
        salaried_hours: 7,
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
        suppressed: false,
      },
    ]);
  });

  it('gives a hub site used by two networks a row per network', async () => {
    // Hub Y00001 books an evening shift 18:30-20:30 (2 h) for U60865, filled by a locum at
    // 40000 p, and the same for U86966, unfilled.
    const rows = await practiceWeek([
      {
        shift_id: 'H1',
        practice_code: 'Y00001',
        start: '2026-11-11 18:30',
        end: '2026-11-11 20:30',
        engagement: 'locum',
        session_type: 'extended_hours',
        cost_pence: 40000,
      },
      {
        shift_id: 'H2',
        practice_code: 'Y00001',
        network_code: 'U86966',
        start: '2026-11-11 18:30',
        end: '2026-11-11 20:30',
        status: 'unfilled',
      },
    ]);
    // Each network sees only its own shift: U60865 1 of 1 filled (2 h, locum, 40000 p, extended
    // hours); U86966 0 of 1 (2 h unfilled).
    expect(
      rows.map((r) => [r.practice_code, r.network_code, r.fill_rate_hours, r.spend_pence]),
    ).toEqual([
      ['Y00001', 'U60865', 1, 40000],
      ['Y00001', 'U86966', 0, 0],
    ]);
  });
});
