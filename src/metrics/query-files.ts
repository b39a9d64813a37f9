/**
 * The SQL files in queries/: staging views and metric tables, read once.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { packageRoot } from '../config.js';

/** Metric tables, in the order they are computed. Each is `queries/<name>.sql`. */
export const METRIC_TABLES = ['network_week'] as const;
export type MetricTable = (typeof METRIC_TABLES)[number];

export async function readQuery(name: string): Promise<string> {
  return readFile(path.join(packageRoot, 'queries', `${name}.sql`), 'utf8');
}
