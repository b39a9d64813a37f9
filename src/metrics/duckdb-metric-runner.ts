/**
 * The metric tables computed by DuckDB in this process (compute-metrics.ts), one DuckDB instance
 * per run, closed when the run ends. DuckDB and the metric code are imported on the first run, not
 * when this module loads (a Lambda handler's cold start: docs/performance.md).
 */
import type { MetricTables } from './compute-metrics.js';
import type { MetricRunner, MetricRunOptions } from './metric-runner.js';

export class DuckDbMetricRunner implements MetricRunner {
  readonly engine = 'duckdb';

  async run(options: MetricRunOptions): Promise<MetricTables> {
    const [{ withDuckDb }, { computeMetrics }] = await Promise.all([
      import('../engine/duckdb-engine.js'),
      import('./compute-metrics.js'),
    ]);
    return withDuckDb((engine) => computeMetrics({ engine, ...options }));
  }
}
