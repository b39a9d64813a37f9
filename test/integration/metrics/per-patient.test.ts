/**
 * Per-patient columns of network_week and icb_week on hand-made curated shifts with real DuckDB:
 * figures per 1,000 registered patients per week, NULL (never 0) when a network's population is
 * unknown or partial, and the ICB's pooled from sums over the networks that count. Every expected
 * number is worked out in the comments.
 */
import { describe, expect, it } from 'vitest';
import { tableRows } from '../../../src/engine/arrow-types.js';
import type { DuckDbEngine } from '../../../src/engine/duckdb-engine.js';
import { computeMetrics, metricTable } from '../../../src/metrics/compute-metrics.js';
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
 * ICB QMF: U60865 has two practices of 7,000 and 5,000 registered patients (12,000); U80002 one
 * of 8,000; U70001 has P1 of 4,000 and P2 with no list size (partial: 4,000 is a lower bound).
 * U12345 is not in the reference data (no population at all).
 */
const reference = () =>
  smallReference({
    U60865: { F84025: 7000, F84036: 5000 },
    U80002: { P3: 8000 },
    U70001: { P1: 4000, P2: null },
  });

const U80002 = { network_code: 'U80002', practice_code: 'P3' };
const U70001 = { network_code: 'U70001', practice_code: 'P1' };
const U12345 = { network_code: 'U12345', practice_code: 'X1' };
const SHIFTS: ShiftFixture[] = [
  // Week of 9 November 2026.
  // U60865: filled salaried 6 h at £300, filled agency 4 h at £600, unfilled 3 h.
  { shift_id: 'A1', start: '2026-11-09 08:00', end: '2026-11-09 14:00', cost_pence: 30000 },
  {
    shift_id: 'A2',
    start: '2026-11-10 09:00',
    end: '2026-11-10 13:00',
    engagement: 'agency',
    cost_pence: 60000,
  },
  { shift_id: 'A3', start: '2026-11-11 09:00', end: '2026-11-11 12:00', status: 'unfilled' },
  // U80002: filled locum 6 h at £480, unfilled 5 h.
  {
    shift_id: 'B1',
    ...U80002,
    start: '2026-11-09 09:00',
    end: '2026-11-09 15:00',
    engagement: 'locum',
    cost_pence: 48000,
  },
  {
    shift_id: 'B2',
    ...U80002,
    start: '2026-11-12 08:00',
    end: '2026-11-12 13:00',
    status: 'unfilled',
  },
  // U70001 (partial population): filled agency 8 h at £1,000, unfilled 4 h.
  {
    shift_id: 'C1',
    ...U70001,
    start: '2026-11-09 08:00',
    end: '2026-11-09 16:00',
    engagement: 'agency',
    cost_pence: 100000,
  },
  {
    shift_id: 'C2',
    ...U70001,
    start: '2026-11-10 08:00',
    end: '2026-11-10 12:00',
    status: 'unfilled',
  },
  // Week of 16 November: U80002 fills 4 h with no cost; U12345 (no population) 2 h at £100.
  {
    shift_id: 'B3',
    ...U80002,
    start: '2026-11-16 09:00',
    end: '2026-11-16 13:00',
    cost_pence: null,
  },
  {
    shift_id: 'D1',
    ...U12345,
    start: '2026-11-17 09:00',
    end: '2026-11-17 11:00',
    cost_pence: 10000,
  },
];

const PER_PATIENT = [
  'network_code',
  'icb_code',
  'week_start',
  'networks_reporting',
  'filled_hours',
  'population',
  'population_basis',
  'population_networks',
  'population_practices_missing',
  'filled_hours_per_1000',
  'unfilled_hours_per_1000',
  'spend_pence_per_1000',
  'agency_spend_pence_per_1000',
];

/** The per-patient columns of each row (and the keys), rounded to 6 decimals. */
function pick(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  return rows.map((row) =>
    Object.fromEntries(
      PER_PATIENT.filter((c) => c in row).map((c) => {
        const v = row[c];
        return [c, typeof v === 'number' ? Math.round(v * 1e6) / 1e6 : v];
      }),
    ),
  );
}

