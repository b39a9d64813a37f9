/**
 * Compute the metric tables from curated data and store them as Parquet under `metrics/<name>/` in
 * the curated store. The curated tables are compacted first (compact-curated.ts); compacted Parquet is
 * read in place for a folder store, or downloaded to a temp folder for S3 (DuckDB reads local
 * files; see src/store/stage-locally.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Table } from 'apache-arrow';
import { metricKey, QUERIED_TABLES, type QueriedTable } from '../curated/curated-layout.js';
import {
  AVAILABILITY_TYPES,
  emptyTableSql,
  REJECT_TYPES,
  SHIFT_TYPES,
} from '../curated/curated-schema.js';
import { tableRows } from '../engine/arrow-types.js';
import { type DuckDbEngine, duckDbParquetFiles, sqlString } from '../engine/duckdb-engine.js';
import { renderSql } from '../engine/render-sql.js';
import { RotascopeError } from '../errors.js';
import type { ObjectStore } from '../store/object-store.js';
import { stageKeys } from '../store/stage-locally.js';
import { type Compacted, compactCurated } from './compact-curated.js';
import {
  DEFAULT_METRIC_PARAMETERS,
  type MetricParameters,
  parameterSql,
} from './metric-parameters.js';
import { assertOneMetricRun, type ComputedMetric, storeMetricSet } from './metric-set.js';
import {
  metricTableNames,
  readFragments,
  readQuery,
  readStagingQuery,
  STAGING_TABLES,
  STAGING_VIEWS,
} from './query-files.js';

/** Metric tables by name (`queries/<name>.sql`), as Arrow tables. */
export type MetricTables = Record<string, Table>;

export interface MetricsOptions {
  engine: DuckDbEngine;
  curated: ObjectStore;
  parameters?: Partial<MetricParameters>;
  onProgress?: (message: string) => void;
}

/** What `writeMetrics` stored: each metric table and its row count, in name order. */
export interface WrittenMetrics {
  tables: { name: string; rows: number }[];
  compaction: Record<QueriedTable, Compacted>;
}

/** The columns of each curated table the queries read (compacted first, see compact-curated.ts). */
const TYPES: Record<QueriedTable, Readonly<Record<string, string>>> = {
  shifts: SHIFT_TYPES,
  availability: AVAILABILITY_TYPES,
  rejects: REJECT_TYPES,
};
const EMPTY: Record<'availability' | 'rejects', string> = {
  availability: emptyTableSql(AVAILABILITY_TYPES),
  rejects: emptyTableSql(REJECT_TYPES),
};

/** One metric table by name, or an error saying it was not computed. */
export function metricTable(tables: MetricTables, name: string): Table {
  const table = tables[name];
  if (!table) throw new RotascopeError(`No metric table ${name} (queries/${name}.sql)`);
  return table;
}

/**
 * Compute every metric table and store it as `metrics/<name>/<name>.parquet` in the curated store. The
 * curated tables are compacted first (one file per partition); each staging view is computed once
 * into a local Parquet file that every metric query then reads, so the supersede window runs once
 * per run, not once per table.
 */
