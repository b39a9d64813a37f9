/**
 * The metric tables computed by Athena (athena-metrics.ts), with what a run on Athena owns: an
 * Athena client made for the run and destroyed when it ends, whether the queries succeed or fail
 * (running queries are stopped first), a DuckDB instance in process to write the answers as typed
 * Parquet and read them back, and one log line with the queries run, the data scanned and the
 * estimated cost. The Athena engine, DuckDB and the metric code are imported on the first run, not
 * when this module loads (a Lambda handler's cold start: docs/performance.md).
 */
import type { AthenaClient } from '@aws-sdk/client-athena';
import type { MetricTables } from './compute-metrics.js';
import type { MetricRunner, MetricRunOptions } from './metric-runner.js';

export interface AthenaMetricRunnerOptions {
  workGroup: string;
  /** The Glue database with the curated tables (infra/catalog.ts). */
  database: string;
  timeoutMs?: number | undefined;
  /**
   * A new client for each run; the runner destroys it when the run ends. May be async, so that the
   * Athena client's module is loaded only when a run needs it.
   */
  newClient: () => AthenaClient | Promise<AthenaClient>;
}

export class AthenaMetricRunner implements MetricRunner {
  readonly engine = 'athena';

  constructor(private readonly options: AthenaMetricRunnerOptions) {}

  async run({ curated, parameters, onProgress, read }: MetricRunOptions): Promise<MetricTables> {
    const { workGroup, database, timeoutMs } = this.options;
    const [{ AthenaQueryEngine }, { withDuckDb }, { writeMetricsOnAthena }, { readMetrics }] =
      await Promise.all([
        import('../engine/athena-engine.js'),
        import('../engine/duckdb-engine.js'),
        import('./athena-metrics.js'),
        import('./compute-metrics.js'),
      ]);
    const client = await this.options.newClient();
    try {
      const athena = new AthenaQueryEngine({ client, workGroup, database, timeoutMs, onProgress });
      try {
        return await withDuckDb(async (duckDb) => {
          await writeMetricsOnAthena({ athena, duckDb, curated, database, parameters, onProgress });
          const { queries, bytesScanned, costUsd } = athena.totals;
          onProgress?.(
            `metrics: Athena ran ${queries} queries in workgroup ${workGroup}, scanned ${(bytesScanned / 1e9).toFixed(3)} GB, estimated $${costUsd.toFixed(4)}`,
          );
          return readMetrics(duckDb, curated, read);
        });
      } finally {
        await athena.close();
      }
    } finally {
      client.destroy();
    }
  }
}
