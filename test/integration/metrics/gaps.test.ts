/**
 * gaps on hand-made curated shifts with real DuckDB: unfilled hours by practice, week, weekday and
 * start-hour band. Every expected number is worked out in the comments.
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

/** An expected gaps row in network U60865 (ICB QMF). */
const gap = (
  practice_code: string,
  week_start: string,
  [weekday, weekday_name]: [number, string],
  [hour_band_start, hour_band]: [number, string],
  unfilled_shifts: number,
  unfilled_hours: number,
) => ({
  network_code: 'U60865',
  icb_code: 'QMF',
  practice_code,
  week_start,
  weekday,
  weekday_name,
  hour_band_start,
  hour_band,
  unfilled_shifts,
  unfilled_hours,
});

const MONDAY: [number, string] = [1, 'Monday'];
const TUESDAY: [number, string] = [2, 'Tuesday'];
const SATURDAY: [number, string] = [6, 'Saturday'];
const SUNDAY: [number, string] = [7, 'Sunday'];

describe('gaps', () => {
  it('sums unfilled hours by practice, week, weekday and start-hour band', async () => {
    const unfilled = 'unfilled' as const;
    await writeCuratedShifts(engine, stores.curated, [
      // Week of Monday 9 November 2026, practice F84025.
      { shift_id: 'G1', start: '2026-11-09 07:30', end: '2026-11-09 08:30', status: unfilled },
      { shift_id: 'G2', start: '2026-11-09 08:30', end: '2026-11-09 12:30', status: unfilled },
      {
        shift_id: 'G3',
        start: '2026-11-09 11:59',
        end: '2026-11-09 17:29',
        break_minutes: 60,
        status: unfilled,
      },
      { shift_id: 'G4', start: '2026-11-09 12:00', end: '2026-11-09 13:30', status: unfilled },
      {
        shift_id: 'G5',
        start: '2026-11-09 14:00',
        end: '2026-11-09 18:30',
        break_minutes: 30,
        status: unfilled,
      },
      { shift_id: 'G6', start: '2026-11-14 18:30', end: '2026-11-14 20:00', status: unfilled },
      { shift_id: 'G7', start: '2026-11-15 23:30', end: '2026-11-16 07:30', status: unfilled },
      // Not gaps: a filled and a cancelled shift in the same Monday morning band.
      { shift_id: 'G8', start: '2026-11-09 08:30', end: '2026-11-09 12:30' },
      { shift_id: 'G9', start: '2026-11-09 08:30', end: '2026-11-09 12:30', status: 'cancelled' },
      // The next week: Monday 16 November 00:30, the morning after G7.
      { shift_id: 'G10', start: '2026-11-16 00:30', end: '2026-11-16 08:00', status: unfilled },
      // Another practice, Tuesday 10 November.
      {
        shift_id: 'G11',
        start: '2026-11-10 12:00',
        end: '2026-11-10 13:00',
        practice_code: 'F84036',
        status: unfilled,
      },
    ]);
    const rows = tableRows(
      metricTable(await computeMetrics({ engine, curated: stores.curated }), 'gaps'),
    );
    expect(rows).toEqual([
      // G1 starts 07:30: the 00:00-07:59 band although most of it is after 08:00; 1 h.
      gap('F84025', '2026-11-09', MONDAY, [0, '00:00-07:59'], 1, 1),
      // G2 08:30-12:30 = 4 h and G3 11:59-17:29 less 60 min = 4.5 h (starts 11:59, so morning):
      // 2 shifts, 8.5 h. G8 (filled) and G9 (cancelled) are not gaps.
      gap('F84025', '2026-11-09', MONDAY, [8, '08:00-11:59'], 2, 8.5),
      // G4 12:00-13:30 = 1.5 h.
      gap('F84025', '2026-11-09', MONDAY, [12, '12:00-13:59'], 1, 1.5),
      // G5 14:00-18:30 less 30 min = 4 h.
      gap('F84025', '2026-11-09', MONDAY, [14, '14:00-17:59'], 1, 4),
      // G6 Saturday 14 November 18:30-20:00 = 1.5 h.
      gap('F84025', '2026-11-09', SATURDAY, [18, '18:00-19:59'], 1, 1.5),
      // G7 Sunday 15 November 23:30 to Monday 07:30 = 8 h: weekday 7 (15 - 9 + 1) of the week of
      // 9 November, the band of its 23:00 start hour.
      gap('F84025', '2026-11-09', SUNDAY, [20, '20:00-23:59'], 1, 8),
      // G10 Monday 16 November 00:30-08:00 = 7.5 h, the first day of the next week.
      gap('F84025', '2026-11-16', MONDAY, [0, '00:00-07:59'], 1, 7.5),
      // G11 at F84036, Tuesday 12:00-13:00 = 1 h.
      gap('F84036', '2026-11-09', TUESDAY, [12, '12:00-13:59'], 1, 1),
    ]);
  });
});
