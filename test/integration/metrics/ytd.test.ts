/**
 * ytd on hand-made curated shifts with real DuckDB: spend so far in the NHS financial year (from
 * 1 April) by engagement, and a straight-line projection against a budget. Every expected number
 * is worked out in the comments.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tableRows } from '../../../src/engine/arrow-types.js';
import { DuckDbEngine } from '../../../src/engine/duckdb-engine.js';
import { computeMetrics, metricTable } from '../../../src/metrics/compute-metrics.js';
import type { MetricParameters } from '../../../src/metrics/metric-parameters.js';
import { type ShiftFixture, writeCuratedShifts } from '../../helpers/curated-fixtures.js';
import { openTestStores, type TestStores } from '../../helpers/stores.js';

let stores: TestStores | undefined;
let engine: DuckDbEngine;
beforeAll(async () => {
  engine = await DuckDbEngine.open();
});
afterEach(async () => {
  await stores?.close();
  stores = undefined;
});
afterAll(async () => {
  await engine?.close();
});

async function ytd(shifts: ShiftFixture[], parameters: Partial<MetricParameters> = {}) {
  stores = await openTestStores('local');
  await writeCuratedShifts(engine, stores.curated, shifts);
  return tableRows(
    metricTable(await computeMetrics({ engine, curated: stores.curated, parameters }), 'ytd'),
  );
}

/** A filled shift 09:00-13:00 (4 h) on a day, at a cost. */
const shift = (
  shift_id: string,
  day: string,
  engagement: string,
  cost_pence: number | null,
  network_code = 'U60865',
): ShiftFixture => ({
  shift_id,
  start: `${day} 09:00`,
  end: `${day} 13:00`,
  engagement,
  cost_pence,
  network_code,
});

const NO_SPEND = {
  ytd_salaried_pence: 0,
  ytd_bank_pence: 0,
  ytd_locum_pence: 0,
  ytd_agency_pence: 0,
};

