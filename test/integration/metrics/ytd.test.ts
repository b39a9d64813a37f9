/**
 * ytd on hand-made curated shifts with real DuckDB: spend so far in the NHS financial year (from
 * the week the network's data starts) by engagement, and the outturn projected from the recent
 * weekly run rate, against a budget and an agency budget. Every expected number is worked out in
 * the comments.
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

/** Some columns of each row, in order, for the tests that follow one thing. */
const pick = (rows: Record<string, unknown>[], columns: string[]) =>
  rows.map((r) => columns.map((c) => r[c]));

describe('ytd', () => {
  it('starts where the data starts mid-year and projects from the run rate, against budgets', async () => {
    // Financial year 2026/27: its weeks are the Mondays 6 April 2026 to 29 March 2027 (31 March
    // 2027 is a Wednesday). From Monday 24 August 2026 to Monday 29 March 2027: 7 days of August
    // + Sep 30 + Oct 31 + Nov 30 + Dec 31 + Jan 31 + Feb 28 + 29 = 217 days = 31 weeks, so 31
    // Mondays are left after the week of 24 August.
    const rows = await ytd(
      [
        // Week of 24 Aug: 100,000 salaried + 20,000 agency = 120,000.
        shift('A1', '2026-08-24', 'salaried', 100_000),
        shift('A2', '2026-08-26', 'agency', 20_000),
        // Week of 31 Aug: 100,000 + 40,000 = 140,000.
        shift('B1', '2026-08-31', 'salaried', 100_000),
        shift('B2', '2026-09-03', 'agency', 40_000),
        // No shift at all in the week of 7 Sep: not a week with data.
        // Week of 14 Sep: 100,000 salaried, no agency.
        shift('C1', '2026-09-15', 'salaried', 100_000),
        // Week of 21 Sep: an unfilled shift only. A week with data, spend 0.
        { shift_id: 'D1', start: '2026-09-22 09:00', end: '2026-09-22 13:00', status: 'unfilled' },
        // U99999: a budget without an agency budget (a 3-column budgets file).
        shift('E1', '2026-08-25', 'agency', 10_000, 'U99999'),
        // U77777: no budget.
        shift('F1', '2026-08-25', 'bank', 30_000, 'U77777'),
      ],
      {
        budgets: [
          {
            networkCode: 'U60865',
            financialYearStart: '2026-04-01',
            budgetPence: 3_000_000,
            agencyBudgetPence: 500_000,
          },
          { networkCode: 'U99999', financialYearStart: '2026-04-01', budgetPence: 200_000 },
          // A budget for a year with no data changes nothing.
          { networkCode: 'U77777', financialYearStart: '2025-04-01', budgetPence: 1 },
        ],
      },
    );
    const common = {
      icb_code: 'QMF',
      financial_year_start: '2026-04-01',
      // Not 1 April: the first week with data.
      data_start_week: '2026-08-24',
      ytd_bank_pence: 0,
      ytd_locum_pence: 0,
    };
    const u60865 = {
      ...common,
      network_code: 'U60865',
      budget_pence: 3_000_000,
      agency_budget_pence: 500_000,
    };
    expect(rows).toEqual([
      {
        ...u60865,
        week_start: '2026-08-24',
        spend_pence: 120_000,
        ytd_spend_pence: 120_000,
        ytd_salaried_pence: 100_000,
        ytd_agency_pence: 20_000,
        weeks_with_data: 1,
        // One week so far: the run rate is that week.
        run_rate_weeks: 1,
        run_rate_pence: 120_000,
        agency_run_rate_pence: 20_000,
        remaining_weeks: 31,
        // 120,000 + 120,000 x 31 = 3,840,000: 840,000 over the 3,000,000 budget.
        projected_outturn_pence: 3_840_000,
        budget_variance_pence: 840_000,
        // 20,000 + 20,000 x 31 = 640,000: 140,000 over the 500,000 agency budget.
        projected_agency_outturn_pence: 640_000,
        agency_budget_variance_pence: 140_000,
      },
      {
        ...u60865,
        week_start: '2026-08-31',
        spend_pence: 140_000,
        ytd_spend_pence: 260_000,
        ytd_salaried_pence: 200_000,
        ytd_agency_pence: 60_000,
        weeks_with_data: 2,
        // (120,000 + 140,000) / 2 = 130,000; agency (20,000 + 40,000) / 2 = 30,000.
        run_rate_weeks: 2,
        run_rate_pence: 130_000,
        agency_run_rate_pence: 30_000,
        remaining_weeks: 30,
        // 260,000 + 130,000 x 30 = 4,160,000; agency 60,000 + 30,000 x 30 = 960,000.
        projected_outturn_pence: 4_160_000,
        budget_variance_pence: 1_160_000,
        projected_agency_outturn_pence: 960_000,
        agency_budget_variance_pence: 460_000,
      },
      {
        ...u60865,
        week_start: '2026-09-14',
        spend_pence: 100_000,
        ytd_spend_pence: 360_000,
        ytd_salaried_pence: 300_000,
        ytd_agency_pence: 60_000,
        // The week of 7 Sep had no data: 3 weeks with data, not 4.
        weeks_with_data: 3,
        // 360,000 / 3 = 120,000; agency 60,000 / 3 = 20,000.
        run_rate_weeks: 3,
        run_rate_pence: 120_000,
        agency_run_rate_pence: 20_000,
        // The year's Mondays left still count the week of 7 Sep: 31 - 3 = 28.
        remaining_weeks: 28,
        // 360,000 + 120,000 x 28 = 3,720,000; agency 60,000 + 20,000 x 28 = 620,000.
        projected_outturn_pence: 3_720_000,
        budget_variance_pence: 720_000,
        projected_agency_outturn_pence: 620_000,
        agency_budget_variance_pence: 120_000,
      },
      {
        ...u60865,
        week_start: '2026-09-21',
        // Only an unfilled shift: no spend, but a week of the rota.
        spend_pence: 0,
        ytd_spend_pence: 360_000,
        ytd_salaried_pence: 300_000,
        ytd_agency_pence: 60_000,
        weeks_with_data: 4,
        // 360,000 / 4 = 90,000; agency 60,000 / 4 = 15,000.
        run_rate_weeks: 4,
        run_rate_pence: 90_000,
        agency_run_rate_pence: 15_000,
        remaining_weeks: 27,
        // 360,000 + 90,000 x 27 = 2,790,000: 210,000 under. Agency 60,000 + 15,000 x 27 = 465,000:
        // 35,000 under.
        projected_outturn_pence: 2_790_000,
        budget_variance_pence: -210_000,
        projected_agency_outturn_pence: 465_000,
        agency_budget_variance_pence: -35_000,
      },
      {
        ...common,
        network_code: 'U77777',
        week_start: '2026-08-24',
        spend_pence: 30_000,
        ytd_spend_pence: 30_000,
        ytd_salaried_pence: 0,
        ytd_bank_pence: 30_000,
        ytd_agency_pence: 0,
        weeks_with_data: 1,
        run_rate_weeks: 1,
        run_rate_pence: 30_000,
        agency_run_rate_pence: 0,
        remaining_weeks: 31,
        // 30,000 x 32 = 960,000; no budget for 2026/27, so no variances.
        projected_outturn_pence: 960_000,
        budget_pence: null,
        budget_variance_pence: null,
        projected_agency_outturn_pence: 0,
        agency_budget_pence: null,
        agency_budget_variance_pence: null,
      },
      {
        ...common,
        network_code: 'U99999',
        week_start: '2026-08-24',
        spend_pence: 10_000,
        ytd_spend_pence: 10_000,
        ytd_salaried_pence: 0,
        ytd_agency_pence: 10_000,
        weeks_with_data: 1,
        run_rate_weeks: 1,
        run_rate_pence: 10_000,
        agency_run_rate_pence: 10_000,
        remaining_weeks: 31,
        // 10,000 x 32 = 320,000: 120,000 over the 200,000 budget; no agency budget.
        projected_outturn_pence: 320_000,
        budget_pence: 200_000,
        budget_variance_pence: 120_000,
        projected_agency_outturn_pence: 320_000,
        agency_budget_pence: null,
        agency_budget_variance_pence: null,
      },
    ]);
  });

  it('takes the run rate over the last 8 weeks with data', async () => {
    // Nine Mondays, 5 Oct to 30 Nov 2026: 900,000 in the first week, 100,000 in each other.
    const mondays = ['10-05', '10-12', '10-19', '10-26', '11-02', '11-09', '11-16', '11-23'];
    const rows = await ytd([
      ...mondays.map((d, i) => shift(`R${i}`, `2026-${d}`, 'locum', i === 0 ? 900_000 : 100_000)),
      shift('R8', '2026-11-30', 'locum', 100_000),
    ]);
    const columns = [
      'week_start',
      'ytd_spend_pence',
      'weeks_with_data',
      'run_rate_weeks',
      'run_rate_pence',
      'remaining_weeks',
      'projected_outturn_pence',
    ];
    expect(pick(rows, columns).slice(-2)).toEqual([
      // 23 Nov, the 8th week: (900,000 + 7 x 100,000) / 8 = 200,000. 23 Nov to 29 Mar 2027:
      // 7 + 31 + 31 + 28 + 29 = 126 days = 18 weeks. 1,600,000 + 200,000 x 18 = 5,200,000.
      ['2026-11-23', 1_600_000, 8, 8, 200_000, 18, 5_200_000],
      // 30 Nov, the 9th: the week of 5 Oct drops out, 8 x 100,000 / 8 = 100,000. 17 weeks left:
      // 1,700,000 + 100,000 x 17 = 3,400,000.
      ['2026-11-30', 1_700_000, 9, 8, 100_000, 17, 3_400_000],
    ]);
  });

  it('puts a week that holds 1 April in the year of its Monday, with no weeks left', async () => {
    // 1 April 2026 is a Wednesday: its week starts Monday 30 March, the last Monday of 2025/26.
    const rows = await ytd(
      [
        shift('W1', '2026-03-30', 'bank', 10_000),
        shift('W2', '2026-04-01', 'agency', 26_500),
        shift('W3', '2026-04-06', 'locum', 12_000),
      ],
      {
        budgets: [
          {
            networkCode: 'U60865',
            financialYearStart: '2025-04-01',
            budgetPence: 30_000,
            agencyBudgetPence: 30_000,
          },
        ],
      },
    );
    expect(
      pick(rows, [
        'financial_year_start',
        'week_start',
        'data_start_week',
        'ytd_spend_pence',
        'remaining_weeks',
        'projected_outturn_pence',
        'budget_variance_pence',
        'projected_agency_outturn_pence',
        'agency_budget_variance_pence',
      ]),
    ).toEqual([
      // W1 + W2 = 36,500, the data starting that week. No Monday of 2025/26 is left: the outturn
      // is the spend, 6,500 over the 30,000 budget; agency 26,500, 3,500 under its 30,000.
      ['2025-04-01', '2026-03-30', '2026-03-30', 36_500, 0, 36_500, 6_500, 26_500, -3_500],
      // A new year from Monday 6 April, with no budget; its data starts again. 6 April 2026 to
      // 29 March 2027: 24 + 31 + 30 + 31 + 31 + 30 + 31 + 30 + 31 + 31 + 28 + 29 = 357 days =
      // 51 weeks left. 12,000 + 12,000 x 51 = 624,000.
      ['2026-04-01', '2026-04-06', '2026-04-06', 12_000, 51, 624_000, null, 0, null],
    ]);
  });

  it('restarts on 1 April, counting the Mondays of a year that has 53', async () => {
    const rows = await ytd([
      // Financial year 2023/24: 31 March 2024 is a Sunday, so its last Monday is 25 March.
      shift('Y1', '2024-03-18', 'salaried', 20_000),
      shift('Y2', '2024-03-19', 'bank', 30_000),
      // Sunday 31 March 2024 (the clock change is at 01:00, this is 09:00 BST).
      shift('Y3', '2024-03-31', 'locum', 40_000),
      // Not spend: a filled shift of unknown cost and a cancelled one.
      shift('Y4', '2024-03-27', 'salaried', null),
      { shift_id: 'Y5', start: '2024-03-28 09:00', end: '2024-03-28 13:00', status: 'cancelled' },
      // Financial year 2024/25: Monday 1 April 2024 to Monday 31 March 2025, 53 Mondays.
      shift('Y7', '2024-04-01', 'agency', 70_000),
      shift('Y8', '2024-04-10', 'locum', 35_000),
    ]);
    expect(
      pick(rows, [
        'financial_year_start',
        'week_start',
        'spend_pence',
        'ytd_spend_pence',
        'ytd_salaried_pence',
        'ytd_bank_pence',
        'ytd_locum_pence',
        'ytd_agency_pence',
        'run_rate_pence',
        'remaining_weeks',
        'projected_outturn_pence',
      ]),
    ).toEqual([
      // Y1 + Y2 = 50,000; one Monday (25 March) left: 50,000 + 50,000 = 100,000.
      ['2023-04-01', '2024-03-18', 50_000, 50_000, 20_000, 30_000, 0, 0, 50_000, 1, 100_000],
      // Y3 only; (50,000 + 40,000) / 2 = 45,000 a week, but no week is left: 90,000.
      ['2023-04-01', '2024-03-25', 40_000, 90_000, 20_000, 30_000, 40_000, 0, 45_000, 0, 90_000],
      // The running sums restart. 1 April 2024 to 31 March 2025 = 364 days = 52 Mondays left:
      // 70,000 + 70,000 x 52 = 3,710,000.
      ['2024-04-01', '2024-04-01', 70_000, 70_000, 0, 0, 0, 70_000, 70_000, 52, 3_710_000],
      // (70,000 + 35,000) / 2 = 52,500 a week, 51 left: 105,000 + 52,500 x 51 = 2,782,500.
      ['2024-04-01', '2024-04-08', 35_000, 105_000, 0, 0, 35_000, 70_000, 52_500, 51, 2_782_500],
    ]);
  });
});
