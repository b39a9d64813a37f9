/**
 * The SQL files in queries/: staging views (queries/staging/), metric tables (every other
 * queries/*.sql file; one file per output table, named after it) and fragments
 * (queries/fragments/: select lists that several tables share, inserted where a query says
 * `{{<fragment>}}`). Adding a metric table is adding a file, and its columns to
 * metric-columns.ts (the Glue catalog declares it from there). queries/ingest/ holds the DuckDB-only
 * ingest SQL and is not a metric.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { packageRoot } from '../package-root.js';

const QUERIES = path.join(packageRoot, 'queries');

/** Staging views, in the order they are created; each is `queries/staging/<name>.sql`. */
export const STAGING_VIEWS = ['shifts', 'availability'] as const;
export type StagingView = (typeof STAGING_VIEWS)[number];

/** `{{<view>}}` names the staging view's table, `stg_<view>`, on every engine. */
export const STAGING_TABLES: Readonly<Record<StagingView, string>> = Object.fromEntries(
  STAGING_VIEWS.map((view) => [view, `stg_${view}`]),
) as Record<StagingView, string>;

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

/** Every staging view's SQL, by view (what renderForAthena inlines as WITH entries). */
export async function readStagingQueries(): Promise<Record<StagingView, string>> {
  const entries = await Promise.all(
    STAGING_VIEWS.map(async (view) => [view, await readStagingQuery(view)] as const),
  );
  return Object.fromEntries(entries) as Record<StagingView, string>;
}

/** The fragments (`queries/fragments/<name>.sql`) by name, as `{{<name>}}` renders them. */
export async function readFragments(): Promise<Record<string, string>> {
  const folder = path.join(QUERIES, 'fragments');
  const names = (await readdir(folder)).filter((f) => f.endsWith('.sql')).sort();
  return Object.fromEntries(
    await Promise.all(
      names.map(async (file) => [
        file.slice(0, -'.sql'.length),
        (await readFile(path.join(folder, file), 'utf8')).trim(),
      ]),
    ),
  );
}
