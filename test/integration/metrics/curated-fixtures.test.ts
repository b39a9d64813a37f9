/**
 * The metric tests' fixture writer produces what ingest produces: the same columns, types and
 * partition layout, and hours worked out the same way (here across the March clock change).
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

describe('curated fixtures for metric tests', () => {
  it('write shifts the metric SQL reads like ingested ones', async () => {
    // Saturday 28 March 2026 22:00 GMT to Sunday 07:00 BST: 8 hours, not 9.
    await writeCuratedShifts(engine, stores.curated, [
      { shift_id: 'N1', start: '2026-03-28 22:00', end: '2026-03-29 07:00' },
      { shift_id: 'U1', start: '2026-03-30 09:00', end: '2026-03-30 13:00', status: 'unfilled' },
    ]);
    const keys = (await stores.curated.list('shifts/')).map((o) => o.key);
    expect(keys).toEqual([
      'shifts/network_code=U60865/week_start=2026-03-23/fixture_0.parquet',
      'shifts/network_code=U60865/week_start=2026-03-30/fixture_0.parquet',
    ]);
    const rows = tableRows(
      metricTable(await computeMetrics({ engine, curated: stores.curated }), 'network_week'),
    );
    expect(rows.map((r) => [r.week_start, r.filled_hours, r.unfilled_hours])).toEqual([
      ['2026-03-23', 8, 0],
      ['2026-03-30', 0, 4],
    ]);
  });
});
