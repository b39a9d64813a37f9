/**
 * Compute the metric tables from curated data and store them as Parquet under `metrics/` in the
 * curated store. Curated Parquet is read in place for a folder store, or staged to a temp folder
 * for S3 (DuckDB reads local files; see src/store/stage-locally.ts).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Table } from 'apache-arrow';
import { duckDbDialect, renderSql } from '../engine/dialect.js';
import { type DuckDbEngine, sqlString } from '../engine/duckdb-engine.js';
import { RotascopeError } from '../errors.js';
import { metricKey } from '../ingest/curated-layout.js';
import type { ObjectStore } from '../store/object-store.js';
import { stageLocally } from '../store/stage-locally.js';
import { METRIC_TABLES, type MetricTable, readQuery } from './query-files.js';

export type MetricTables = Record<MetricTable, Table>;

export interface MetricsOptions {
  engine: DuckDbEngine;
  curated: ObjectStore;
  onProgress?: (message: string) => void;
}

export async function computeMetrics({
  engine,
  curated,
  onProgress,
}: MetricsOptions): Promise<MetricTables> {
  if ((await curated.list('shifts/')).length === 0) {
    throw new RotascopeError(
      `No curated shifts in ${curated.description}: run \`rotascope ingest\` first`,
    );
  }
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'rotascope-metrics-'));
  try {
    const shiftsDir = await stageLocally(curated, 'shifts/', path.join(tmp, 'staged'));
    const tables = {
      curated_shifts: duckDbDialect.curatedTable('shifts', shiftsDir),
      shifts: 'stg_shifts',
    };
    await engine.run(
      `create or replace temp view stg_shifts as ${renderSql(await readQuery('shifts'), tables)}`,
    );
    const results = {} as MetricTables;
    for (const name of METRIC_TABLES) {
      const sql = renderSql(await readQuery(name), tables);
      const file = path.join(tmp, `${name}.parquet`);
      await engine.run(`copy (${sql}) to ${sqlString(file)} (format parquet)`);
      await curated.put(metricKey(name), await readFile(file), 'application/vnd.apache.parquet');
      results[name] = await engine.query(`select * from read_parquet(${sqlString(file)})`);
      onProgress?.(`  metrics: ${name} (${results[name].numRows} rows)`);
    }
    return results;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Read stored metric tables back (for `publish` without recomputing). */
export async function readMetrics(
  engine: DuckDbEngine,
  curated: ObjectStore,
): Promise<MetricTables> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'rotascope-read-metrics-'));
  try {
    const results = {} as MetricTables;
    for (const name of METRIC_TABLES) {
      if (!(await curated.exists(metricKey(name)))) {
        throw new RotascopeError(
          `No metric table ${name} in ${curated.description}: run \`rotascope metrics\` first`,
        );
      }
      const file = path.join(tmp, `${name}.parquet`);
      await writeFile(file, await curated.get(metricKey(name)));
      results[name] = await engine.query(`select * from read_parquet(${sqlString(file)})`);
    }
    return results;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
