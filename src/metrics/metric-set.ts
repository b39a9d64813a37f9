/**
 * The metric tables are stored as one set: a run computes every table into local files first and
 * uploads them only when all are computed, then writes `metrics/run.json` naming the version
 * (S3 ETag; a file's size, time and inode) of each file it wrote. A run that fails part way
 * through computing stores nothing; one that fails part way through uploading leaves some tables
 * new and some old, which no longer match run.json, and reading them back (for the site) is then
 * refused with a message to run `metrics` again, rather than publishing figures of two runs side
 * by side.
 */
import { readFile } from 'node:fs/promises';
import { METRIC_RUN_KEY, metricKey } from '../curated/curated-layout.js';
import { RotascopeError } from '../errors.js';
import { type ObjectStore, statObject } from '../store/object-store.js';

/** One computed table, in a local Parquet file, waiting to be stored. */
export interface ComputedMetric {
  name: string;
  file: string;
  rows: number;
}

/** What `metrics/run.json` holds. */
export interface MetricRun {
  computedAt: string;
  engine: 'duckdb' | 'athena';
  tables: Record<string, { version: string; rows: number }>;
}

/** Upload every computed table, then the run record naming the version of each. */
export async function storeMetricSet(
  curated: ObjectStore,
  computed: readonly ComputedMetric[],
  run: { computedAt: Date; engine: MetricRun['engine'] },
): Promise<void> {
  for (const { name, file } of computed)
    await curated.put(metricKey(name), await readFile(file), 'application/vnd.apache.parquet');
  const tables: MetricRun['tables'] = {};
  for (const { name, rows } of computed) {
    const stored = await statObject(curated, metricKey(name));
    if (!stored) throw new RotascopeError(`${metricKey(name)} is missing just after it was stored`);
    tables[name] = { version: stored.version, rows };
  }
  const record: MetricRun = {
    computedAt: run.computedAt.toISOString(),
    engine: run.engine,
    tables,
  };
  await curated.put(METRIC_RUN_KEY, `${JSON.stringify(record, null, 2)}\n`, 'application/json');
}

/**
 * Refuses metric tables that are not all from one run: any of `names` whose stored file is not
 * the version `metrics/run.json` names. Stores written before run.json existed are not checked.
 */
export async function assertOneMetricRun(
  curated: ObjectStore,
  names: readonly string[],
): Promise<void> {
  if (!(await curated.exists(METRIC_RUN_KEY))) return;
  const run = JSON.parse(new TextDecoder().decode(await curated.get(METRIC_RUN_KEY))) as MetricRun;
  const changed: string[] = [];
  for (const name of names) {
    const stored = await statObject(curated, metricKey(name));
    if (stored?.version !== run.tables[name]?.version) changed.push(name);
  }
  if (changed.length > 0)
    throw new RotascopeError(
      `The metric tables in ${curated.description}metrics/ are not all from one run: ${changed.join(', ')} ` +
        `changed since the run of ${run.computedAt} (${METRIC_RUN_KEY}), so the last \`rotascope metrics\` ` +
        'stopped part way through storing them. Nothing was published: run `rotascope metrics` again.',
    );
}
