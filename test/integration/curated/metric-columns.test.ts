/**
 * src/curated/metric-columns.ts (what the Glue catalog declares for each metric table) against
 * the Parquet files `writeMetrics` actually writes, computed from the hand-made U60865 export and
 * its availability through real ingest and real DuckDB. On a difference the test shows the value
 * to paste into metric-columns.ts.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRIC_RUN_KEY, metricFolder, metricKey } from '../../../src/curated/curated-layout.js';
import { METRIC_COLUMNS } from '../../../src/curated/metric-columns.js';
import { tableRows } from '../../../src/engine/arrow-types.js';
import { DuckDbEngine, sqlString } from '../../../src/engine/duckdb-engine.js';
import { writeMetrics } from '../../../src/metrics/compute-metrics.js';
import { metricTableNames } from '../../../src/metrics/query-files.js';
import {
  ingestTestStores,
  openTestStores,
  putU60865Exports,
  type TestStores,
} from '../../helpers/stores.js';

let stores: TestStores;
let engine: DuckDbEngine;
let metricKeys: string[] = [];

beforeAll(async () => {
  stores = await openTestStores('local');
  engine = await DuckDbEngine.open();
  await putU60865Exports(stores, ['shifts', 'availability']);
  await ingestTestStores(stores, engine);
  await writeMetrics({ engine, curated: stores.curated });
  metricKeys = (await stores.curated.list('metrics/')).map((o) => o.key).sort();
});
afterAll(async () => {
  await engine?.close();
  await stores?.close();
});

async function columnsOf(key: string): Promise<Record<string, string>> {
  const file = path.join(stores.dir, 'curated', key);
  const rows = tableRows<{ column_name: string; column_type: string }>(
    await engine.query(`describe select * from read_parquet(${sqlString(file)})`),
  );
  return Object.fromEntries(rows.map((r) => [r.column_name, r.column_type.toLowerCase()]));
}

describe('metric table columns', () => {
  it('lists exactly the metric tables in queries/', async () => {
    expect(Object.keys(METRIC_COLUMNS).sort()).toEqual(await metricTableNames());
  });

  it('writes each metric table as one file in a folder of its own', async () => {
    const names = await metricTableNames();
    // And the run record beside the folders, in none of them (src/metrics/metric-set.ts).
    expect(metricKeys).toEqual([...names.map(metricKey), METRIC_RUN_KEY].sort());
    for (const name of names) expect(metricKey(name).startsWith(metricFolder(name))).toBe(true);
  });

  it('declares the columns, in order, and the types each written file has', async () => {
    const written: Record<string, Record<string, string>> = {};
    for (const name of await metricTableNames()) {
      written[name] = await columnsOf(metricKey(name));
      expect(Object.keys(written[name] ?? {}).length, name).toBeGreaterThan(0);
    }
    // toEqual ignores key order; the column order is compared on its own.
    expect(METRIC_COLUMNS).toEqual(written);
    for (const [name, columns] of Object.entries(written)) {
      expect(Object.keys(METRIC_COLUMNS[name] ?? {}), name).toEqual(Object.keys(columns));
    }
  });
});
