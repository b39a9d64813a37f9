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
import { AVAILABILITY_TYPES, emptyTableSql, REJECT_TYPES } from '../ingest/curated-schema.js';
import type { ObjectStore } from '../store/object-store.js';
import { stageLocally } from '../store/stage-locally.js';
import {
  DEFAULT_METRIC_PARAMETERS,
  type MetricParameters,
  parameterSql,
} from './metric-parameters.js';
import { metricTableNames, readQuery, readStagingQuery } from './query-files.js';

/** Metric tables by name (`queries/<name>.sql`), as Arrow tables. */
export type MetricTables = Record<string, Table>;

export interface MetricsOptions {
  engine: DuckDbEngine;
  curated: ObjectStore;
  parameters?: Partial<MetricParameters>;
  onProgress?: (message: string) => void;
}

/** One metric table by name, or an error saying it was not computed. */
export function metricTable(tables: MetricTables, name: string): Table {
  const table = tables[name];
  if (!table) throw new RotascopeError(`No metric table ${name} (queries/${name}.sql)`);
  return table;
}

export async function computeMetrics({
  engine,
  curated,
  parameters,
  onProgress,
}: MetricsOptions): Promise<MetricTables> {
  if ((await curated.list('shifts/')).length === 0) {
    throw new RotascopeError(
      `No curated shifts in ${curated.description}: run \`rotascope ingest\` first`,
    );
  }
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'rotascope-metrics-'));
  try {
    const shiftsDir = await stageLocally(curated, 'shifts/', path.join(tmp, 'shifts'));
    /** A curated table, or an empty one with its columns when nothing was ingested into it. */
    const optional = async (name: string, types: Readonly<Record<string, string>>) =>
      (await curated.list(`${name}/`)).length > 0
        ? duckDbDialect.curatedTable(
            name,
            await stageLocally(curated, `${name}/`, path.join(tmp, name)),
          )
        : emptyTableSql(types);
    const tables: Record<string, string> = {
      curated_shifts: duckDbDialect.curatedTable('shifts', shiftsDir),
      curated_availability: await optional('availability', AVAILABILITY_TYPES),
      curated_rejects: await optional('rejects', REJECT_TYPES),
      shifts: 'stg_shifts',
      availability: 'stg_availability',
      ...parameterSql({ ...DEFAULT_METRIC_PARAMETERS, ...parameters }),
    };
    await engine.run(
      `create or replace temp view stg_shifts as ${renderSql(await readStagingQuery('shifts'), tables)}`,
    );
    await engine.run(
      `create or replace temp view stg_availability as ${renderSql(await readStagingQuery('availability'), tables)}`,
    );
    const results: MetricTables = {};
    for (const name of await metricTableNames()) {
      const sql = renderSql(await readQuery(name), tables);
      const file = path.join(tmp, `${name}.parquet`);
      await engine.run(`copy (${sql}) to ${sqlString(file)} (format parquet)`);
      await curated.put(metricKey(name), await readFile(file), 'application/vnd.apache.parquet');
      const table = await engine.query(`select * from read_parquet(${sqlString(file)})`);
      results[name] = table;
      onProgress?.(`  metrics: ${name} (${table.numRows} rows)`);
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
    const results: MetricTables = {};
    for (const name of await metricTableNames()) {
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
