/**
 * Keys in the curated store. Data files are Hive-partitioned so a network's or a week's data is
 * read without the rest, and named after the raw file's content hash within its raw folder
 * (`curatedHash` in ingest-file.ts: the same bytes in two networks' folders are two files), so
 * ingesting the same file twice rewrites the same objects (idempotent):
 *
 *   shifts/network_code=U60865/week_start=2026-11-16/<hash>.parquet
 *   availability/network_code=U60865/week_start=2026-11-16/<hash>.parquet
 *   rejects/source_system=generic/<hash>.parquet
 *   ingests/<hash>.json                      (manifest: counts, conservation, lineage)
 *   compacted/<table>/<partition>/<fingerprint>.parquet   (derived copies, one per partition,
 *   compacted/<table>/manifest.json                        rewritten by `metrics`: compact-curated.ts)
 *   metrics/<table>/<table>.parquet          (metric tables, rewritten by `metrics`; a folder
 *                                             each, so a Glue table can point at it: Athena
 *                                             reads every file in a table's folder)
 *   metrics/run.json                         (the run that wrote them all: src/metrics/metric-set.ts)
 */
export const CURATED_TABLES = ['shifts', 'availability'] as const;
export type CuratedTable = (typeof CURATED_TABLES)[number];

/** The curated tables the metric queries read, as `{{curated_<name>}}`: the data and rejects. */
export const QUERIED_TABLES = [...CURATED_TABLES, 'rejects'] as const;
export type QueriedTable = (typeof QUERIED_TABLES)[number];

export function dataKey(
  table: CuratedTable,
  partitionPath: string,
  hash: string,
  part: number,
): string {
  return `${table}/${partitionPath}/${hash}${part > 0 ? `-${part}` : ''}.parquet`;
}

export function rejectsKey(sourceSystem: string, hash: string): string {
  return `rejects/source_system=${sourceSystem}/${hash}.parquet`;
}

/** The folder of the ingest manifests (`ingests/<hash>.json`), which the site lists. */
export const MANIFEST_FOLDER = 'ingests/';

/**
 * Where publish records each weekly announcement it sent (`announced/<network>/<hash>`), so a
 * retried publish sends only the unsent ones (lambdas/announce.ts; infra/publish.ts grants it).
 */
export const ANNOUNCED_FOLDER = 'announced/';

export function manifestKey(hash: string): string {
  return `${MANIFEST_FOLDER}${hash}.json`;
}

/**
 * Which version of each raw key was ingested last (`sources/<hash of the key>.json`, holding the
 * key and its curated hash): a changed export uploaded again under its name replaces what its
 * earlier version wrote (src/ingest/earlier-outputs.ts).
 */
export const SOURCE_VERSIONS_FOLDER = 'sources/';

export function sourceVersionKey(rawKeyHash: string): string {
  return `${SOURCE_VERSIONS_FOLDER}${rawKeyHash}.json`;
}

/** The folder of a metric table (its Glue table's location). */
export function metricFolder(table: string): string {
  return `metrics/${table}/`;
}

export function metricKey(table: string): string {
  return `${metricFolder(table)}${table}.parquet`;
}

/** The record of the metrics run whose tables are stored (written after every table). */
export const METRIC_RUN_KEY = 'metrics/run.json';