describe('ytd', () => {
  it('restarts on 1 April and projects the outturn against a budget', async () => {
    const rows = await ytd(
      [
        // Financial year 2023/24 (1 April 2023 - 31 March 2024, 366 days: it holds 29 Feb 2024).
        shift('Y1', '2024-03-18', 'salaried', 20_000),
        shift('Y2', '2024-03-19', 'bank', 30_000),
        // Sunday 31 March 2024 (the clock change is at 01:00, this is 09:00 BST).
        shift('Y3', '2024-03-31', 'locum', 40_000),
        // Not spend: a filled shift of unknown cost, an unfilled and a cancelled one.
        shift('Y4', '2024-03-27', 'salaried', null),
        { shift_id: 'Y5', start: '2024-03-28 09:00', end: '2024-03-28 13:00', status: 'unfilled' },
        { shift_id: 'Y6', start: '2024-03-28 09:00', end: '2024-03-28 13:00', status: 'cancelled' },
        // Financial year 2024/25 (1 April 2024 - 31 March 2025, 365 days): Monday 1 April 2024.
        shift('Y7', '2024-04-01', 'agency', 70_000),
        shift('Y8', '2024-04-10', 'locum', 35_000),
        // Another network, with no budget.
        shift('Y9', '2024-04-02', 'salaried', 7_000, 'U99999'),
      ],
      {
        budgets: [
          { networkCode: 'U60865', financialYearStart: '2024-04-01', budgetPence: 3_000_000 },
          // A budget for a year with no data changes nothing.
          { networkCode: 'U60865', financialYearStart: '2025-04-01', budgetPence: 1 },
        ],
      },
    );
    expect(rows).toEqual([
      {
        network_code: 'U60865',
        icb_code: 'QMF',
        financial_year_start: '2023-04-01',
        week_start: '2024-03-18',
        // Y1 + Y2 = 20,000 + 30,000.
        spend_pence: 50_000,
        ytd_spend_pence: 50_000,
        ...NO_SPEND,
        ytd_salaried_pence: 20_000,
        ytd_bank_pence: 30_000,
        // 1 April 2023 to Sunday 24 March 2024 inclusive: 275 days to 1 January (Apr 30 + May 31
        // + Jun 30 + Jul 31 + Aug 31 + Sep 30 + Oct 31 + Nov 30 + Dec 31), + Jan 31 + Feb 29
        // + 24 = 359.
        days_elapsed: 359,
        days_in_year: 366,
        // 50,000 / 359 * 366 = 50,974.93 pence.
        projected_outturn_pence: (50_000 / 359) * 366,
        budget_pence: null,
        budget_variance_pence: null,
      },
      {
        network_code: 'U60865',
        icb_code: 'QMF',
        financial_year_start: '2023-04-01',
        week_start: '2024-03-25',
        // Y3 (Sunday 31 March); Y4 has no cost, Y5 and Y6 are not filled.
        spend_pence: 40_000,
        ytd_spend_pence: 90_000,
        ...NO_SPEND,
        ytd_salaried_pence: 20_000,
        ytd_bank_pence: 30_000,
        ytd_locum_pence: 40_000,
        // The week ends on 31 March: the whole year has elapsed, and the projection is the spend.
        days_elapsed: 366,
        days_in_year: 366,
        projected_outturn_pence: 90_000,
        budget_pence: null,
        budget_variance_pence: null,
      },
      {
        network_code: 'U60865',
        icb_code: 'QMF',
        financial_year_start: '2024-04-01',
        week_start: '2024-04-01',
        // Monday 1 April: a new year, so the running sum restarts at Y7.
        spend_pence: 70_000,
        ytd_spend_pence: 70_000,
        ...NO_SPEND,
        ytd_agency_pence: 70_000,
        // 1-7 April: 7 days. 70,000 / 7 * 365 = 10,000 a day for 365 days = 3,650,000.
        days_elapsed: 7,
        days_in_year: 365,
        projected_outturn_pence: 3_650_000,
        budget_pence: 3_000_000,
        // 3,650,000 - 3,000,000: heading 650,000 pence (£6,500) over.
        budget_variance_pence: 650_000,
      },
      {
        network_code: 'U60865',
        icb_code: 'QMF',
        financial_year_start: '2024-04-01',
        week_start: '2024-04-08',
        // Y8 (Wednesday 10 April); so far 70,000 + 35,000 = 105,000.
        spend_pence: 35_000,
        ytd_spend_pence: 105_000,
        ...NO_SPEND,
        ytd_locum_pence: 35_000,
        ytd_agency_pence: 70_000,
        // 1-14 April: 14 days. 105,000 / 14 = 7,500 a day; x 365 = 2,737,500.
        days_elapsed: 14,
        days_in_year: 365,
        projected_outturn_pence: 2_737_500,
        budget_pence: 3_000_000,
        // 2,737,500 - 3,000,000 = -262,500: under budget.
        budget_variance_pence: -262_500,
      },
      {
        network_code: 'U99999',
        icb_code: 'QMF',
        financial_year_start: '2024-04-01',
        week_start: '2024-04-01',
        // Y9: 7,000 / 7 days * 365 = 365,000; no budget for U99999.
        spend_pence: 7_000,
        ytd_spend_pence: 7_000,
        ...NO_SPEND,
        ytd_salaried_pence: 7_000,
        days_elapsed: 7,
        days_in_year: 365,
        projected_outturn_pence: 365_000,
        budget_pence: null,
        budget_variance_pence: null,
      },
    ]);
  });

  it('puts a week that holds 1 April in the financial year of its Monday', async () => {
    // 1 April 2026 is a Wednesday: its week starts Monday 30 March, in 2025/26.
    const rows = await ytd([
      shift('W1', '2026-03-30', 'bank', 10_000),
      shift('W2', '2026-04-01', 'bank', 26_500),
      shift('W3', '2026-04-06', 'locum', 12_000),
    ]);
    expect(
      rows.map((r) => [
        r.financial_year_start,
        r.week_start,
        r.ytd_spend_pence,
        r.days_elapsed,
        r.days_in_year,
        r.projected_outturn_pence,
      ]),
    ).toEqual([
      // W1 + W2 = 36,500. 1 April 2025 to Sunday 5 April 2026 is 370 days, capped at the 365 of
      // the year: the projection is the spend.
      ['2025-04-01', '2026-03-30', 36_500, 365, 365, 36_500],
      // A new year from Monday 6 April: 1-12 April = 12 days. 12,000 / 12 * 365 = 365,000.
      ['2026-04-01', '2026-04-06', 12_000, 12, 365, 365_000],
    ]);
  });
});
