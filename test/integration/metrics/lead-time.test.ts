/**
 * lead_time on hand-made curated shifts with real DuckDB: median hours from publication to start,
 * and late fills (filled less than 48 h before the start). Every expected number is worked out in
 * the comments.
 */
import { describe, expect, it } from 'vitest';
import { tableRows } from '../../../src/engine/arrow-types.js';
import type { DuckDbEngine } from '../../../src/engine/duckdb-engine.js';
import { computeMetrics, metricTable } from '../../../src/metrics/compute-metrics.js';
import { type ShiftFixture, writeCuratedShifts } from '../../helpers/curated-fixtures.js';
import { type TestStores, useStoresAndEngine } from '../../helpers/stores.js';

let stores: TestStores;
let engine: DuckDbEngine;
useStoresAndEngine((opened) => {
  ({ stores, engine } = opened);
});

/** A filled 4-hour shift starting at `start`, published and filled at local times. */
const timed = (
  shift_id: string,
  start: string,
  published_at: string | null,
  filled_at: string | null,
): ShiftFixture => ({
  shift_id,
  start,
  end: `${start.slice(0, 11)}${String(Number(start.slice(11, 13)) + 4).padStart(2, '0')}:00`,
  published_at,
  filled_at,
});

describe('lead_time', () => {
  it('gives the median lead time and the share of late fills per network and week', async () => {
    await writeCuratedShifts(engine, stores.curated, [
      // Week of Monday 26 October 2026; the clocks went back at 02:00 BST on Sunday 25 October.
      // L1: published Saturday 24 Oct 09:00 BST (08:00 UTC), starts Monday 26 Oct 09:00 GMT
      // (09:00 UTC): 49 h (48 on the wall clock). Filled 10:00 BST = 09:00 UTC: exactly 48 h
      // before the start, so not late (47 h on the wall clock would have been).
      timed('L1', '2026-10-26 09:00', '2026-10-24 09:00', '2026-10-24 10:00'),
      // L2: published 2 h before the start, filled an hour after it started: lead 2 h, late.
      timed('L2', '2026-10-27 09:00', '2026-10-27 07:00', '2026-10-27 10:00'),
      // L3: published Wednesday 21 Oct 09:00 BST (08:00 UTC), starts 28 Oct 09:00 UTC: 7 days
      // + 1 h = 169 h; filled the next day, not late.
      timed('L3', '2026-10-28 09:00', '2026-10-21 09:00', '2026-10-22 09:00'),

      // Week of Monday 9 November 2026.
      // L4: published a week before: 168 h. Filled 6 days (144 h) before: not late.
      timed('L4', '2026-11-09 09:00', '2026-11-02 09:00', '2026-11-03 09:00'),
      // L5: published 48 h before, filled 47 h before: late.
      timed('L5', '2026-11-10 09:00', '2026-11-08 09:00', '2026-11-08 10:00'),
      // L6: published 144 h before, filled exactly 48 h before: not late ("less than 48 h").
      timed('L6', '2026-11-11 14:00', '2026-11-05 14:00', '2026-11-09 14:00'),
      // L7: published and filled 12 h before: late.
      timed('L7', '2026-11-12 08:00', '2026-11-11 20:00', '2026-11-11 20:00'),
      // Not timed: L8 filled without a fill time; L9 unfilled (published).
      timed('L8', '2026-11-12 09:00', '2026-11-01 09:00', null),
      { ...timed('L9', '2026-11-13 09:00', '2026-11-01 09:00', null), status: 'unfilled' },

      // Week of Monday 16 November 2026: a source without the timestamps.
      timed('L10', '2026-11-16 09:00', null, null),
    ]);
    const rows = tableRows(
      metricTable(await computeMetrics({ engine, curated: stores.curated }), 'lead_time'),
    );
    expect(rows).toEqual([
      {
        network_code: 'U60865',
        icb_code: 'QMF',
        week_start: '2026-10-26',
        filled_shifts: 3,
        timed_shifts: 3,
        // Leads 2, 49, 169: an odd count, the middle one is 49.
        median_lead_hours: 49,
        // L2 only: 1 of 3.
        late_fills: 1,
        late_fill_share: 1 / 3,
      },
      {
        network_code: 'U60865',
        icb_code: 'QMF',
        week_start: '2026-11-09',
        // L4-L8 are filled; L8 has no fill time, so L4-L7 are timed.
        filled_shifts: 5,
        timed_shifts: 4,
        // Leads 12, 48, 144, 168: an even count, the mean of the middle two (48 + 144) / 2 = 96.
        median_lead_hours: 96,
        // L5 and L7: 2 of 4.
        late_fills: 2,
        late_fill_share: 0.5,
      },
      {
        network_code: 'U60865',
        icb_code: 'QMF',
        week_start: '2026-11-16',
        // No timestamps: no data, not 0.
        filled_shifts: 1,
        timed_shifts: 0,
        median_lead_hours: null,
        late_fills: null,
        late_fill_share: null,
      },
    ]);
  });
});
