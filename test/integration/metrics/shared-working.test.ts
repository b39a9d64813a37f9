/**
 * shared_working on hand-made curated shifts and availability (real DuckDB). Network U60865,
 * practices F84025, F84054, F84062 and F84698; every expected number is worked out in the comments.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tableRows } from '../../../src/engine/arrow-types.js';
import { DuckDbEngine } from '../../../src/engine/duckdb-engine.js';
import { computeMetrics, metricTable } from '../../../src/metrics/compute-metrics.js';
import type { MetricParameters } from '../../../src/metrics/metric-parameters.js';
import {
  type AvailabilityFixture,
  type ShiftFixture,
  writeCuratedAvailability,
  writeCuratedShifts,
} from '../../helpers/curated-fixtures.js';
import { openTestStores, type TestStores } from '../../helpers/stores.js';

let stores: TestStores;
let engine: DuckDbEngine;
beforeEach(async () => {
  stores = await openTestStores('local');
  engine = await DuckDbEngine.open();
});
afterEach(async () => {
  await engine?.close();
  await stores?.close();
});

async function sharedWorking(parameters?: Partial<MetricParameters>) {
  await writeCuratedShifts(engine, stores.curated, SHIFTS);
  await writeCuratedAvailability(engine, stores.curated, AVAILABILITY);
  return tableRows(
    metricTable(
      await computeMetrics({ engine, curated: stores.curated, parameters }),
      'shared_working',
    ),
  );
}

const ROW = { network_code: 'U60865', icb_code: 'QMF' };

const SHIFTS: ShiftFixture[] = [
  // Week of 2 November: one cancelled shift and nothing else.
  { shift_id: 'Z1', status: 'cancelled', start: '2026-11-03 09:00', end: '2026-11-03 13:00' },

  // Week of 9 November: four clinicians.
  // a: home F84025 from availability; F84025 4 h + F84698 3 h. Away 3 h; two practices.
  { shift_id: 'A1', clinician_key: 'a', start: '2026-11-09 09:00', end: '2026-11-09 13:00' },
  {
    shift_id: 'A2',
    clinician_key: 'a',
    practice_code: 'F84698',
    start: '2026-11-10 09:00',
    end: '2026-11-10 12:00',
  },
  // b: no availability; F84698 5 h + F84025 2 h, so home is F84698 (most hours). Away 2 h; two
  // practices.
  {
    shift_id: 'B1',
    clinician_key: 'b',
    practice_code: 'F84698',
    start: '2026-11-09 09:00',
    end: '2026-11-09 14:00',
  },
  { shift_id: 'B2', clinician_key: 'b', start: '2026-11-11 09:00', end: '2026-11-11 11:00' },
  // c: availability without a home practice; F84062 3 h + F84054 3 h, a tie, so home is the lower
  // code F84054. Away 3 h (F84062); two practices.
  {
    shift_id: 'C1',
    clinician_key: 'c',
    practice_code: 'F84062',
    start: '2026-11-09 09:00',
    end: '2026-11-09 12:00',
  },
  {
    shift_id: 'C2',
    clinician_key: 'c',
    practice_code: 'F84054',
    start: '2026-11-10 09:00',
    end: '2026-11-10 12:00',
  },
  // d: home F84025 from availability, but worked only at F84698 (4 h): all 4 h away, one practice.
  {
    shift_id: 'D1',
    clinician_key: 'd',
    practice_code: 'F84698',
    start: '2026-11-12 09:00',
    end: '2026-11-12 13:00',
  },
  // A filled shift with no known clinician (2 h) and an unfilled one (4 h): neither counts.
  { shift_id: 'X1', clinician_key: null, start: '2026-11-13 09:00', end: '2026-11-13 11:00' },
  { shift_id: 'U1', status: 'unfilled', start: '2026-11-13 13:00', end: '2026-11-13 17:00' },

  // Week of 16 November: two clinicians.
  // e: F84025 4 h; home F84025; nothing away.
  { shift_id: 'E1', clinician_key: 'e', start: '2026-11-16 09:00', end: '2026-11-16 13:00' },
  // f: F84698 2 h + F84025 2 h, a tie, so home is F84025. Away 2 h; two practices.
  {
    shift_id: 'F1',
    clinician_key: 'f',
    practice_code: 'F84698',
    start: '2026-11-17 09:00',
    end: '2026-11-17 11:00',
  },
  { shift_id: 'F2', clinician_key: 'f', start: '2026-11-18 09:00', end: '2026-11-18 11:00' },
];

const AVAILABILITY: AvailabilityFixture[] = [
  {
    clinician_key: 'a',
    week_start: '2026-11-09',
    home_practice_code: 'F84025',
    available_hours: 8,
  },
  { clinician_key: 'c', week_start: '2026-11-09', home_practice_code: null, available_hours: 8 },
  {
    clinician_key: 'd',
    week_start: '2026-11-09',
    home_practice_code: 'F84025',
    available_hours: 8,
  },
];

// Week of 2 November: no clinician worked, so there is nothing to share or to suppress.
const EMPTY_WEEK = {
  ...ROW,
  week_start: '2026-11-02',
  clinicians: 0,
  clinicians_home_from_availability: 0,
  suppressed: false,
  filled_hours: 0,
  hours_away_from_home: null,
  away_from_home_share: null,
  clinicians_multi_practice: null,
};
// Week of 9 November: clinicians a, b, c, d (4 >= 3); home from availability for a and d.
// Filled hours 7 + 7 + 6 + 4 = 24 (X1 has no clinician). Away 3 + 2 + 3 + 4 = 12 h; share
// 12 / 24 = 50%. At two or more practices: a, b, c.
const WEEK_9 = {
  ...ROW,
  week_start: '2026-11-09',
  clinicians: 4,
  clinicians_home_from_availability: 2,
  suppressed: false,
  filled_hours: 24,
  hours_away_from_home: 12,
  away_from_home_share: 0.5,
  clinicians_multi_practice: 3,
};
// Week of 16 November: clinicians e and f; filled 4 + 4 = 8 h.
const WEEK_16 = {
  ...ROW,
  week_start: '2026-11-16',
  clinicians: 2,
  clinicians_home_from_availability: 0,
  filled_hours: 8,
};

describe('shared_working', () => {
  it('measures hours away from home and multi-practice clinicians, suppressing weeks of fewer than 3 clinicians', async () => {
    expect(await sharedWorking()).toEqual([
      EMPTY_WEEK,
      WEEK_9,
      // 2 clinicians = k - 1 at the default k = 3: suppressed.
      {
        ...WEEK_16,
        suppressed: true,
        hours_away_from_home: null,
        away_from_home_share: null,
        clinicians_multi_practice: null,
      },
    ]);
  });

  it('takes k from the parameters: at k = 2 the two-clinician week is shown', async () => {
    expect(await sharedWorking({ minClinicians: 2 })).toEqual([
      EMPTY_WEEK,
      WEEK_9,
      // 2 clinicians = k: shown. Away: f's 2 h at F84698; share 2 / 8 = 25%; f at two practices.
      {
        ...WEEK_16,
        suppressed: false,
        hours_away_from_home: 2,
        away_from_home_share: 0.25,
        clinicians_multi_practice: 1,
      },
    ]);
  });
});