export async function writeMetrics({
  engine,
  curated,
  parameters,
  onProgress,
}: MetricsOptions): Promise<WrittenMetrics> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'rotascope-metrics-'));
  try {
    const compaction = {} as WrittenMetrics['compaction'];
    const tables: Record<string, string> = {
      ...STAGING_TABLES,
      ...(await readFragments()),
      ...parameterSql({ ...DEFAULT_METRIC_PARAMETERS, ...parameters }),
    };
    for (const table of QUERIED_TABLES) {
      const compacted = await compactCurated({
        engine,
        store: curated,
        table,
        types: TYPES[table],
        tmpDir: tmp,
        onProgress,
      });
      if (table === 'shifts' && compacted.partitions === 0) {
        throw new RotascopeError(
          `No curated shifts in ${curated.description}: run \`rotascope ingest\` first`,
        );
      }
      compaction[table] = compacted;
      onProgress?.(
        `  compaction: ${table} ${compacted.partitions} partitions (${compacted.rebuilt} rebuilt, ${compacted.extended} extended, ${compacted.filesRead} curated files read)`,
      );
      tables[`curated_${table}`] =
        table === 'shifts' || compacted.files.length > 0
          ? duckDbParquetFiles(compacted.files)
          : EMPTY[table];
    }
    for (const view of STAGING_VIEWS) {
      const file = path.join(tmp, `${STAGING_TABLES[view]}.parquet`);
      const sql = renderSql(await readStagingQuery(view), tables);
      await engine.run(`copy (${sql}) to ${sqlString(file)} (format parquet)`);
      await engine.run(
        `create or replace temp view ${STAGING_TABLES[view]} as select * from read_parquet(${sqlString(file)})`,
      );
    }
    // Every table is computed before any is stored (metric-set.ts): a failed query stores nothing.
    const computed: ComputedMetric[] = [];
    for (const name of await metricTableNames()) {
      const sql = renderSql(await readQuery(name), tables);
      const file = path.join(tmp, `${name}.parquet`);
      const rows = await copyRows(engine, `copy (${sql}) to ${sqlString(file)} (format parquet)`);
      computed.push({ name, file, rows });
      onProgress?.(`  metrics: ${name} (${rows} rows)`);
    }
    await storeMetricSet(curated, computed, { computedAt: new Date(), engine: 'duckdb' });
    return { tables: computed.map(({ name, rows }) => ({ name, rows })), compaction };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Run a COPY and return how many rows it wrote. */
async function copyRows(engine: DuckDbEngine, copy: string): Promise<number> {
  const [row] = tableRows<{ Count: number | bigint }>(await engine.query(copy));
  return Number(row?.Count ?? 0);
}

/**
 * Which stored metric tables to read back, and of each which columns (`'*'`: every column). A
 * column listed but not in the stored file is left out (an optional column, absent in files
 * written before it existed); the reader of the rows decides whether that is allowed. The site's
 * selection is `SITE_READ` in src/site/site-data.ts, derived from what it reads.
 */
export type MetricSelection = Readonly<Record<string, readonly string[] | '*'>>;

/** writeMetrics, then the tables read back as Arrow (every table unless `read` chooses). */
export async function computeMetrics(
  options: MetricsOptions & { read?: MetricSelection },
): Promise<MetricTables> {
  await writeMetrics(options);
  return readMetrics(options.engine, options.curated, options.read);
}

/**
 * The SELECT that reads a stored metric table back: the columns chosen, or every one for `'*'`.
 * No cast and no `describe` first: DuckDB's result vectors give DATE as its `YYYY-MM-DD` text and
 * DECIMAL and FLOAT as doubles (src/engine/duckdb-arrow.ts), as the site's rows want them.
 */
function readBackSql(file: string, chosen: readonly string[] | '*'): string {
  const columns =
    chosen === '*' ? '*' : chosen.map((name) => `"${name.replaceAll('"', '""')}"`).join(', ');
  return `select ${columns} from read_parquet(${sqlString(file)})`;
}

/**
 * Read stored metric tables back (for `publish` without recomputing): every table and column, or
 * the tables and columns `read` chooses (the site's: `SITE_READ`). The rows come from DuckDB's
 * result vectors (src/engine/duckdb-arrow.ts), not value by value.
 */
export async function readMetrics(
  engine: DuckDbEngine,
  curated: ObjectStore,
  read?: MetricSelection,
): Promise<MetricTables> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'rotascope-read-metrics-'));
  try {
    const results: MetricTables = {};
    const names: string[] = [];
    for (const name of await metricTableNames()) {
      const chosen = read ? read[name] : '*';
      if (!chosen) continue;
      names.push(name);
      if (!(await curated.exists(metricKey(name)))) {
        throw new RotascopeError(
          `No metric table ${name} in ${curated.description}: run \`rotascope metrics\` first`,
        );
      }
      // A folder store's own file, else a download.
      const [file] = await stageKeys(curated, [metricKey(name)], tmp);
      results[name] = await engine.query(readBackSql(file as string, chosen));
    }
    await assertOneMetricRun(curated, names);
    return results;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
