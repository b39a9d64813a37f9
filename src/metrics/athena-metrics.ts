/**
 * The metric tables computed by Athena instead of DuckDB: the same query files, rendered for
 * Athena (render-for-athena.ts: curated tables from the Glue catalog, staging views inlined as
 * WITH entries), run one after another in the configured workgroup. Each result is stored where
 * DuckDB's would be, `metrics/<table>/<table>.parquet` in the curated store, with the column types
 * the catalog declares (metric-columns.ts), so `readMetrics`, the site and Athena's own metric
 * tables see the same files whichever engine wrote them.
 *
 * Athena answers in text (athena-results.ts turns it into Arrow); DuckDB, in process, turns the
 * rows back into typed Parquet. No curated data passes through this process: only metric rows,
 * a few per network and week.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Table } from 'apache-arrow';
import { CURATED_TABLES } from '../curated/curated-layout.js';
import { METRIC_COLUMNS } from '../curated/metric-columns.js';
import { tableRows } from '../engine/arrow-types.js';
import { type DuckDbEngine, sqlString } from '../engine/duckdb-engine.js';
import type { QueryEngine } from '../engine/query-engine.js';
import { RotascopeError } from '../errors.js';
import type { ObjectStore } from '../store/object-store.js';
import { DEFAULT_METRIC_PARAMETERS, type MetricParameters } from './metric-parameters.js';
import { type ComputedMetric, storeMetricSet } from './metric-set.js';
import { metricTableNames, readFragments, readQuery, readStagingQueries } from './query-files.js';
import { renderForAthena } from './render-for-athena.js';

export interface AthenaMetricsOptions {
  /** Runs the SQL: an AthenaQueryEngine (any engine that reads the Glue catalog's tables). */
  athena: QueryEngine;
  /** Writes the Parquet files (in process). */
  duckDb: DuckDbEngine;
  curated: ObjectStore;
  /** The Glue database with the curated tables (infra/catalog.ts). */
  database: string;
  parameters?: Partial<MetricParameters>;
  onProgress?: (message: string) => void;
}

/** Compute every metric table on Athena and store it in the curated store; rows per table. */
export async function writeMetricsOnAthena(
  options: AthenaMetricsOptions,
): Promise<{ name: string; rows: number }[]> {
  const render = {
    database: options.database,
    parameters: { ...DEFAULT_METRIC_PARAMETERS, ...options.parameters },
    staging: await readStagingQueries(),
    fragments: await readFragments(),
    ...(await curatedPartitions(options.curated)),
  };
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'rotascope-athena-metrics-'));
  try {
    // Every table is computed before any is stored (metric-set.ts): a failed query stores nothing.
    const computed: ComputedMetric[] = [];
    for (const name of await metricTableNames()) {
      const result = await options.athena.query(renderForAthena(await readQuery(name), render));
      const file = path.join(tmp, `${name}.parquet`);
      await writeTypedParquet(options.duckDb, name, result, file);
      computed.push({ name, file, rows: result.numRows });
      options.onProgress?.(`  metrics (athena): ${name} (${result.numRows} rows)`);
    }
    await storeMetricSet(options.curated, computed, { computedAt: new Date(), engine: 'athena' });
    return computed.map(({ name, rows }) => ({ name, rows }));
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

const NETWORK_FOLDER = /^[a-z_]+\/network_code=([^/]+)\//;
const WEEK_FOLDER = /^[a-z_]+\/network_code=[^/]+\/week_start=(\d{4}-\d{2}-\d{2})\//;

/**
 * Every network with a curated data file (`shifts/network_code=<code>/...` or the same under
 * `availability/`), sorted, and the first and last week with one (`.../week_start=<date>/`): what
 * the Athena queries name, since the catalog projects `network_code` as `injected` and
 * `week_start` as every week from the stage's `firstWeek` (render-for-athena.ts). Listed afresh on
 * every run, so a network whose first export was ingested since the last run is read too. A
 * listing, no object read.
 */
export async function curatedPartitions(curated: ObjectStore): Promise<{
  networks: string[];
  weeks: { first: string; last: string } | undefined;
}> {
  const codes = new Set<string>();
  let first: string | undefined;
  let last: string | undefined;
  for (const table of CURATED_TABLES) {
    for (const object of await curated.list(`${table}/network_code=`)) {
      const code = NETWORK_FOLDER.exec(object.key)?.[1];
      if (code) codes.add(code);
      const week = WEEK_FOLDER.exec(object.key)?.[1];
      if (week && (first === undefined || week < first)) first = week;
      if (week && (last === undefined || week > last)) last = week;
    }
  }
  return {
    networks: [...codes].sort(),
    weeks: first !== undefined && last !== undefined ? { first, last } : undefined,
  };
}

/**
 * Write a metric table's rows as Parquet with the column types metric-columns.ts declares: loaded
 * into DuckDB as text (Arrow values written as text are exact: numbers print round-trip, dates
 * and instants are ISO 8601), then cast.
 */
async function writeTypedParquet(
  duckDb: DuckDbEngine,
  name: string,
  table: Table,
  file: string,
): Promise<void> {
  const declared = METRIC_COLUMNS[name];
  if (!declared) throw new RotascopeError(`No columns declared for metric table ${name}`);
  const columns = Object.keys(declared);
  const returned = table.schema.fields.map((f) => f.name);
  if (returned.join(',') !== columns.join(',')) {
    throw new RotascopeError(
      `Athena returned the columns ${returned.join(', ')} for ${name}; src/curated/metric-columns.ts declares ${columns.join(', ')}`,
    );
  }
  const rows = tableRows(table).map((row) => columns.map((column) => asText(row[column])));
  const staging = `athena_${name}`;
  await duckDb.loadTextTable(staging, columns, rows);
  const casts = columns.map((c) => `cast("${c}" as ${declared[c]}) as "${c}"`).join(', ');
  await duckDb.run(
    `copy (select ${casts} from "${staging}") to ${sqlString(file)} (format parquet)`,
  );
  await duckDb.run(`drop table "${staging}"`);
}

function asText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return String(value);
}