describe('per-patient columns', () => {
  it('divides by a network population only when it is whole, and pools the ICB from sums', async () => {
    await writeCuratedShifts(engine, stores.curated, SHIFTS);
    const tables = await computeMetrics({
      engine,
      curated: stores.curated,
      parameters: { populations: networkPopulations(reference()) },
    });
    const network = pick(tableRows<Record<string, unknown>>(metricTable(tables, 'network_week')));
    expect(network).toEqual([
      // U12345 is in no reference data: population and every per-1,000 figure NULL, not 0.
      {
        network_code: 'U12345',
        icb_code: 'QMF',
        week_start: '2026-11-16',
        filled_hours: 2,
        population: null,
        population_basis: null,
        population_practices_missing: null,
        filled_hours_per_1000: null,
        unfilled_hours_per_1000: null,
        spend_pence_per_1000: null,
        agency_spend_pence_per_1000: null,
      },
      // U60865, 12,000 patients: filled 6 + 4 = 10 h -> 10 x 1000 / 12000 = 0.833333; unfilled
      // 3 h -> 0.25; spend 30000 + 60000 = 90000 p -> 7500 p (£75); agency 60000 -> 5000 p.
      {
        network_code: 'U60865',
        icb_code: 'QMF',
        week_start: '2026-11-09',
        filled_hours: 10,
        population: 12000,
        population_basis: 'registered',
        population_practices_missing: 0,
        filled_hours_per_1000: 0.833333,
        unfilled_hours_per_1000: 0.25,
        spend_pence_per_1000: 7500,
        agency_spend_pence_per_1000: 5000,
      },
      // U70001: P2 has no list size, so 4,000 is a lower bound: shown, never divided by.
      {
        network_code: 'U70001',
        icb_code: 'QMF',
        week_start: '2026-11-09',
        filled_hours: 8,
        population: 4000,
        population_basis: 'registered',
        population_practices_missing: 1,
        filled_hours_per_1000: null,
        unfilled_hours_per_1000: null,
        spend_pence_per_1000: null,
        agency_spend_pence_per_1000: null,
      },
      // U80002, 8,000 patients: filled 6 h -> 0.75; unfilled 5 h -> 0.625; spend 48000 p ->
      // 6000 p; no agency shift: agency spend 0 -> 0 per 1,000 (nothing spent, not unknown).
      {
        network_code: 'U80002',
        icb_code: 'QMF',
        week_start: '2026-11-09',
        filled_hours: 6,
        population: 8000,
        population_basis: 'registered',
        population_practices_missing: 0,
        filled_hours_per_1000: 0.75,
        unfilled_hours_per_1000: 0.625,
        spend_pence_per_1000: 6000,
        agency_spend_pence_per_1000: 0,
      },
      // 16 Nov: 4 h filled -> 4 x 1000 / 8000 = 0.5; its only filled shift has no cost: spend
      // NULL, so spend per 1,000 NULL; no agency shift: 0.
      {
        network_code: 'U80002',
        icb_code: 'QMF',
        week_start: '2026-11-16',
        filled_hours: 4,
        population: 8000,
        population_basis: 'registered',
        population_practices_missing: 0,
        filled_hours_per_1000: 0.5,
        unfilled_hours_per_1000: 0,
        spend_pence_per_1000: null,
        agency_spend_pence_per_1000: 0,
      },
    ]);
    const icb = pick(tableRows<Record<string, unknown>>(metricTable(tables, 'icb_week')));
    expect(icb).toEqual([
      // 9 Nov: 3 networks report; U60865 and U80002 count (12,000 + 8,000 = 20,000), U70001 does
      // not (1 practice missing). Filled (10 + 6) x 1000 / 20000 = 0.8, not the average of
      // 0.833333 and 0.75 (0.791667); unfilled (3 + 5) -> 0.4; spend (90000 + 48000) -> 6900 p;
      // agency (60000 + 0) -> 3000 p. filled_hours is still every network's: 10 + 6 + 8 = 24.
      {
        icb_code: 'QMF',
        week_start: '2026-11-09',
        networks_reporting: 3,
        filled_hours: 24,
        population: 20000,
        population_networks: 2,
        population_practices_missing: 1,
        filled_hours_per_1000: 0.8,
        unfilled_hours_per_1000: 0.4,
        spend_pence_per_1000: 6900,
        agency_spend_pence_per_1000: 3000,
      },
      // 16 Nov: U80002 counts (8,000), U12345 does not (no population), so its £100 is left out:
      // the counted spend is U80002's, NULL (no cost known), so spend per 1,000 is NULL; filled
      // 4 h -> 0.5; agency 0.
      {
        icb_code: 'QMF',
        week_start: '2026-11-16',
        networks_reporting: 2,
        filled_hours: 6,
        population: 8000,
        population_networks: 1,
        population_practices_missing: 0,
        filled_hours_per_1000: 0.5,
        unfilled_hours_per_1000: 0,
        spend_pence_per_1000: null,
        agency_spend_pence_per_1000: 0,
      },
    ]);
  });
});
