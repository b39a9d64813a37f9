/**
 * The query engine port. Adapters: DuckDB in process (`duckdb-engine.ts`) and Athena
 * (`athena-engine.ts`, results mapped in `athena-results.ts`).
 * Every result is an Apache Arrow table with engine-neutral types (see `arrow-types.ts`), so
 * nothing downstream knows which engine ran the SQL. An engine does not say which it is: the choice
 * is made once, by `metricRunnerFor` (src/pipeline.ts), and nothing branches on it after that.
 */
import type { Table } from 'apache-arrow';

export type SqlValue = string | number | boolean | null;

export interface QueryEngine {
  /** Run a statement that returns rows. Named parameters are written `$name` in the SQL. */
  query(sql: string, params?: Record<string, SqlValue>): Promise<Table>;
  close(): Promise<void>;
}
