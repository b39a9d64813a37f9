/**
 * enhanced_access on hand-made curated shifts with real DuckDB: clinical hours inside the
 * Enhanced Access windows (default mon-fri 18:30-20:00; sat 09:00-17:00, London time) against
 * 60 minutes per 1,000 patients per week. Every expected number is worked out in the comments.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { SHIFT_COLUMNS } from '../../../src/curated/curated-schema.js';
import { tableRows } from '../../../src/engine/arrow-types.js';
import type { DuckDbEngine } from '../../../src/engine/duckdb-engine.js';
import { computeMetrics, metricTable } from '../../../src/metrics/compute-metrics.js';
import {
  DEFAULT_ENHANCED_ACCESS,
  type MetricParameters,
} from '../../../src/metrics/metric-parameters.js';
import { networkPopulations } from '../../../src/metrics/populations.js';
import { type ShiftFixture, writeCuratedShifts } from '../../helpers/curated-fixtures.js';
import { smallReference } from '../../helpers/reference.js';
import { type TestStores, useStoresAndEngine } from '../../helpers/stores.js';

let stores: TestStores;
let engine: DuckDbEngine;
useStoresAndEngine((opened) => {
  ({ stores, engine } = opened);
});

/**
 * U60865: two practices with 7,000 and 5,000 registered patients = 12,000, so the minimum is
 * 60 x 12,000 / 1,000 / 60 = 12 hours a week. U70001: P1 has 4,000, P2 no list size (a lower
 * bound: the minimum is unknown). U12345 is not in the reference data: no population at all.
 */
const reference = () =>
  smallReference({
    U60865: { F84025: 7000, F84036: 5000 },
    U70001: { P1: 4000, P2: null },
  });

const unfilled = 'unfilled' as const;
const SHIFTS: ShiftFixture[] = [
  // U60865, week of Monday 9 November 2026 (GMT).
  // E1 Monday 17:30-19:30 GP, straddling 18:30: 1 h inside (18:30-19:30).
  { shift_id: 'E1', start: '2026-11-09 17:30', end: '2026-11-09 19:30' },
  // E2 Tuesday 18:30-20:00 nurse, remote: 1.5 h.
  {
    shift_id: 'E2',
    start: '2026-11-10 18:30',
    end: '2026-11-10 20:00',
    role: 'practice_nurse',
    delivery: 'remote',
  },
  // E3 Wednesday 18:00-21:00 less 60 min, GP unfilled: 2 h over 3 h elapsed; 90 min inside
  // (18:30-20:00) x 2 / 3 = 1 h of demand.
  {
    shift_id: 'E3',
    start: '2026-11-11 18:00',
    end: '2026-11-11 21:00',
    break_minutes: 60,
    status: unfilled,
  },
  // E4 Saturday 08:00-18:00 less 60 min, GP: 9 h over 10 h; 8 h inside (09:00-17:00) x 9/10 = 7.2 h.
  { shift_id: 'E4', start: '2026-11-14 08:00', end: '2026-11-14 18:00', break_minutes: 60 },
  // E5 Thursday 18:30-20:00 admin: not clinical, not counted.
  { shift_id: 'E5', start: '2026-11-12 18:30', end: '2026-11-12 20:00', role: 'admin' },
  // E6 Friday 18:30-20:00 pharmacist cancelled: not demand.
  {
    shift_id: 'E6',
    start: '2026-11-13 18:30',
    end: '2026-11-13 20:00',
    role: 'clinical_pharmacist',
    status: 'cancelled',
  },
  // E7 Friday 18:30-20:00 pharmacist (direct patient care): 1.5 h.
  {
    shift_id: 'E7',
    start: '2026-11-13 18:30',
    end: '2026-11-13 20:00',
    role: 'clinical_pharmacist',
  },
  // E8 Thursday 09:00-17:00 GP: no hours inside a window.
  { shift_id: 'E8', start: '2026-11-12 09:00', end: '2026-11-12 17:00' },
  // The clock-change week: Monday 19 October 18:30 BST (17:30 UTC) counts, 1.5 h; so does the
  // Monday after the change, 26 October 18:30 GMT.
  { shift_id: 'C1', start: '2026-10-19 18:30', end: '2026-10-19 20:00' },
  { shift_id: 'C2', start: '2026-10-26 18:30', end: '2026-10-26 20:00' },
  // U12345 (no population), week of 9 November.
  // N1 Friday 23:00 to Saturday 10:00 GP, 11 h: past midnight into Saturday's window, 1 h.
  {
    shift_id: 'N1',
    start: '2026-11-13 23:00',
    end: '2026-11-14 10:00',
    network_code: 'U12345',
    practice_code: 'F99999',
  },
  // N2 Sunday 15 November 19:00 to Monday 19:00 GP, 24 h: 30 min of Monday 16 November's window
  // (18:30-19:00), which counts in the week of 16 November (the window's week).
  {
    shift_id: 'N2',
    start: '2026-11-15 19:00',
    end: '2026-11-16 19:00',
    network_code: 'U12345',
    practice_code: 'F99999',
  },
  // U70001 (population a lower bound), week of 9 November: Saturday 09:00-12:00 nurse unfilled.
  {
    shift_id: 'P1',
    start: '2026-11-14 09:00',
    end: '2026-11-14 12:00',
    network_code: 'U70001',
    practice_code: 'P1',
    role: 'practice_nurse',
    status: unfilled,
  },
];

