/**
 * rates on hand-made curated shifts with real DuckDB: cost per hour by role and engagement, shifts
 * above a configured cap, and suppression below k distinct clinicians. Every expected number is
 * worked out in the comments.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableRows } from '../../../src/engine/arrow-types.js';
import { DuckDbEngine } from '../../../src/engine/duckdb-engine.js';
import { computeMetrics, metricTable } from '../../../src/metrics/compute-metrics.js';
import {
  ILLUSTRATIVE_RATE_CAPS_PENCE_PER_HOUR,
  type MetricParameters,
} from '../../../src/metrics/metric-parameters.js';
import { type ShiftFixture, writeCuratedShifts } from '../../helpers/curated-fixtures.js';
import { openTestStores, type TestStores } from '../../helpers/stores.js';

let stores: TestStores;
let engine: DuckDbEngine;
beforeAll(async () => {
  stores = await openTestStores('local');
  engine = await DuckDbEngine.open();
  await writeCuratedShifts(engine, stores.curated, SHIFTS);
});
afterAll(async () => {
  await engine?.close();
  await stores?.close();
});

const AM = { start: '2026-11-09 08:30', end: '2026-11-09 12:30' }; // 4 h
const PM = { start: '2026-11-09 14:00', end: '2026-11-09 18:30', break_minutes: 30 }; // 4 h
const DAY = { start: '2026-11-10 09:00', end: '2026-11-10 17:00', break_minutes: 60 }; // 7 h
const LONG = { start: '2026-11-11 08:00', end: '2026-11-11 16:00' }; // 8 h

/** All in the week of Monday 9 November 2026, network U60865. */
const SHIFTS: ShiftFixture[] = [
  // GP locums: 3 clinicians (a, b, c).
  {
    shift_id: 'R1',
    ...AM,
    role: 'gp',
    engagement: 'locum',
    clinician_key: 'a',
    cost_pence: 38_000,
  },
  {
    shift_id: 'R2',
    ...PM,
    role: 'gp',
    engagement: 'locum',
    clinician_key: 'b',
    cost_pence: 40_000,
  },
  {
    shift_id: 'R3',
    ...AM,
    role: 'gp',
    engagement: 'locum',
    clinician_key: 'c',
    cost_pence: 44_000,
  },
  { shift_id: 'R4', ...PM, role: 'gp', engagement: 'locum', clinician_key: 'a', cost_pence: null },
  // GP agency: 3 shifts but only 2 clinicians (d twice, e).
  {
    shift_id: 'R5',
    ...AM,
    role: 'gp',
    engagement: 'agency',
    clinician_key: 'd',
    cost_pence: 48_000,
  },
  {
    shift_id: 'R6',
    ...PM,
    role: 'gp',
    engagement: 'agency',
    clinician_key: 'e',
    cost_pence: 46_000,
  },
  {
    shift_id: 'R7',
    ...PM,
    role: 'gp',
    engagement: 'agency',
    clinician_key: 'd',
    cost_pence: 47_000,
  },
  // A salaried GP whose cost the source does not give.
  { shift_id: 'R8', ...AM, role: 'gp', clinician_key: 'i', cost_pence: null },
  // Salaried practice nurses: 3 clinicians.
  { shift_id: 'R9', ...DAY, role: 'practice_nurse', clinician_key: 'f', cost_pence: 21_000 },
  { shift_id: 'R10', ...DAY, role: 'practice_nurse', clinician_key: 'g', cost_pence: 21_000 },
  { shift_id: 'R11', ...DAY, role: 'practice_nurse', clinician_key: 'h', cost_pence: 24_500 },
  // Bank paramedics: 3 clinicians, a role without a cap in these tests.
  ...['j', 'k', 'l'].map((c, i) => ({
    shift_id: `R${12 + i}`,
    ...LONG,
    role: 'paramedic',
    engagement: 'bank',
    clinician_key: c,
    cost_pence: 32_000,
  })),
  // Not in rates: unfilled and cancelled shifts.
  { shift_id: 'R15', ...AM, role: 'gp', status: 'unfilled' },
  { shift_id: 'R16', ...AM, role: 'gp', status: 'cancelled' },
];

/** £100 an hour for GPs, £45 for practice nurses; no cap for paramedics. */
const CAPS = { gp: 10_000, practice_nurse: 4_500 };

async function rates(parameters: Partial<MetricParameters>) {
  return tableRows(
    metricTable(await computeMetrics({ engine, curated: stores.curated, parameters }), 'rates'),
  );
}

const base = { network_code: 'U60865', icb_code: 'QMF', week_start: '2026-11-09' };

