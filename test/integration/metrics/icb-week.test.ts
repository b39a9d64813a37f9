/**
 * icb_week on hand-made curated shifts, through real DuckDB: two networks in ICB QMF and one in
 * QHM. Every expected number is worked out in the comments; ratios come from the ICB's sums.
 */
import { describe, expect, it } from 'vitest';
import { tableRows } from '../../../src/engine/arrow-types.js';
import type { DuckDbEngine } from '../../../src/engine/duckdb-engine.js';
import { computeMetrics, metricTable } from '../../../src/metrics/compute-metrics.js';
import { writeCuratedShifts } from '../../helpers/curated-fixtures.js';
import { type TestStores, useStoresAndEngine } from '../../helpers/stores.js';

let stores: TestStores;
let engine: DuckDbEngine;
useStoresAndEngine((opened) => {
  ({ stores, engine } = opened);
});

/** A practice in U86966 (QMF) and one in U89141 (QHM), as in the reference data. */
const U86966 = { practice_code: 'F82001', network_code: 'U86966', icb_code: 'QMF' };
const U89141 = { practice_code: 'A81001', network_code: 'U89141', icb_code: 'QHM' };

/** No network has a population in these tests: none counts, the per-patient columns are NULL. */
const NO_POPULATION = {
  population: null,
  population_networks: 0,
  population_practices_missing: 0,
  filled_hours_per_1000: null,
  unfilled_hours_per_1000: null,
  spend_pence_per_1000: null,
  agency_spend_pence_per_1000: null,
};

