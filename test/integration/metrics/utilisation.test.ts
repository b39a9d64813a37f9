/**
 * utilisation on hand-made curated shifts and availability (real DuckDB). Network U60865, week of
 * Monday 9 November 2026; every expected number is worked out in the comments.
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

async function utilisation(
  shifts: readonly ShiftFixture[],
  availability: readonly AvailabilityFixture[],
  parameters?: Partial<MetricParameters>,
) {
  await writeCuratedShifts(engine, stores.curated, shifts);
  if (availability.length > 0) await writeCuratedAvailability(engine, stores.curated, availability);
  return tableRows(
    metricTable(
      await computeMetrics({ engine, curated: stores.curated, parameters }),
      'utilisation',
    ),
  );
}

const WEEK = '2026-11-09';
const ROW = { network_code: 'U60865', icb_code: 'QMF', week_start: WEEK };

// Four GPs and a nurse in the week of Monday 9 November 2026.
// gp-a: available 10 h in hours + 2 h extended; works Mon 08:00-13:00 (5 h, in hours) and
//       Tue 18:30-20:00 (1.5 h, extended).
// gp-b: available 6 h in hours only; works Mon 09:00-17:00 less 60 min (7 h, in hours) and
//       Sat 09:00-13:00 (4 h, extended): 11 h in all, above 100%.
// gp-c: available 8 h for the whole week (no session type); works Wed 09:00-13:00 (4 h, in hours).
// gp-d: a locum with no availability; works Thu 09:00-12:00 (3 h, in hours).
// nurse-e: no availability; works Mon 08:30-17:00 less 60 min (7.5 h, in hours).
// One unfilled GP shift (Thu 14:00-18:00), which nobody worked.
const SHIFTS: ShiftFixture[] = [
  { shift_id: 'A1', clinician_key: 'gp-a', start: '2026-11-09 08:00', end: '2026-11-09 13:00' },
  {
    shift_id: 'A2',
    clinician_key: 'gp-a',
    start: '2026-11-10 18:30',
    end: '2026-11-10 20:00',
    session_type: 'extended_hours',
  },
  {
    shift_id: 'B1',
    clinician_key: 'gp-b',
    start: '2026-11-09 09:00',
    end: '2026-11-09 17:00',
    break_minutes: 60,
  },
  {
    shift_id: 'B2',
    clinician_key: 'gp-b',
    start: '2026-11-14 09:00',
    end: '2026-11-14 13:00',
    session_type: 'extended_hours',
  },
  { shift_id: 'C1', clinician_key: 'gp-c', start: '2026-11-11 09:00', end: '2026-11-11 13:00' },
  {
    shift_id: 'D1',
    clinician_key: 'gp-d',
    engagement: 'locum',
    start: '2026-11-12 09:00',
    end: '2026-11-12 12:00',
  },
  { shift_id: 'U1', status: 'unfilled', start: '2026-11-12 14:00', end: '2026-11-12 18:00' },
  {
    shift_id: 'N1',
    clinician_key: 'nurse-e',
    role: 'practice_nurse',
    start: '2026-11-09 08:30',
    end: '2026-11-09 17:00',
    break_minutes: 60,
  },
];
const AVAILABILITY: AvailabilityFixture[] = [
  { clinician_key: 'gp-a', week_start: WEEK, session_type: 'in_hours', available_hours: 10 },
  { clinician_key: 'gp-a', week_start: WEEK, session_type: 'extended_hours', available_hours: 2 },
  { clinician_key: 'gp-b', week_start: WEEK, session_type: 'in_hours', available_hours: 6 },
  { clinician_key: 'gp-c', week_start: WEEK, available_hours: 8 },
];

// The rows that do not change with k: 'all' for the GPs has 3 clinicians with availability, the
// nurse has none.
// GP 'all': gp-a, gp-b, gp-c. Available 12 + 6 + 8 = 26 h; worked 6.5 + 11 + 4 = 21.5 h;
// utilisation 21.5 / 26 = 82.7%. Above 100%: gp-b (11 > 6); gp-a 6.5 < 12, gp-c 4 < 8.
// Without availability: gp-d, 3 h.
const GP_ALL = {
  ...ROW,
  role: 'gp',
  session_type: 'all',
  clinicians_with_availability: 3,
  suppressed: false,
  available_hours: 26,
  worked_hours: 21.5,
  utilisation: 21.5 / 26,
  clinicians_over_100: 1,
  clinicians_without_availability: 1,
  filled_hours_without_availability: 3,
};
// GP extended: only gp-a has extended availability (1 clinician), so it is suppressed at k = 2 or 3.
// gp-b's Saturday (4 h) has no extended availability behind it. Worked hours (gp-a's Tuesday,
// 1.5 h) are filled hours and never suppressed: the network's extended hours less the rest gave
// them back anyway.
const GP_EXTENDED = {
  ...ROW,
  role: 'gp',
  session_type: 'extended_hours',
  clinicians_with_availability: 1,
  suppressed: true,
  available_hours: null,
  worked_hours: 1.5,
  utilisation: null,
  clinicians_over_100: null,
  clinicians_without_availability: 1,
  filled_hours_without_availability: 4,
};
// Nurse: no availability at all, so utilisation is NULL ("no data"), not 0, and not suppressed
// (no clinician's value is hidden). Her 7.5 h are all without availability, in 'all' and in hours.
const NURSE = {
  ...ROW,
  role: 'practice_nurse',
  clinicians_with_availability: 0,
  suppressed: false,
  available_hours: null,
  worked_hours: null,
  utilisation: null,
  clinicians_over_100: null,
  clinicians_without_availability: 1,
  filled_hours_without_availability: 7.5,
};
// GP in hours: gp-a (10 h) and gp-b (6 h) have in-hours availability: 2 clinicians. Without
// in-hours availability: gp-c (whole-week availability only, 4 h) and gp-d (none, 3 h) = 7 h.
const GP_IN_HOURS_COUNTS = {
  ...ROW,
  role: 'gp',
  session_type: 'in_hours',
  clinicians_with_availability: 2,
  clinicians_without_availability: 2,
  filled_hours_without_availability: 7,
};

describe('utilisation', () => {
  it('divides worked by available hours where availability exists, suppressing rows of fewer than 3 clinicians', async () => {
    const rows = await utilisation(SHIFTS, AVAILABILITY);
    expect(rows).toEqual([
      GP_ALL,
      GP_EXTENDED,
      // In hours, 2 clinicians = k - 1 at the default k = 3: suppressed.
      {
        ...GP_IN_HOURS_COUNTS,
        suppressed: true,
        available_hours: null,
        // gp-a 5 h + gp-b 7 h.
        worked_hours: 12,
        utilisation: null,
        clinicians_over_100: null,
      },
      { ...NURSE, session_type: 'all' },
      { ...NURSE, session_type: 'in_hours' },
    ]);
  });

  it('takes k from the parameters, and hides a session row beside a suppressed one', async () => {
    // At k = 2 the in-hours row's 2 clinicians reach k, but the extended-hours row (1) is still
    // suppressed: 'all' minus a published in-hours row would give it back (where no whole-week
    // availability stands between them), so the in-hours row is suppressed with it.
    const hidden = await utilisation(SHIFTS, AVAILABILITY, { minClinicians: 2 });
    expect(hidden).toEqual([
      GP_ALL,
      GP_EXTENDED,
      {
        ...GP_IN_HOURS_COUNTS,
        suppressed: true,
        available_hours: null,
        // gp-a 5 h + gp-b 7 h.
        worked_hours: 12,
        utilisation: null,
        clinicians_over_100: null,
      },
      { ...NURSE, session_type: 'all' },
      { ...NURSE, session_type: 'in_hours' },
    ]);
    // Without gp-a's extended-hours availability there is no extended-hours row to protect, but
    // gp-c alone gives whole-week availability: 'all' (24 h) minus in hours (16 h) would be her
    // 8 h, so in hours is still hidden at k = 2 (before: shown, and an audit read such a GP's
    // availability off the site).
    await stores.close();
    stores = await openTestStores('local');
    const noExtended = AVAILABILITY.filter((a) => a.session_type !== 'extended_hours');
    const wholeWeekAlone = await utilisation(SHIFTS, noExtended, { minClinicians: 2 });
    expect(
      wholeWeekAlone.find((r) => r.role === 'gp' && r.session_type === 'in_hours')?.suppressed,
    ).toBe(true);
    expect(wholeWeekAlone.find((r) => r.role === 'gp' && r.session_type === 'all')).toMatchObject({
      suppressed: false,
      available_hours: 24,
    });
    // Without gp-c's whole-week availability either: in hours is shown at k = 2. Available
    // 10 + 6 = 16 h; worked gp-a 5 + gp-b 7 = 12 h; utilisation 12 / 16 = 75%. gp-b is above 100%
    // in hours (7 > 6).
    await stores.close();
    stores = await openTestStores('local');
    const sessionsOnly = noExtended.filter((a) => a.session_type !== undefined);
    const shown = await utilisation(SHIFTS, sessionsOnly, { minClinicians: 2 });
    expect(shown.find((r) => r.role === 'gp' && r.session_type === 'in_hours')).toEqual({
      ...GP_IN_HOURS_COUNTS,
      suppressed: false,
      available_hours: 16,
      worked_hours: 12,
      utilisation: 0.75,
      clinicians_over_100: 1,
    });
  });

  it("counts a clinician's hours under the role on their availability, adding whole-week and session availability", async () => {
    // gp-x is available as a GP: 4 h for the whole week plus 2 h extended (6 h in all), and is
    // rostered as an advanced practitioner: Mon 09:00-13:00 (4 h, in hours), Tue 18:30-20:30
    // (2 h, extended). k = 1 so nothing is suppressed.
    const rows = await utilisation(
      [
        {
          shift_id: 'X1',
          clinician_key: 'gp-x',
          role: 'advanced_practitioner',
          start: '2026-11-09 09:00',
          end: '2026-11-09 13:00',
        },
        {
          shift_id: 'X2',
          clinician_key: 'gp-x',
          role: 'advanced_practitioner',
          start: '2026-11-10 18:30',
          end: '2026-11-10 20:30',
          session_type: 'extended_hours',
        },
      ],
      [
        { clinician_key: 'gp-x', week_start: WEEK, available_hours: 4 },
        {
          clinician_key: 'gp-x',
          week_start: WEEK,
          session_type: 'extended_hours',
          available_hours: 2,
        },
      ],
      { minClinicians: 1 },
    );
    const shown = { ...ROW, role: 'gp', clinicians_with_availability: 1, suppressed: false };
    expect(rows).toEqual([
      // All: 6 h worked of 6 available = exactly 100%, which is not above 100%.
      {
        ...shown,
        session_type: 'all',
        available_hours: 6,
        worked_hours: 6,
        utilisation: 1,
        clinicians_over_100: 0,
        clinicians_without_availability: 0,
        filled_hours_without_availability: 0,
      },
      // Extended: 2 of 2.
      {
        ...shown,
        session_type: 'extended_hours',
        available_hours: 2,
        worked_hours: 2,
        utilisation: 1,
        clinicians_over_100: 0,
        clinicians_without_availability: 0,
        filled_hours_without_availability: 0,
      },
      // In hours: the whole-week 4 h are not in-hours availability, so the 4 h in-hours shift has
      // no availability behind it here, and there is no utilisation to show.
      {
        ...shown,
        session_type: 'in_hours',
        clinicians_with_availability: 0,
        available_hours: null,
        worked_hours: null,
        utilisation: null,
        clinicians_over_100: null,
        clinicians_without_availability: 1,
        filled_hours_without_availability: 4,
      },
    ]);
  });

  it('takes the latest export of a week restated whole after per session, and the other way', async () => {
    // gp-r: exported 16 Nov as 30 h in hours + 5 h extended, restated 23 Nov as 35 h for the
    // whole week; gp-s: 40 h whole week on 16 Nov, restated 23 Nov as 20 h in hours only.
    // Works Mon 09:00-13:00 (4 h) each. k = 1.
    const older = '2026-11-16 07:00';
    const newer = '2026-11-23 07:00';
    const rows = await utilisation(
      [
        {
          shift_id: 'R1',
          clinician_key: 'gp-r',
          start: '2026-11-09 09:00',
          end: '2026-11-09 13:00',
        },
        {
          shift_id: 'S1',
          clinician_key: 'gp-s',
          start: '2026-11-09 09:00',
          end: '2026-11-09 13:00',
        },
      ],
      [
        {
          clinician_key: 'gp-r',
          week_start: WEEK,
          session_type: 'in_hours',
          available_hours: 30,
          exported_at: older,
        },
        {
          clinician_key: 'gp-r',
          week_start: WEEK,
          session_type: 'extended_hours',
          available_hours: 5,
          exported_at: older,
        },
        { clinician_key: 'gp-r', week_start: WEEK, available_hours: 35, exported_at: newer },
        { clinician_key: 'gp-s', week_start: WEEK, available_hours: 40, exported_at: older },
        {
          clinician_key: 'gp-s',
          week_start: WEEK,
          session_type: 'in_hours',
          available_hours: 20,
          exported_at: newer,
        },
      ],
      { minClinicians: 1 },
    );
    // All: gp-r 35 h (not 35 + 35) and gp-s 20 h (not 40 + 20): 55 h available, 8 h worked.
    // In hours: only gp-s's restated 20 h (gp-r's 30 h were restated whole); no extended row
    // has availability (gp-r's 5 h were restated whole).
    const gp = (session: string) => rows.find((r) => r.role === 'gp' && r.session_type === session);
    expect([gp('all')?.available_hours, gp('all')?.worked_hours]).toEqual([55, 8]);
    expect([gp('in_hours')?.available_hours, gp('in_hours')?.clinicians_with_availability]).toEqual(
      [20, 1],
    );
    expect(gp('extended_hours')).toBeUndefined();
  });
});
