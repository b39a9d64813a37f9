/**
 * open_shifts on hand-made curated shifts with real DuckDB: unfilled shifts by network, date,
 * practice, session and role, from the current version of each shift. Every expected number is
 * worked out in the comments.
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

describe('open_shifts', () => {
  it('counts unfilled shifts and hours by date, practice, session and role, current versions only', async () => {
    // The rota as exported on Monday 16 November 2026, with the week ahead published.
    await writeCuratedShifts(
      engine,
      stores.curated,
      [
        // Tuesday 24 Nov, F84025, core hours, GP: two unfilled shifts, 4 h and 3.5 h.
        { shift_id: 'O1', start: '2026-11-24 09:00', end: '2026-11-24 13:00', status: 'unfilled' },
        { shift_id: 'O2', start: '2026-11-24 09:00', end: '2026-11-24 12:30', status: 'unfilled' },
        // Same day and practice, extended hours: a row of its own (1 shift, 2 h).
        {
          shift_id: 'O3',
          start: '2026-11-24 18:30',
          end: '2026-11-24 20:30',
          status: 'unfilled',
          session_type: 'extended_hours',
        },
        // Same day, another practice of the network, a practice nurse: a row of its own (1, 3 h).
        {
          shift_id: 'O4',
          start: '2026-11-24 13:00',
          end: '2026-11-24 16:00',
          status: 'unfilled',
          practice_code: 'F84004',
          role: 'practice_nurse',
        },
        // Unfilled here, filled in the next export below: not open.
        { shift_id: 'O5', start: '2026-11-25 09:00', end: '2026-11-25 13:00', status: 'unfilled' },
        // Filled and cancelled shifts are not open.
        { shift_id: 'O6', start: '2026-11-25 09:00', end: '2026-11-25 13:00' },
        { shift_id: 'O7', start: '2026-11-25 09:00', end: '2026-11-25 13:00', status: 'cancelled' },
        // Past dates stay: Friday 13 Nov, 8 h with a 30 min break = 7.5 h.
        {
          shift_id: 'O8',
          start: '2026-11-13 08:00',
          end: '2026-11-13 16:00',
          break_minutes: 30,
          status: 'unfilled',
        },
      ],
      'first',
    );
    await writeCuratedShifts(
      engine,
      stores.curated,
      [
        {
          shift_id: 'O5',
          start: '2026-11-25 09:00',
          end: '2026-11-25 13:00',
          exported_at: '2026-11-17 07:00',
        },
      ],
      'second',
    );
    const rows = tableRows(
      metricTable(await computeMetrics({ engine, curated: stores.curated }), 'open_shifts'),
    );
    const base = { network_code: 'U60865', icb_code: 'QMF' };
    expect(rows).toEqual([
      {
        ...base,
        week_start: '2026-11-09',
        shift_date: '2026-11-13',
        practice_code: 'F84025',
        session_type: 'in_hours',
        role: 'gp',
        unfilled_shifts: 1,
        // 8 h - 0.5 h break.
        unfilled_hours: 7.5,
      },
      // Ordered by date, then practice (F84004 before F84025), session, role.
      {
        ...base,
        week_start: '2026-11-23',
        shift_date: '2026-11-24',
        practice_code: 'F84004',
        session_type: 'in_hours',
        role: 'practice_nurse',
        unfilled_shifts: 1,
        unfilled_hours: 3,
      },
      {
        ...base,
        week_start: '2026-11-23',
        shift_date: '2026-11-24',
        practice_code: 'F84025',
        session_type: 'extended_hours',
        role: 'gp',
        unfilled_shifts: 1,
        unfilled_hours: 2,
      },
      {
        ...base,
        week_start: '2026-11-23',
        shift_date: '2026-11-24',
        practice_code: 'F84025',
        session_type: 'in_hours',
        role: 'gp',
        // O1 + O2: 4 + 3.5 = 7.5 h. O5 is filled in the later export, O6 filled, O7 cancelled.
        unfilled_shifts: 2,
        unfilled_hours: 7.5,
      },
    ]);
  });
});