// Rows that do not depend on k (3 clinicians each, or nothing costed).
const GP_LOCUM = {
  ...base,
  role: 'gp',
  engagement: 'locum',
  // R1-R4: 4 shifts, 16 h; R4 has no cost, so 3 costed shifts, 12 h.
  filled_shifts: 4,
  filled_hours: 16,
  costed_shifts: 3,
  costed_hours: 12,
  // 38,000 + 40,000 + 44,000 = 122,000 pence over 12 h = 10,166.67 pence an hour.
  spend_pence: 122_000,
  cost_per_hour_pence: 122_000 / 12,
  cap_pence_per_hour: 10_000,
  // Per shift: R1 9,500/h, R2 10,000/h (at the cap, not above), R3 11,000/h (above): 1.
  shifts_above_cap: 1,
  suppressed: false,
};
const GP_SALARIED = {
  ...base,
  role: 'gp',
  engagement: 'salaried',
  // R8: filled, 4 h, no cost: nothing costed, so nothing to suppress and nothing to compare.
  filled_shifts: 1,
  filled_hours: 4,
  costed_shifts: 0,
  costed_hours: 0,
  spend_pence: null,
  cost_per_hour_pence: null,
  cap_pence_per_hour: 10_000,
  shifts_above_cap: null,
  suppressed: false,
};
const PARAMEDIC_BANK = {
  ...base,
  role: 'paramedic',
  engagement: 'bank',
  // R12-R14: 3 x 8 h = 24 h, 3 x 32,000 = 96,000 pence: 4,000 an hour. No cap: NULL.
  filled_shifts: 3,
  filled_hours: 24,
  costed_shifts: 3,
  costed_hours: 24,
  spend_pence: 96_000,
  cost_per_hour_pence: 4_000,
  cap_pence_per_hour: null,
  shifts_above_cap: null,
  suppressed: false,
};
const NURSE_SALARIED = {
  ...base,
  role: 'practice_nurse',
  engagement: 'salaried',
  // R9-R11: 3 x 7 h = 21 h; 21,000 + 21,000 + 24,500 = 66,500 pence: 3,166.67 an hour.
  filled_shifts: 3,
  filled_hours: 21,
  costed_shifts: 3,
  costed_hours: 21,
  spend_pence: 66_500,
  cost_per_hour_pence: 66_500 / 21,
  cap_pence_per_hour: 4_500,
  // Per shift 3,000, 3,000 and 3,500 an hour, all under 4,500.
  shifts_above_cap: 0,
  suppressed: false,
};
// R5-R7: 3 shifts x 4 h = 12 h, all costed, from 2 distinct clinicians (d, e).
const GP_AGENCY = {
  ...base,
  role: 'gp',
  engagement: 'agency',
  filled_shifts: 3,
  filled_hours: 12,
  costed_shifts: 3,
  costed_hours: 12,
  cap_pence_per_hour: 10_000,
};

describe('rates', () => {
  it('gives cost per hour and shifts above the cap, suppressed below k = 3 clinicians', async () => {
    expect(await rates({ minClinicians: 3, rateCapsPencePerHour: CAPS })).toEqual([
      // 2 clinicians < k = 3: suppressed, and spend goes too (spend / hours is the rate).
      {
        ...GP_AGENCY,
        spend_pence: null,
        cost_per_hour_pence: null,
        shifts_above_cap: null,
        suppressed: true,
      },
      GP_LOCUM,
      GP_SALARIED,
      PARAMEDIC_BANK,
      NURSE_SALARIED,
    ]);
  });

  it('publishes the same rows once they reach k = 2 clinicians', async () => {
    expect(await rates({ minClinicians: 2, rateCapsPencePerHour: CAPS })).toEqual([
      {
        ...GP_AGENCY,
        // 48,000 + 46,000 + 47,000 = 141,000 pence over 12 h = 11,750 an hour.
        spend_pence: 141_000,
        cost_per_hour_pence: 11_750,
        // Per shift 12,000, 11,500 and 11,750 an hour: all 3 above 10,000.
        shifts_above_cap: 3,
        suppressed: false,
      },
      GP_LOCUM,
      GP_SALARIED,
      PARAMEDIC_BANK,
      NURSE_SALARIED,
    ]);
  });

  it('uses the illustrative caps by default', async () => {
    const rows = await rates({});
    const locum = rows.find((r) => r.role === 'gp' && r.engagement === 'locum');
    // Default GP cap 11,000 an hour: R3 is at it, not above, so none of R1-R3 is above.
    expect(ILLUSTRATIVE_RATE_CAPS_PENCE_PER_HOUR.gp).toBe(11_000);
    expect(locum).toMatchObject({ cap_pence_per_hour: 11_000, shifts_above_cap: 0 });
    expect(rows.find((r) => r.role === 'paramedic')).toMatchObject({
      cap_pence_per_hour: 5_000,
      shifts_above_cap: 0,
    });
  });
});