/** A shift ingested before start_minute existed: Tuesday 17 November 18:30-20:00 GP, U60865. */
const OLD: ShiftFixture[] = [
  { shift_id: 'O1', start: '2026-11-17 18:30', end: '2026-11-17 20:00' },
];

const zero = {
  demand_hours: 0,
  filled_hours: 0,
  unfilled_hours: 0,
  demand_hours_gp: 0,
  demand_hours_nurse: 0,
  demand_hours_direct_patient_care: 0,
  filled_hours_gp: 0,
  filled_hours_nurse: 0,
  filled_hours_direct_patient_care: 0,
  demand_hours_on_site: 0,
  demand_hours_remote: 0,
  filled_hours_on_site: 0,
  filled_hours_remote: 0,
  filled_hours_weekday: 0,
  filled_hours_saturday: 0,
};
const registered = {
  population: 12000,
  population_basis: 'registered',
  population_practices_missing: 0,
  minutes_per_1000_patients: 60,
  required_hours: 12,
};
const unknown = {
  population: null,
  population_basis: null,
  population_practices_missing: null,
  minutes_per_1000_patients: 60,
  required_hours: null,
  shortfall_hours: null,
  meets_minimum: null,
};
/** Only Monday's evening has a GP: 1.5 h filled, on site, weekday. */
const mondayGp = (week_start: string) => ({
  network_code: 'U60865',
  icb_code: 'QMF',
  week_start,
  ...registered,
  ...zero,
  demand_hours: 1.5,
  filled_hours: 1.5,
  demand_hours_gp: 1.5,
  filled_hours_gp: 1.5,
  demand_hours_on_site: 1.5,
  filled_hours_on_site: 1.5,
  filled_hours_weekday: 1.5,
  shortfall_hours: 10.5, // 12 - 1.5
  meets_minimum: false,
  sessions: 6, // Monday to Friday evenings and Saturday
  sessions_without_gp: 5,
});

