/**
 * The engine seam: what computes the metric tables. One port at the level of the whole step
 * ("compute every metric table from curated data, store it under `metrics/`, return it"), not of
 * single queries, because that is where DuckDB and Athena really differ: DuckDB compacts the
 * curated tables and stages views in process (duckdb-metric-runner.ts); Athena reads the Glue
 * catalog's tables, inlines the staging views and needs a client opened and closed per run
 * (athena-metric-runner.ts). The composition root (`metricRunnerFor` in src/pipeline.ts) picks one
 * from the config once; nothing else asks which engine it is talking to.
 *
 * There is no separate `SqlDialect`: each runner renders the same query files with its own table
 * expressions (compute-metrics.ts for DuckDB, render-for-athena.ts for Athena), and the one thing
 * both share, `{{name}}` substitution, is src/engine/render-sql.ts. docs/engines.md says why.
 */
import type { ObjectStore } from '../store/object-store.js';
import type { MetricSelection, MetricTables } from './compute-metrics.js';
import type { MetricParameters } from './metric-parameters.js';

export interface MetricRunOptions {
  /** Where the curated tables are read from and the metric tables are stored. */
  curated: ObjectStore;
  parameters?: Partial<MetricParameters>;
  onProgress?: (message: string) => void;
  /** The tables (and columns) to hand back once stored; every one when absent (`readMetrics`). */
  read?: MetricSelection;
}

export interface MetricRunner {
  /** The engine's name, for the log (`duckdb`, `athena`); not for branching on. */
  readonly engine: string;
  /**
   * Compute every metric table, store it as `metrics/<name>/<name>.parquet`, and return the ones
   * `read` chooses (all by default).
   */
  run(options: MetricRunOptions): Promise<MetricTables>;
}