describe('icb_week', () => {
  it('sums networks into their ICB and recomputes every ratio from the sums', async () => {
    await writeCuratedShifts(engine, stores.curated, [
      // U60865 (QMF; the fixture default, F84025), week of 9 Nov: salaried 4 h at 20000 p,
      // unfilled 4 h, cancelled 4 h.
      { shift_id: 'N1', start: '2026-11-09 08:00', end: '2026-11-09 12:00', cost_pence: 20000 },
      { shift_id: 'N2', start: '2026-11-09 13:00', end: '2026-11-09 17:00', status: 'unfilled' },
      { shift_id: 'N3', start: '2026-11-10 08:00', end: '2026-11-10 12:00', status: 'cancelled' },
      // U86966 (QMF), week of 9 Nov: agency 6 h at 72000 p; bank 2 h remote with no cost; locum
      // Saturday 3 h, extended hours, at 30000 p.
      {
        shift_id: 'N4',
        ...U86966,
        start: '2026-11-10 08:00',
        end: '2026-11-10 14:00',
        engagement: 'agency',
        cost_pence: 72000,
      },
      {
        shift_id: 'N5',
        ...U86966,
        start: '2026-11-11 09:00',
        end: '2026-11-11 11:00',
        engagement: 'bank',
        delivery: 'remote',
        cost_pence: null,
      },
      {
        shift_id: 'N6',
        ...U86966,
        start: '2026-11-14 09:00',
        end: '2026-11-14 12:00',
        engagement: 'locum',
        session_type: 'extended_hours',
        cost_pence: 30000,
      },
      // U89141 (QHM): week of 9 Nov an unfilled 4 h; week of 16 Nov a cancelled 2 h only.
      {
        shift_id: 'N7',
        ...U89141,
        start: '2026-11-09 08:00',
        end: '2026-11-09 12:00',
        status: 'unfilled',
      },
      {
        shift_id: 'N8',
        ...U89141,
        start: '2026-11-16 08:00',
        end: '2026-11-16 10:00',
        status: 'cancelled',
      },
    ]);
    const rows = tableRows(
      metricTable(await computeMetrics({ engine, curated: stores.curated }), 'icb_week'),
    );
    expect(rows).toEqual([
      // QHM, 9 Nov: U89141's N7 only. Demand 1, filled 0: fill rate 0 (not NULL: there was
      // demand). Nothing filled: shares of filled hours NULL; nothing spent (0), agency share NULL.
      {
        icb_code: 'QHM',
        week_start: '2026-11-09',
        networks_reporting: 1,
        demand_shifts: 1,
        filled_shifts: 0,
        unfilled_shifts: 1,
        cancelled_shifts: 0,
        demand_hours: 4,
        filled_hours: 0,
        unfilled_hours: 4,
        fill_rate_shifts: 0,
        fill_rate_hours: 0,
        cancelled_hours: 0,
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
      // QHM, 16 Nov: N8 cancelled (2 h) only. U89141 still reports (1 network), demand 0: fill
      // rates NULL.
      {
        icb_code: 'QHM',
        week_start: '2026-11-16',
        networks_reporting: 1,
        demand_shifts: 0,
        filled_shifts: 0,
        unfilled_shifts: 0,
        cancelled_shifts: 1,
        demand_hours: 0,
        filled_hours: 0,
        unfilled_hours: 0,
        fill_rate_shifts: null,
        fill_rate_hours: null,
        cancelled_hours: 2,
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
      // QMF, 9 Nov: U60865 and U86966 (2 networks). Filled N1 4 h, N4 6 h, N5 2 h, N6 3 h = 4
      // shifts, 15 h; unfilled N2 4 h; demand 5 shifts, 19 h. Fill rate 4/5 = 0.8 by shifts, not
      // the mean of the networks' 1/2 and 3/3 (0.75); 15/19 by hours, not the mean of 4/8 and
      // 11/11. N3 cancelled, 4 h.
      // Salaried 4, bank 2, locum 3, agency 6: temporary share (2 + 3 + 6) / 15 = 11/15.
      // Spend 20000 + 72000 + 30000 = 122000 p; N5 has no cost: left out, counted (1), and bank
      // spend NULL. Agency share 72000/122000. Remote N5 2 h: 2/15. Extended N6 3 h.
      {
        icb_code: 'QMF',
        week_start: '2026-11-09',
        networks_reporting: 2,
        demand_shifts: 5,
        filled_shifts: 4,
        unfilled_shifts: 1,
        cancelled_shifts: 1,
        demand_hours: 19,
        filled_hours: 15,
        unfilled_hours: 4,
        fill_rate_shifts: 4 / 5,
        fill_rate_hours: 15 / 19,
        cancelled_hours: 4,
        salaried_hours: 4,
        bank_hours: 2,
        locum_hours: 3,
        agency_hours: 6,
        temporary_staffing_share: 11 / 15,
        spend_pence: 122000,
        salaried_spend_pence: 20000,
        bank_spend_pence: null,
        locum_spend_pence: 30000,
        agency_spend_pence: 72000,
        filled_shifts_without_cost: 1,
        agency_share_of_spend: 72000 / 122000,
        remote_hours: 2,
        remote_share: 2 / 15,
        extended_hours_filled: 3,
        ...NO_POPULATION,
      },
    ]);
  });
});

describe('icb_week for a network with practices in two ICBs', () => {
  it('counts the whole network, and its population once, in its one ICB', async () => {
    // U41591 (Coast and Country): L82008 in Cornwall (QT6), L83012 in Devon (QJK); its one ICB is
    // QJK (organisations.ts). A 4 h shift at each practice; population 30,000.
    const coast = { network_code: 'U41591' };
    await writeCuratedShifts(engine, stores.curated, [
      {
        shift_id: 'C1',
        ...coast,
        practice_code: 'L82008',
        icb_code: 'QT6',
        start: '2026-11-09 08:00',
        end: '2026-11-09 12:00',
      },
      {
        shift_id: 'C2',
        ...coast,
        practice_code: 'L83012',
        icb_code: 'QJK',
        start: '2026-11-10 08:00',
        end: '2026-11-10 12:00',
      },
    ]);
    const all = tableRows(
      metricTable(
        await computeMetrics({
          engine,
          curated: stores.curated,
          parameters: {
            networkIcbs: [{ networkCode: 'U41591', icbCode: 'QJK' }],
            populations: [
              {
                networkCode: 'U41591',
                patients: 30_000,
                practicesMissing: 0,
                basis: 'registered',
                source: 'test',
              },
            ],
          },
        }),
        'icb_week',
      ),
    );
    // (The other test's shifts are in the store too: QMF and QHM.)
    const rows = all.filter((r) => r.icb_code === 'QJK' || r.icb_code === 'QT6');
    // One ICB, both shifts (8 h), 30,000 patients: 8 x 1000 / 30,000 filled hours per 1,000.
    // Before: a QT6 and a QJK row of 4 h each, each with all 30,000 patients.
    expect(
      rows.map((r) => [r.icb_code, r.networks_reporting, r.filled_hours, r.population]),
    ).toEqual([['QJK', 1, 8, 30_000]]);
    expect(rows[0]?.filled_hours_per_1000).toBeCloseTo(8_000 / 30_000, 12);
  });
});