const EXPECTED = [
  {
    network_code: 'U12345',
    icb_code: 'QMF',
    week_start: '2026-11-09',
    ...unknown,
    ...zero,
    demand_hours: 1, // N1's Saturday hour 09:00-10:00
    filled_hours: 1,
    demand_hours_gp: 1,
    filled_hours_gp: 1,
    demand_hours_on_site: 1,
    filled_hours_on_site: 1,
    filled_hours_saturday: 1,
    sessions: 6,
    sessions_without_gp: 5,
  },
  {
    // No shift starts in this week: only N2's Monday half hour reaches it.
    network_code: 'U12345',
    icb_code: 'QMF',
    week_start: '2026-11-16',
    ...unknown,
    ...zero,
    demand_hours: 0.5,
    filled_hours: 0.5,
    demand_hours_gp: 0.5,
    filled_hours_gp: 0.5,
    demand_hours_on_site: 0.5,
    filled_hours_on_site: 0.5,
    filled_hours_weekday: 0.5,
    sessions: 6,
    sessions_without_gp: 5,
  },
  // Clock-change week: C1 counts although it started at 17:30 UTC.
  mondayGp('2026-10-19'),
  mondayGp('2026-10-26'),
  {
    network_code: 'U60865',
    icb_code: 'QMF',
    week_start: '2026-11-09',
    ...registered,
    demand_hours: 12.2, // filled 11.2 + E3 1
    filled_hours: 11.2, // E1 1 + E2 1.5 + E4 7.2 + E7 1.5
    unfilled_hours: 1, // E3
    demand_hours_gp: 9.2, // E1 1 + E3 1 + E4 7.2
    demand_hours_nurse: 1.5, // E2
    demand_hours_direct_patient_care: 1.5, // E7
    filled_hours_gp: 8.2, // E1 + E4
    filled_hours_nurse: 1.5,
    filled_hours_direct_patient_care: 1.5,
    demand_hours_on_site: 10.7, // all but E2
    demand_hours_remote: 1.5, // E2
    filled_hours_on_site: 9.7,
    filled_hours_remote: 1.5,
    filled_hours_weekday: 4, // E1 + E2 + E7
    filled_hours_saturday: 7.2, // E4
    shortfall_hours: 0.8, // 12 - 11.2
    meets_minimum: false,
    sessions: 6,
    // GPs filled Monday (E1) and Saturday (E4); Wednesday's GP (E3) is unfilled.
    sessions_without_gp: 4,
  },
  {
    // O1 from a file without start_minute: start_hour 18 -> minute 1080, so 18:00-19:30 is
    // assumed and 1 h (18:30-19:30) is inside, not 1.5 h; a forced re-ingest gives exact minutes.
    ...mondayGp('2026-11-16'),
    demand_hours: 1,
    filled_hours: 1,
    demand_hours_gp: 1,
    filled_hours_gp: 1,
    demand_hours_on_site: 1,
    filled_hours_on_site: 1,
    filled_hours_weekday: 1,
    shortfall_hours: 11,
    sessions_without_gp: 5, // Tuesday has its GP
  },
  {
    // 4,000 patients known, P2 unknown: the minimum is not computed from a lower bound.
    network_code: 'U70001',
    icb_code: 'QMF',
    week_start: '2026-11-09',
    ...unknown,
    population: 4000,
    population_basis: 'registered',
    population_practices_missing: 1,
    ...zero,
    demand_hours: 3, // Saturday 09:00-12:00 unfilled
    unfilled_hours: 3,
    demand_hours_nurse: 3,
    demand_hours_on_site: 3,
    sessions: 6,
    sessions_without_gp: 6,
  },
];

const roundRow = (row: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(row).map(([k, v]) => [k, typeof v === 'number' ? Math.round(v * 1e9) / 1e9 : v]),
  );

async function enhancedAccess(parameters: Partial<MetricParameters>) {
  const tables = await computeMetrics({ engine, curated: stores.curated, parameters });
  return tableRows<Record<string, unknown>>(metricTable(tables, 'enhanced_access')).map(roundRow);
}

describe('enhanced_access', () => {
  beforeAll(async () => {
    await writeCuratedShifts(engine, stores.curated, SHIFTS, 'new');
    const withoutStartMinute = SHIFT_COLUMNS.filter((c) => c !== 'start_minute');
    await writeCuratedShifts(engine, stores.curated, OLD, 'old', withoutStartMinute);
  });

  it('counts clinical hours inside the windows against 60 minutes per 1,000 patients', async () => {
    const populations = networkPopulations(reference());
    expect(await enhancedAccess({ populations })).toEqual(EXPECTED);
  });

  it('leaves sessions_without_gp empty when the GP check is off, and takes another minimum', async () => {
    const populations = networkPopulations(reference());
    const rows = await enhancedAccess({
      populations,
      enhancedAccess: { ...DEFAULT_ENHANCED_ACCESS, gpCheck: false, minutesPer1000Patients: 45 },
    });
    expect(rows.map((r) => r.sessions_without_gp)).toEqual(EXPECTED.map(() => null));
    // 45 x 12,000 / 1,000 / 60 = 9 h: the week of 9 November (11.2 h filled) now meets it.
    const week = rows.find((r) => r.network_code === 'U60865' && r.week_start === '2026-11-09');
    expect(week).toMatchObject({ required_hours: 9, shortfall_hours: 0, meets_minimum: true });
  });
});
