/**
 * network_week_role on hand-made curated shifts, through real DuckDB. Every expected number is
 * worked out in the comments; hours are whole or half hours so the sums are exact.
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

describe('network_week_role', () => {
  it('counts demand, cover, fill mix and spend per network, week and role', async () => {
    // Network U60865, week of Monday 9 November 2026.
    await writeCuratedShifts(engine, stores.curated, [
      // GP: a locum 4 h at 40000 p, an unfilled 4 h, a cancelled 3 h.
      {
        shift_id: 'G1',
        start: '2026-11-09 08:00',
        end: '2026-11-09 12:00',
        engagement: 'locum',
        cost_pence: 40000,
      },
      { shift_id: 'G2', start: '2026-11-10 08:00', end: '2026-11-10 12:00', status: 'unfilled' },
      { shift_id: 'G3', start: '2026-11-11 08:00', end: '2026-11-11 11:00', status: 'cancelled' },
      // Practice nurse: agency 8 - 0.5 = 7.5 h at 30000 p; salaried Saturday morning, extended
      // hours, 4 h, remote, with no cost.
      {
        shift_id: 'N1',
        role: 'practice_nurse',
        start: '2026-11-10 09:00',
        end: '2026-11-10 17:00',
        break_minutes: 30,
        engagement: 'agency',
        cost_pence: 30000,
      },
      {
        shift_id: 'N2',
        role: 'practice_nurse',
        start: '2026-11-14 09:00',
        end: '2026-11-14 13:00',
        session_type: 'extended_hours',
        delivery: 'remote',
        cost_pence: null,
      },
      // Clinical pharmacist: one cancelled shift, 8 - 0.5 = 7.5 h, nothing else.
      {
        shift_id: 'P1',
        role: 'clinical_pharmacist',
        start: '2026-11-12 09:00',
        end: '2026-11-12 17:00',
        break_minutes: 30,
        status: 'cancelled',
      },
    ]);
    // k = 1 here: every spend figure is shown, so the arithmetic can be checked; the test below
    // shows the same week at the default k = 3.
    const rows = tableRows(
      metricTable(
        await computeMetrics({ engine, curated: stores.curated, parameters: { minClinicians: 1 } }),
        'network_week_role',
      ),
    );
    expect(rows).toEqual([
      // Clinical pharmacist: demand 0 (P1 is cancelled), so the fill rates are NULL, not 0;
      // nothing filled, so the shares are NULL; nothing spent (0), agency share NULL.
      {
        network_code: 'U60865',
        icb_code: 'QMF',
        week_start: '2026-11-09',
        role: 'clinical_pharmacist',
        staff_group: 'direct_patient_care',
        demand_shifts: 0,
        filled_shifts: 0,
        unfilled_shifts: 0,
        cancelled_shifts: 1,
        demand_hours: 0,
        filled_hours: 0,
        unfilled_hours: 0,
        fill_rate_shifts: null,
        fill_rate_hours: null,
        cancelled_hours: 7.5,
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
      // GP: demand G1 + G2 = 2 shifts, 4 + 4 = 8 h; filled G1 = 1 shift, 4 h: fill rate 1/2 and
      // 4/8. G3 cancelled, 3 h. Locum 4 h of 4: temporary share 1. Spend 40000 p, all locum;
      // agency share 0/40000 = 0.
      {
        network_code: 'U60865',
        icb_code: 'QMF',
        week_start: '2026-11-09',
        role: 'gp',
        staff_group: 'gp',
        demand_shifts: 2,
        filled_shifts: 1,
        unfilled_shifts: 1,
        cancelled_shifts: 1,
        demand_hours: 8,
        filled_hours: 4,
        unfilled_hours: 4,
        fill_rate_shifts: 0.5,
        fill_rate_hours: 0.5,
        cancelled_hours: 3,
        salaried_hours: 0,
        bank_hours: 0,
        locum_hours: 4,
        agency_hours: 0,
        temporary_staffing_share: 1,
        spend_pence: 40000,
        salaried_spend_pence: 0,
        bank_spend_pence: 0,
        locum_spend_pence: 40000,
        agency_spend_pence: 0,
        filled_shifts_without_cost: 0,
        agency_share_of_spend: 0,
        remote_hours: 0,
        remote_share: 0,
        extended_hours_filled: 0,
        suppressed: false,
      },
      // Practice nurse: N1 and N2 both filled, 7.5 + 4 = 11.5 h: fill rate 1 and 1.
      // Temporary share agency 7.5 / 11.5. Spend: N1 30000 p; N2 has no cost, so it is left out
      // and counted (1), and salaried spend is NULL (worked, cost unknown), not 0.
      // Agency share 30000/30000 = 1 (of the known spend). Remote N2 4 h: 4/11.5; extended 4 h.
      {
        network_code: 'U60865',
        icb_code: 'QMF',
        week_start: '2026-11-09',
        role: 'practice_nurse',
        staff_group: 'nurse',
        demand_shifts: 2,
        filled_shifts: 2,
        unfilled_shifts: 0,
        cancelled_shifts: 0,
        demand_hours: 11.5,
        filled_hours: 11.5,
        unfilled_hours: 0,
        fill_rate_shifts: 1,
        fill_rate_hours: 1,
        cancelled_hours: 0,
        salaried_hours: 4,
        bank_hours: 0,
        locum_hours: 0,
        agency_hours: 7.5,
        temporary_staffing_share: 7.5 / 11.5,
        spend_pence: 30000,
        salaried_spend_pence: null,
        bank_spend_pence: 0,
        locum_spend_pence: 0,
        agency_spend_pence: 30000,
        filled_shifts_without_cost: 1,
        agency_share_of_spend: 1,
        remote_hours: 4,
        remote_share: 4 / 11.5,
        extended_hours_filled: 4,
        suppressed: false,
      },
    ]);
  });
  it('suppresses spend that comes from fewer than k clinicians (default k = 3)', async () => {
    // Same shifts as above: the GP locum spend and the nurse agency spend each come from one
    // clinician, so they are NULL, and so are the totals (which would give them back).
    const rows = tableRows<Record<string, unknown>>(
      metricTable(await computeMetrics({ engine, curated: stores.curated }), 'network_week_role'),
    );
    expect(
      rows.map((r) => [
        r.role,
        r.spend_pence,
        r.locum_spend_pence,
        r.agency_spend_pence,
        r.agency_share_of_spend,
        r.suppressed,
      ]),
    ).toEqual([
      ['clinical_pharmacist', 0, 0, 0, null, false],
      ['gp', null, null, 0, null, true],
      ['practice_nurse', null, 0, null, null, true],
    ]);
  });
});
