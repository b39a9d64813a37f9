/**
 * The SQL files in queries/: staging views (queries/staging/) and metric tables (every other
 * queries/*.sql file; one file per output table, named after it). Adding a metric table is adding
 * a file. queries/ingest/ holds the DuckDB-only ingest SQL and is not a metric.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { packageRoot } from '../config.js';

const QUERIES = path.join(packageRoot, 'queries');

/** Staging views, in the order they are created; each is `queries/staging/<name>.sql`. */
export const STAGING_VIEWS = ['shifts', 'availability'] as const;
export type StagingView = (typeof STAGING_VIEWS)[number];

/** Metric table names (`queries/<name>.sql`), sorted. */
export async function metricTableNames(): Promise<string[]> {
  const files = await readdir(QUERIES, { withFileTypes: true });
  return files
    .filter((f) => f.isFile() && f.name.endsWith('.sql'))
    .map((f) => f.name.slice(0, -'.sql'.length))
    .sort();
}

export async function readQuery(name: string): Promise<string> {
  return readFile(path.join(QUERIES, `${name}.sql`), 'utf8');
}

export async function readStagingQuery(name: StagingView): Promise<string> {
  return readFile(path.join(QUERIES, 'staging', `${name}.sql`), 'utf8');
}
