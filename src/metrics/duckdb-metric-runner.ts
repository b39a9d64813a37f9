/**
 * The metric tables computed by DuckDB in this process (compute-metrics.ts), one DuckDB instance
 * per run, closed when the run ends.
 */
import { withDuckDb } from '../engine/duckdb-engine.js';
import { computeMetrics, type MetricTables } from './compute-metrics.js';
import type { MetricRunner, MetricRunOptions } from './metric-runner.js';

export class DuckDbMetricRunner implements MetricRunner {
  readonly engine = 'duckdb';

  run(options: MetricRunOptions): Promise<MetricTables> {
    return withDuckDb((engine) => computeMetrics({ engine, ...options }));
  }
}
