/**
 * The metric tables are stored as one set (src/metrics/metric-set.ts): a run that stops part way
 * through storing them must not let the site publish some tables of the new run beside others of
 * the old. Real ingest and DuckDB on the hand-made U60865 fixture, a folder store that fails on
 * a chosen put.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRIC_RUN_KEY } from '../../../src/curated/curated-layout.js';
import { tableRows } from '../../../src/engine/arrow-types.js';
import { DuckDbEngine } from '../../../src/engine/duckdb-engine.js';
import { metricTable, readMetrics, writeMetrics } from '../../../src/metrics/compute-metrics.js';
import type { ObjectStore } from '../../../src/store/object-store.js';
import { ingestTestStores, openTestStores, type TestStores } from '../../helpers/stores.js';

const FIXTURES = path.join(import.meta.dirname, '..', '..', 'fixtures', 'exports');

let stores: TestStores;
let engine: DuckDbEngine;
beforeAll(async () => {
  stores = await openTestStores('local');
  engine = await DuckDbEngine.open();
});
afterAll(async () => {
  await engine?.close();
  await stores?.close();
});

/** The store, failing on its `n`th put under metrics/ (counting from 1). */
function failingOnMetricPut(store: ObjectStore, n: number): ObjectStore {
  let puts = 0;
  return new Proxy(store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (name === 'put')
        return async (...args: Parameters<ObjectStore['put']>) => {
          if (args[0].startsWith('metrics/') && ++puts === n)
            throw new Error(`injected failure on metrics put ${n}`);
          return target.put(...args);
        };
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

const filledShifts = async () =>
  tableRows(metricTable(await readMetrics(engine, stores.curated), 'network_week')).map(
    (r) => `${r.week_start} ${r.filled_shifts}`,
  );

describe('the stored set of metric tables', () => {
  it('is refused for publishing when a run stopped part way through storing it', async () => {
    // Prepare: the fixture's week of 9 Nov ingested and measured (run.json written last).
    await stores.raw.put(
      'generic/U60865/shifts/2026-11-09.csv',
      await readFile(path.join(FIXTURES, 'u60865-shifts.csv')),
    );
    await ingestTestStores(stores, engine, { at: '2026-11-17T13:00:00Z' });
    await writeMetrics({ engine, curated: stores.curated });
    const before = await filledShifts();
    expect(await stores.curated.exists(METRIC_RUN_KEY)).toBe(true);
    // A later export cancels S1 and S4; the next run fails on its third table's upload.
    await stores.raw.put(
      'generic/U60865/shifts/2026-11-09_cancelled.csv',
      await readFile(path.join(FIXTURES, 'u60865-shifts-cancelled.csv')),
    );
    await ingestTestStores(stores, engine, { at: '2026-11-17T14:00:00Z' });
    // Act
    await expect(
      writeMetrics({ engine, curated: failingOnMetricPut(stores.curated, 3) }),
    ).rejects.toThrow('injected failure on metrics put 3');
    // Assess: reading the tables back names the mix and asks for the run again (before: the
    // site was built from two tables of the new run and the rest of the old).
    await expect(readMetrics(engine, stores.curated)).rejects.toThrow(
      /not all from one run: .* changed since the run of .*run `rotascope metrics` again/,
    );
    // The next run that stores every table makes the set whole again.
    await writeMetrics({ engine, curated: stores.curated });
    expect(await filledShifts()).not.toEqual(before);
  });
});
